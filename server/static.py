"""The frontend's files: versioned URLs cached for good, HTML revalidated, text gzipped.

Versioning without a build step. The version is a hash of every frontend file's path, size
and modification time (a stat walk, about a millisecond; redone at most once a second, so
an edited file shows at the next reload). HTML pages are served with their `css/` and `js/`
references rewritten to `v/<version>/css/...`: every module a page loads, and every module
and worker those import by relative URL, then lives under that prefix, so all of them are
immutable for a year. A page is `no-cache` (revalidated each time, a few KB), so a new
version is picked up at the next load. A request under another version's prefix (a page
from before a deploy) still gets today's file, revalidated rather than cached for good.

Compression. JavaScript, CSS, HTML, JSON and SVG above 1 KB go out gzipped to clients that
accept it (plotly.js: 4.8 MB -> 1.5 MB), compressed once per file version on a thread and
kept in a cache bounded by bytes.

Vendored files. `vendor/plotly.min.js` (the 3D view) is the plotly Python package's own copy,
the same plotly.js the HTML export inlines, served from where pip installed it rather than
committed to the repository. It is part of the version, so upgrading plotly changes the URL.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import time
from collections import OrderedDict
from pathlib import Path

import anyio
import plotly
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_GZIP = 1024
GZIP_CACHE_BYTES = 32 * 1024 * 1024
_VERSIONED = re.compile(r"^v/([0-9a-f]{12})/(.*)$", re.DOTALL)
_ASSET_REF = re.compile(r'((?:href|src)=")((?:css|js|vendor)/)')


# URL path (under the frontend) -> a file of an installed package.
VENDOR = {"vendor/plotly.min.js": Path(plotly.__file__).parent / "package_data" / "plotly.min.js"}


def accepts_gzip(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"accept-encoding":
            return b"gzip" in value.lower()
    return False


class Frontend(StaticFiles):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True)
        self.root = directory
        self._version = ("", 0.0)  # (version, when computed)
        self._gzipped: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._gzipped_bytes = 0

    def version(self) -> str:
        """The frontend's current version (12 hex digits)."""
        now = time.monotonic()
        if now - self._version[1] > 1.0:
            digest = hashlib.sha256()
            for folder, dirs, files in sorted(os.walk(self.root)):
                dirs.sort()
                for name in sorted(files):
                    path = os.path.join(folder, name)
                    st = os.stat(path)
                    digest.update(f"{os.path.relpath(path, self.root)}\0{st.st_size}\0"
                                  f"{st.st_mtime_ns}\n".encode())
            for name, vendor_path in VENDOR.items():
                st = os.stat(vendor_path)
                digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
            self._version = (digest.hexdigest()[:12], now)
        return self._version[0]

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        vendored = VENDOR.get(path.replace(os.sep, "/"))
        if vendored is not None:
            return str(vendored), os.stat(vendored)
        return super().lookup_path(path)

    async def get_response(self, path: str, scope: Scope) -> Response:
        fresh = time.monotonic() - self._version[1] <= 1.0
        version = self._version[0] if fresh else await anyio.to_thread.run_sync(self.version)
        match = _VERSIONED.match(path)
        if match:
            path = match.group(2)
        response = await super().get_response(path, scope)
        if response.status_code == 304:
            response.headers["cache-control"] = REVALIDATE
            return response
        if not isinstance(response, FileResponse) or response.status_code != 200:
            return response
        file = str(response.path)
        if file.endswith(".html"):
            return await self._page(file, version, scope, response)
        immutable = match is not None and match.group(1) == version
        response.headers["cache-control"] = IMMUTABLE if immutable else REVALIDATE
        media = response.media_type or ""
        size = int(response.headers.get("content-length", "0"))
        if size < MIN_GZIP or not media.startswith(COMPRESSIBLE) or not accepts_gzip(scope):
            return response
        body = await self._gzip(file, response.headers.get("etag", ""))
        headers = {k: v for k, v in response.headers.items()
                   if k in ("etag", "last-modified", "cache-control", "content-type")}
        return Response(body, headers={**headers, "content-encoding": "gzip",
                                       "vary": "Accept-Encoding"})

    async def _page(self, file: str, version: str, scope: Scope, original: Response) -> Response:
        text = await anyio.Path(file).read_text(encoding="utf-8")
        body = _ASSET_REF.sub(rf"\g<1>v/{version}/\g<2>", text).encode()
        headers = {"cache-control": REVALIDATE,
                   "content-type": original.headers.get("content-type", "text/html")}
        if accepts_gzip(scope) and len(body) >= MIN_GZIP:
            body = gzip.compress(body, compresslevel=6)  # a few KB: quick enough on the loop
            headers.update({"content-encoding": "gzip", "vary": "Accept-Encoding"})
        return Response(body, headers=headers)

    async def _gzip(self, file: str, etag: str) -> bytes:
        key = (file, etag)
        cached = self._gzipped.get(key)
        if cached is not None:
            self._gzipped.move_to_end(key)
            return cached
        data = await anyio.to_thread.run_sync(
            lambda: gzip.compress(Path(file).read_bytes(), compresslevel=6, mtime=0))
        self._gzipped[key] = data
        self._gzipped_bytes += len(data)
        while self._gzipped_bytes > GZIP_CACHE_BYTES and len(self._gzipped) > 1:
            _, old = self._gzipped.popitem(last=False)
            self._gzipped_bytes -= len(old)
        return data
