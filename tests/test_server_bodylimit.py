"""An oversized request body gets a JSON 413 naming the limit and the setting to change,
whether the body declares its length or arrives in chunks; bodies within the limit and
the WebSocket are unaffected."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi.testclient import TestClient

from gradscape.server.app import create_app
from gradscape.server.config import Settings

LIMIT = 2048
client = TestClient(create_app(Settings(max_message_bytes=LIMIT)))
RUN = {"surface": "bowl", "steps": 3, "runs": [{"optimizer": "sgd"}]}


def padded(size: int) -> bytes:
    """A valid /api/run body of exactly `size` bytes (spaces are valid JSON padding)."""
    body = json.dumps(RUN).encode()
    assert len(body) <= size
    return body + b" " * (size - len(body))


def check_413(response_status: int, body: dict[str, str]) -> str:
    assert response_status == 413
    detail = body["detail"]
    assert f"at most {LIMIT} bytes" in detail and "GRADSCAPE_MAX_MESSAGE_BYTES" in detail
    return detail


def test_declared_length_over_the_limit() -> None:
    response = client.post("/api/run", content=padded(LIMIT + 1),
                           headers={"content-type": "application/json"})
    assert response.headers["content-type"] == "application/json"
    detail = check_413(response.status_code, response.json())
    assert f"is {LIMIT + 1} bytes" in detail


def test_chunked_body_over_the_limit() -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        body = padded(3 * LIMIT)
        for i in range(0, len(body), 500):
            yield body[i:i + 500]

    response = client.post("/api/run", content=chunks(),
                           headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    detail = check_413(response.status_code, response.json())
    assert f"more than {LIMIT} bytes" in detail


def test_bodies_up_to_the_limit_are_served() -> None:
    response = client.post("/api/run", content=padded(LIMIT),
                           headers={"content-type": "application/json"})
    assert response.status_code == 200 and len(response.json()["runs"][0]["points"]) == 4
    assert client.get("/api/health").status_code == 200


def test_the_stream_is_not_a_request_body() -> None:
    with client.websocket_connect("/api/stream") as ws:
        ws.send_json({"type": "start", **RUN})
        while (message := ws.receive_json())["type"] != "done":
            assert message["type"] != "error", message
