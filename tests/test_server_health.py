"""The server foundation: health endpoint and the static frontend at /."""

from fastapi.testclient import TestClient

from gradscape.server.app import app

client = TestClient(app)


def test_health_reports_ok_and_version() -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert isinstance(body["version"], str) and body["version"]


def test_root_serves_frontend_html() -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "gradscape" in response.text
