"""The review routes: reviewer tokens (constant-time, named), 401/403/404/409/422, the audit log,
the queue, the form's lists and gazetteer search; reading stays open."""

import pytest
from fastapi.testclient import TestClient

from marsad.errors import UsageError
from marsad.web import Settings, create_app
from marsad.web.config import reviewer_tokens
from tests.unit.web.seed import seed

AMAL, OMAR = "amal-token-0123456789", "omar-token-9876543210"
SETTINGS = Settings(reviewers=(("amal", AMAL), ("omar", OMAR)), token="api-token-for-posting-articles")


@pytest.fixture
def client(tmp_path):
    url = str(tmp_path / "marsad.db")
    seed(url)
    with TestClient(create_app(url, settings=SETTINGS), raise_server_exceptions=False) as c:
        yield c


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def first_event(client):
    return client.get("/api/events?sort=date").json()["events"][0]["event_id"]


def test_reading_is_open_and_reviewing_needs_a_reviewer_token(client):
    event_id = first_event(client)
    detail = client.get(f"/api/events/{event_id}").json()
    assert detail["review"]["status"] == "unreviewed" and len(detail["version"]) == 16
    body = {"version": detail["version"], "verdict": "confirmed"}
    for headers in ({}, auth("wrong-token-0123456789"), {"Authorization": f"Basic {AMAL}"}):
        response = client.post(f"/api/events/{event_id}/review", json=body, headers=headers)
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    response = client.post(f"/api/events/{event_id}/review", json=body, headers=auth(AMAL))
    assert response.status_code == 201
    assert (response.json()["review"]["reviewer"], response.json()["review"]["status"]) == ("amal", "confirmed")
    assert client.get("/api/review/me", headers=auth(OMAR)).json() == {"reviewer": "omar"}
    assert client.get("/api/audit").status_code == 401
    (entry,) = client.get("/api/audit", headers=auth(OMAR)).json()["entries"]
    assert (entry["actor"], entry["action"], entry["event_id"]) == ("amal", "review", event_id)


def test_reviews_are_refused_when_no_reviewer_token_is_configured(tmp_path):
    url = str(tmp_path / "marsad.db")
    seed(url)
    with TestClient(create_app(url, settings=Settings()), raise_server_exceptions=False) as c:
        response = c.post("/api/events/1/review", json={"version": "x", "verdict": "confirmed"}, headers=auth(AMAL))
        assert response.status_code == 403 and response.json()["error"]["code"] == "reviews_disabled"


def test_a_stale_version_gets_409_with_the_current_version_and_event(client):
    event_id = first_event(client)
    version = client.get(f"/api/events/{event_id}").json()["version"]
    first = client.post(f"/api/events/{event_id}/review", headers=auth(OMAR),
                        json={"version": version, "verdict": "rejected", "reason": "not-reported"})  # fmt: skip
    late = client.post(f"/api/events/{event_id}/review", headers=auth(AMAL),
                       json={"version": version, "verdict": "confirmed"})  # fmt: skip
    assert (first.status_code, late.status_code) == (201, 409)
    body = late.json()
    assert body["error"]["code"] == "conflict" and body["current_version"] == first.json()["version"]
    assert body["event"]["review"]["status"] == "rejected" and body["event"]["mentions"][0]["display"]
    assert len(client.get("/api/audit", headers=auth(AMAL)).json()["entries"]) == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"verdict": "confirmed"}, "invalid_review"),  # no version
        ({"version": "v", "verdict": "liked"}, "invalid_review"),
        ({"version": "v", "verdict": "rejected", "reason": "boring"}, "invalid_review"),
        ({"version": "v", "verdict": "confirmed", "colour": "red"}, "invalid_review"),
    ],
)
def test_a_malformed_review_is_422(client, body, code):
    response = client.post(f"/api/events/{first_event(client)}/review", json=body, headers=auth(AMAL))
    assert response.status_code == 422 and response.json()["error"]["code"] == code


def test_an_invalid_correction_is_422_naming_the_field_and_an_unknown_event_404(client):
    event_id = first_event(client)
    version = client.get(f"/api/events/{event_id}").json()["version"]
    response = client.post(f"/api/events/{event_id}/review", headers=auth(AMAL),
                           json={"version": version, "verdict": "corrected", "changes": {"event_type": "PICNIC"}})  # fmt: skip
    assert response.status_code == 422 and "PICNIC" in response.json()["error"]["message"]
    response = client.post(
        "/api/events/999999/review", headers=auth(AMAL), json={"version": "v", "verdict": "confirmed"}
    )
    assert response.status_code == 404


def test_a_correction_shows_in_the_list_and_the_stats(client):
    event_id = first_event(client)
    detail = client.get(f"/api/events/{event_id}").json()
    response = client.post(f"/api/events/{event_id}/review", headers=auth(AMAL), json={
        "version": detail["version"], "verdict": "corrected", "changes": {"size": {"min": 40, "max": 40}}})  # fmt: skip
    assert response.status_code == 201 and response.json()["size"] == {"min": 40, "max": 40}
    listed = client.get("/api/events?review=corrected").json()
    assert [e["event_id"] for e in listed["events"]] == [event_id] and listed["events"][0]["size"]["min"] == 40
    assert client.get("/api/events?review=maybe").status_code == 422
    stats = client.get("/api/stats").json()["review"]
    assert stats["reviewed"] == 1 and stats["by_status"]["corrected"] == 1
    kind = detail["event_type"]
    assert stats["precision_by_type"][kind]["precision"] == 0.0 and stats["precision_by_type"][kind]["type_right"] == 1


def test_the_queue_skips_reviewed_and_skipped_events_and_ends_with_null(client):
    seen = []
    while True:
        found = client.get("/api/review/next", params={"skip": ",".join(map(str, seen))} if seen else {}).json()
        if found["event_id"] is None:
            break
        assert 0 <= found["gap"] <= 1 and found["event_id"] not in seen
        seen.append(found["event_id"])
    assert sorted(seen) == sorted(e["event_id"] for e in client.get("/api/events?page_size=500").json()["events"])
    assert client.get("/api/review/next?skip=a,b").status_code == 422


def test_the_form_lists_and_the_gazetteer_search(client):
    options = client.get("/api/review/options").json()
    assert "demo" in options["types"]["PROTEST"] and options["reasons"]["wrong-type"] == "wrong type"
    assert options["roles"]["COP"] == "police"
    assert {"iso3": "IRQ", "name_en": "Iraq", "name_ar": "العراق"} in options["countries"]
    (basra, *_) = client.get("/api/gazetteer", params={"q": "البصرة"}).json()["places"]
    assert (basra["name_en"], basra["country_iso3"], basra["name_ar"]) == ("Basrah", "IRQ", "البصرة")
    assert client.get("/api/gazetteer", params={"q": "Aleppo"}).json()["places"][0]["name_ar"] == "حلب"
    assert client.get("/api/gazetteer", params={"q": "x"}).status_code == 422


def test_posting_an_article_is_in_the_audit_log(client):
    response = client.post("/api/articles", headers=auth(SETTINGS.token),
                           json={"id": "new-1", "text": "تظاهر مئات الطلاب في بغداد أمس."})  # fmt: skip
    assert response.status_code == 201
    (entry,) = client.get("/api/audit", headers=auth(AMAL)).json()["entries"]
    assert (entry["actor"], entry["action"], entry["detail"]["article_id"]) == ("api-token", "post-article", "new-1")


def test_reviewer_tokens_come_from_the_variable_and_a_file(tmp_path):
    tokens = tmp_path / "reviewers.txt"
    tokens.write_text("# team\nomar omar-token-9876543210\n", encoding="utf-8")
    assert reviewer_tokens(f"amal:{AMAL}", str(tokens)) == (("amal", AMAL), ("omar", OMAR))
    env = {"MARSAD_REVIEW_TOKENS": f"amal:{AMAL}", "MARSAD_REVIEW_TOKENS_FILE": str(tokens)}
    assert Settings.from_env(env).reviewers == (("amal", AMAL), ("omar", OMAR))
    with pytest.raises(UsageError, match="16"):
        reviewer_tokens("amal:short", "")
    with pytest.raises(UsageError, match="share a token"):
        reviewer_tokens(f"amal:{AMAL},omar:{AMAL}", "")
    with pytest.raises(UsageError, match="cannot be read"):
        reviewer_tokens("", str(tmp_path / "missing.txt"))
