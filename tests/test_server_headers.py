"""What every answer carries: security headers, Cache-Control, gzip; versioned assets; HEAD on
health; deeply nested JSON refused on REST."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gradscape.server.app import create_app
from gradscape.server.config import REPO_FRONTEND, Settings

client = TestClient(create_app(Settings(max_steps=3000)))
RACE = {"surface": "himmelblau", "steps": 2000,
        "runs": [{"optimizer": "sgd", "params": {"lr": 0.001}}]}


def version_of(page: str) -> str:
    versions = set(re.findall(r'(?:src|href)="v/([0-9a-f]{12})/', page))
    assert len(versions) == 1, versions
    return versions.pop()


def raw(path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body exactly as sent (not decompressed)."""
    with client.stream("GET", path, headers=headers) as r:
        return r.status_code, dict(r.headers), b"".join(r.iter_raw())


@pytest.mark.parametrize("path", ["/", "/embed.html", "/lessons.html", "/api/health",
                                  "/api/surfaces", "/js/main.js", "/api/nope"])
def test_security_headers_everywhere(path: str) -> None:
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    csp = dict(d.strip().split(" ", 1) for d in r.headers["content-security-policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["object-src"] == "'none'"
    assert csp["connect-src"] == "'self'" and csp["base-uri"] == "'none'"
    # Only the embed page may be framed by other sites (any, by default: no directive, as a
    # CSP `*` would not match a slide deck opened from a file).
    assert csp.get("frame-ancestors") == (None if path == "/embed.html" else "'self'")


def test_embed_frame_ancestors_is_a_setting() -> None:
    own = TestClient(create_app(Settings(embed_frame_ancestors="https://slides.example")))
    assert own.get("/embed.html").headers["content-security-policy"].endswith(
        "frame-ancestors https://slides.example")


def test_pages_are_revalidated_and_point_at_versioned_assets() -> None:
    page = client.get("/")
    assert page.headers["cache-control"] == "no-cache"
    version = version_of(page.text)
    assert 'src="js/' not in page.text and 'href="css/' not in page.text
    # The versioned files are today's files, cached for good.
    r = client.get(f"/v/{version}/js/main.js")
    assert r.content == (REPO_FRONTEND / "js" / "main.js").read_bytes()
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    # Unversioned (and another version's) URLs still work, but are revalidated.
    for path in ("/js/main.js", "/v/0123456789ab/js/main.js"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["cache-control"] == "no-cache"
    assert client.get("/api/health").headers["cache-control"] == "no-cache"
    assert version_of(client.get("/embed.html").text) == version


def test_version_changes_when_a_file_changes(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<script type="module" src="js/a.js"></script>')
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    own = TestClient(create_app(Settings(frontend_dir=tmp_path)))
    before = version_of(own.get("/").text)
    (tmp_path / "js" / "a.js").write_text("export const a = 22;\n")
    time.sleep(1.1)  # the version is recomputed at most once a second
    assert version_of(own.get("/").text) != before


def package_plotly_js() -> Path:
    """plotly.js as the plotly Python package ships it (what its HTML export inlines)."""
    import plotly
    from plotly.offline import get_plotlyjs

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert path.read_text(encoding="utf-8") == get_plotlyjs()
    return path


def test_plotly_js_is_the_installed_packages_own_copy_cached_for_good() -> None:
    assert not (REPO_FRONTEND / "vendor").exists()  # no copy committed to the repository
    version = version_of(client.get("/").text)
    r = client.get(f"/v/{version}/vendor/plotly.min.js", headers={"accept-encoding": "identity"})
    assert r.status_code == 200 and r.content == package_plotly_js().read_bytes()
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    # Revalidated like any other file: the ETag answers 304.
    again = client.get(f"/v/{version}/vendor/plotly.min.js",
                       headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304
    # Nothing else of the package (or beyond the frontend) is reachable through /vendor.
    for path in ("/vendor/plotly.js", "/vendor/../vendor/plotly.min.js.map",
                 "/vendor/package_data/plotly.min.js"):
        assert client.get(path).status_code == 404, path


def test_the_version_follows_the_installed_plotly(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    from gradscape.server import static

    (tmp_path / "index.html").write_text('<script type="module" src="js/a.js"></script>')
    other = tmp_path / "other-plotly.min.js"
    other.write_text("/* another plotly.js */")
    own = TestClient(create_app(Settings(frontend_dir=tmp_path)))
    before = version_of(own.get("/").text)
    monkeypatch.setitem(static.VENDOR, "vendor/plotly.min.js", other)
    time.sleep(1.1)  # the version is recomputed at most once a second
    assert version_of(own.get("/").text) != before
    assert own.get("/vendor/plotly.min.js").text == "/* another plotly.js */"


def test_static_and_large_json_are_gzipped() -> None:
    version = version_of(client.get("/").text)
    plotly = package_plotly_js()
    status, headers, body = raw(f"/v/{version}/vendor/plotly.min.js",
                                **{"accept-encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plotly.read_bytes()
    assert len(body) < plotly.stat().st_size / 2 and "accept-encoding" in headers["vary"].lower()
    # Without Accept-Encoding: the file as it is.
    status, headers, body = raw(f"/v/{version}/vendor/plotly.min.js",
                                **{"accept-encoding": "identity"})
    assert "content-encoding" not in headers and body == plotly.read_bytes()

    with client.stream("POST", "/api/run", json=RACE,
                       headers={"accept-encoding": "gzip"}) as r:
        zipped = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
        assert int(r.headers["content-length"]) == len(zipped)
    plain = client.post("/api/run", json=RACE, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(zipped) == plain.content and len(zipped) < len(plain.content) / 2
    # Small answers are not worth it.
    _, headers, _ = raw("/api/health", **{"accept-encoding": "gzip"})
    assert "content-encoding" not in headers


def test_head_on_health() -> None:
    r = client.head("/api/health")
    assert r.status_code == 200 and r.content == b""


def test_exported_html_allows_exactly_its_inline_scripts() -> None:
    r = client.post("/api/export", json={**RACE, "steps": 20, "format": "html"})
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", r.text, re.DOTALL)
    assert scripts
    expected = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
                + "'" for s in scripts}
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert set(script_src.split()[1:]) == expected
    assert "'unsafe-inline'" not in script_src and "frame-ancestors 'self'" in csp


@pytest.mark.parametrize("body", [
    "[" * 30_000 + "]" * 30_000,
    '{"surface": "himmelblau", "steps": 5, "runs": ' + "[" * 40 + "]" * 40 + "}",
])
def test_deeply_nested_json_is_refused_clearly(body: str, caplog: pytest.LogCaptureFixture) -> None:
    r = client.post("/api/run", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "nested more than" in r.json()["detail"] and "UTF-8" not in r.json()["detail"]
    assert not [rec for rec in caplog.records if rec.exc_info]


def test_shallow_json_still_reaches_the_route() -> None:
    # 20 levels inside a string and a data-set option: the depth check must not refuse it.
    body = {**RACE, "steps": 5, "surface": {"formula": "(" * 20 + "x" + ")" * 20 + "+y^2"}}
    assert client.post("/api/run", json=body).status_code == 200
