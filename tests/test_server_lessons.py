"""GET /api/lessons: the gallery the browser's lessons panel reads; scenes run as given."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gradscape.lessons import LESSONS
from gradscape.server.app import create_app


def test_lessons_are_served_and_their_scenes_are_valid_run_requests() -> None:
    client = TestClient(create_app())
    listing = client.get("/api/lessons")
    assert listing.status_code == 200
    body = listing.json()
    assert [item["id"] for item in body] == [lesson.id for lesson in LESSONS]
    for item in body:
        assert item["title"]["en"] and item["title"]["zh"]
        scenes = [item["scene"]] + ([item["variant"]["scene"]] if item["variant"] else [])
        for scene in scenes:  # the lesson's scene and the "after" its panel offers
            if scene.get("mode") == "network":  # a network race's body, not a surface's
                short = {**scene["request"], "steps": min(scene["request"]["steps"], 20)}
                response = client.post("/api/network/train", json=short)
                assert response.status_code == 200, (item["id"], response.text)
                assert len(response.json()["runs"]) == len(scene["request"]["runs"])
                continue
            request = {"surface": scene["surface"], "steps": min(scene["steps"], 20),
                       "seed": scene["seed"], "runs": scene["runs"]}
            response = client.post("/api/run", json=request)
            assert response.status_code == 200, (item["id"], response.text)
            assert len(response.json()["runs"]) == len(scene["runs"])
    assert sum(bool(item["variant"]) for item in body) == sum(bool(x.variant) for x in LESSONS)


def test_unknown_lesson_is_a_404_naming_the_known_ones() -> None:
    response = TestClient(create_app()).get("/api/lessons/nope")
    assert response.status_code == 404 and "random_vs_gradient" in response.json()["detail"]


def test_no_page_that_loads_scripts_from_a_cdn() -> None:
    client = TestClient(create_app())
    assert client.get("/openapi.json").status_code == 200
    for path in ("/docs", "/redoc"):
        assert "cdn" not in client.get(path).text.lower()
