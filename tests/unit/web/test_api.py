"""The REST API: every endpoint, its filters and limits, its errors and its guards (issues 5 and 7)."""

import logging
import statistics
import sys
import time
import types
import uuid

import pytest
from fastapi.testclient import TestClient

from marsad.errors import UsageError
from marsad.store import StoreError, open_store
from marsad.store.query import bucket_dates
from marsad.store.schema import CURRENT
from marsad.store.store import Store
from marsad.web import Settings, create_app
from marsad.web import app as web_app
from marsad.web.commands import add_commands
from tests.unit.store import pg_server
from tests.unit.web.seed import A1, A6, SEED, seed
from tests.unit.web.synthetic import fill

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
TOKEN = "s3cret-token"
# Seed events by id (ingest order): 1 Cairo protest (a1 + a2), 2 Amman sit-in, 3 Cairo arrest, 4 Baghdad bomb.


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_url(request, tmp_path_factory):
    """The six seed articles stored on each backend (read-only for the tests that use it)."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("seeded") / "marsad.db")
    else:
        admin = request.getfixturevalue("pg_admin_url")
        url = pg_server.create_database(admin, f"marsad_web_{uuid.uuid4().hex[:12]}")
    seed(url)
    return url


@pytest.fixture(scope="module")
def client(seeded_url):
    with TestClient(create_app(seeded_url, settings=Settings()), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fresh_url(tmp_path):
    return str(tmp_path / "fresh.db")


@pytest.fixture(scope="session")
def big_store_url(tmp_path_factory):
    """A SQLite store of 10,000 events (synthetic.py), built once per session in ~2 s."""
    url = str(tmp_path_factory.mktemp("big") / "big.db")
    with open_store(url) as store:
        fill(store, 10_000)
    return url


def ids(response):
    assert response.status_code == 200, response.text
    return [e["event_id"] for e in response.json()["events"]]


def error_of(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]["code"]


# --- GET /api/events (SQLite and PostgreSQL) ---------------------------------------------------


def test_events_are_newest_first_with_first_evidence_and_mention_count(client):
    body = client.get("/api/events").json()
    assert (body["total"], body["total_exact"], body["page"], body["page_size"]) == (4, True, 1, 50)
    assert [(e["event_id"], e["date"]) for e in body["events"]] == [
        (2, "2024-03-05"), (1, "2024-03-01"), (3, "2024-02-10"), (4, "2024-01-20")]  # fmt: skip
    cairo = body["events"][1]
    assert "mentions" not in cairo
    assert (cairo["mention_count"], cairo["source_count"], cairo["event_type"], cairo["mode"]) == (
        2,
        2,
        "PROTEST",
        "demo",
    )
    assert cairo["evidence"] == {"sentence": A1, "trigger": "تظاهر", "article_id": "a1"}
    assert cairo["location"]["name_en"] == "Cairo" and cairo["size"]["min"] == 2000
    assert set(cairo) == {"event_id", "event_key", "event_type", "mode", "date", "time_precision", "location",
                          "country_iso3", "source", "target", "size", "fatalities", "injuries", "source_count",
                          "mention_count", "evidence", "display", "review"}  # fmt: skip
    assert cairo["display"] == {"source": cairo["source"]["text"], "target": None, "size": cairo["size"]["text"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=PROTEST", [2, 1]),
        ("type=protest", [2, 1]),
        ("mode=arrest", [3]),
        ("country=jor", [2]),
        ("place=Cairo", [1, 3]),
        ("place=القاهرة", [1, 3]),
        ("bbox=35,31,36.5,32.5", [2]),
        ("bbox=30,25,45,35", [2, 1, 3, 4]),
        ("bbox=170,-10,-170,10", []),
        ("bbox=40,0,-170,50", [4]),
        ("since=2024-03-01", [2, 1]),
        ("until=2024-02-10", [3, 4]),
        ("since=2024-02-01&until=2024-03-01", [1, 3]),
        ("actor=EDU", [2, 1]),
        ("actor=الشرطة", [3]),
        ("actor=egy", [3]),
        ("q=آلاف", [1]),
        ("q=اعتقالات", [3]),
        ("q=%25", []),
        ("q=_", []),
        ("type=PROTEST&country=EGY", [1]),
        ("type=PROTEST&country=IRQ", []),
    ],
)
def test_each_filter_selects_exactly_its_events(client, query, expected):
    response = client.get(f"/api/events?{query}")
    assert ids(response) == expected
    assert response.json()["total"] == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("-date", [2, 1, 3, 4]), ("date", [4, 3, 1, 2]), ("-source_count", [1, 4, 3, 2]), ("source_count", [2, 3, 4, 1])],
)
def test_sorts_are_total_orders(client, sort, expected):
    assert ids(client.get(f"/api/events?sort={sort}")) == expected


def test_pages_cover_every_event_once(client):
    pages = [client.get(f"/api/events?page={n}&page_size=3&sort=date").json() for n in (1, 2, 3)]
    assert [[e["event_id"] for e in p["events"]] for p in pages] == [[4, 3, 1], [2], []]
    assert {p["total"] for p in pages} == {4}


@pytest.mark.parametrize("query", ["page_size=501", "page_size=0", "page=0", "page=-1", "page_size=ten", "sort=id",
                                   "sort=date;DROP", "country=EG", "since=2024-13-01", "since=yesterday",
                                   "until=2024-02-30", "since=2024-03-02&until=2024-03-01", "type=PRO TEST"])  # fmt: skip
def test_invalid_parameters_are_422_with_a_message(client, query):
    response = client.get(f"/api/events?{query}")
    assert error_of(response, 422) == "invalid_parameter"
    assert response.json()["error"]["message"]


def test_the_hard_maximum_page_size_is_allowed_and_configurable(client, fresh_url):
    assert client.get("/api/events?page_size=500").status_code == 200
    small = TestClient(create_app(fresh_url, settings=Settings(page_size=2, max_page_size=3)))
    assert small.get("/api/events").json()["page_size"] == 2
    assert small.get("/api/events?page_size=3").status_code == 200
    assert "less than or equal to 3" in small.get("/api/events?page_size=4").json()["error"]["message"]


@pytest.mark.parametrize("bbox", ["1,2,3", "1,2,3,4,5", "a,b,c,d", "0,0,200,10", "0,50,10,40", "nan,0,1,1",
                                  "inf,0,1,1", "0,-91,1,1", "", ",,,"])  # fmt: skip
def test_bad_bbox_is_422_naming_the_format(client, bbox):
    response = client.get("/api/events", params={"bbox": bbox})
    assert error_of(response, 422) == "invalid_parameter"
    assert "minlon,minlat,maxlon,maxlat" in response.json()["error"]["message"]


# --- GET /api/events/{id} ------------------------------------------------------------------------


def test_one_event_has_all_its_mentions_with_records(client):
    event = client.get("/api/events/1").json()
    assert [(m["article_id"], m["article_source"], m["url"]) for m in event["mentions"]] == [
        ("a1", "alwatan", "https://x.example/a1"), ("a2", "alahram", "https://x.example/a2")]  # fmt: skip
    assert event["mentions"][0]["record"] == {**SEED[0][1][0], "article_id": "a1"}
    assert event["event_id"] == 1 and event["source_count"] == 2


def test_missing_event_is_404_json(client):
    assert error_of(client.get("/api/events/999"), 404) == "not_found"
    assert error_of(client.get("/api/events/abc"), 422) == "invalid_parameter"


# --- GET /api/stats ------------------------------------------------------------------------------


def test_stats_count_by_day_type_and_country(client):
    body = client.get("/api/stats").json()
    assert body.pop("review")["unreviewed"] == 4
    assert body == {
        "total": 4,
        "by_date": [{"date": "2024-01-20", "count": 1}, {"date": "2024-02-10", "count": 1},
                    {"date": "2024-03-01", "count": 1}, {"date": "2024-03-05", "count": 1}],
        "by_type": {"ASSAULT": 1, "COERCE": 1, "PROTEST": 2},
        "by_country": {"EGY": 2, "IRQ": 1, "JOR": 1},
    }  # fmt: skip


def test_stats_by_week_start_on_monday_and_take_the_filters(client):
    body = client.get("/api/stats?group=week&type=PROTEST").json()
    assert body.pop("review")["events"] == 2
    assert body == {"total": 2, "by_date": [{"date": "2024-02-26", "count": 1}, {"date": "2024-03-04", "count": 1}],
                    "by_type": {"PROTEST": 2}, "by_country": {"EGY": 1, "JOR": 1}}  # fmt: skip
    assert error_of(client.get("/api/stats?group=month"), 422) == "invalid_parameter"


def test_weekly_buckets_merge_days_of_one_week():
    days = [("2024-03-04", 1), ("2024-03-10", 2), ("2024-03-11", 3), ("2024", 9)]
    assert bucket_dates(days, "week") == [{"date": "2024-03-04", "count": 3}, {"date": "2024-03-11", "count": 3}]
    with pytest.raises(UsageError):
        bucket_dates(days, "year")


# --- GET /api/articles/{id} ----------------------------------------------------------------------


def test_article_has_every_coded_span_labelled(client):
    body = client.get("/api/articles/a1").json()
    assert {k: body[k] for k in ("id", "title", "source", "url", "date", "text")} == {
        "id": "a1", "title": "مظاهرة طلابية", "source": "alwatan", "url": "https://x.example/a1", "date": "2024-03-02",
        "text": A1}  # fmt: skip
    assert [(A1[s["start"] : s["end"]], s["kind"], s["label_en"], s["label_ar"], s["event_id"]) for s in body["spans"]] == [
        ("تظاهر", "trigger", "PROTEST demo trigger", "الحدث", 1),
        ("مئات", "size", "size: 200–999", "العدد: 200–999", 1),
        ("الطلاب", "source", "source: students (EDU)", "الفاعل", 1),
        ("القاهرة", "location", "location: Cairo (EGY)", "المكان: القاهرة", 1),
    ]  # fmt: skip


def test_article_spans_include_targets_fatalities_and_negated_mentions(client):
    arrest = client.get("/api/articles/a4").json()["spans"]
    assert ("target", "target: activists (ACT)", "المستهدف") in [
        (s["kind"], s["label_en"], s["label_ar"]) for s in arrest
    ]
    assert ("source", "source: police (EGY COP)") in [(s["kind"], s["label_en"]) for s in arrest]
    bomb = client.get("/api/articles/a5").json()["spans"]
    assert ("fatalities", "fatalities: 3", "القتلى: 3") in [(s["kind"], s["label_en"], s["label_ar"]) for s in bomb]
    negated = client.get("/api/articles/a6").json()
    assert [(A6[s["start"] : s["end"]], s["event_id"]) for s in negated["spans"]] == [("يتظاهر", None), ("عمان", None)]


def test_missing_article_is_404_json(client):
    assert error_of(client.get("/api/articles/nope"), 404) == "not_found"


# --- GET /api/health -----------------------------------------------------------------------------


def test_health_reports_schema_and_counts(client):
    assert client.get("/api/health").json() == {"status": "ok", "schema_version": CURRENT, "events": 4, "articles": 6}


# --- injection: every filter, nothing leaks, nothing changes -------------------------------------

PAYLOADS = ["' OR '1'='1", "1; DROP TABLE events; --", "%' UNION SELECT id, text FROM articles --", "\\", "\"",
            "')) OR 1=1 --", "1 OR 1=1", "\x00", "a\x00%"]  # fmt: skip
FILTERS = ["type", "mode", "country", "place", "bbox", "since", "until", "actor", "q"]
PARAMS = [*FILTERS, "sort", "page", "page_size", "group"]


@pytest.mark.parametrize("param", PARAMS)
def test_sql_injection_in_a_filter_finds_nothing_and_harms_nothing(client, seeded_url, param):
    with open_store(seeded_url) as store:
        before = store.counts()
    for payload in PAYLOADS:
        paths = ["/api/events"] * (param != "group") + ["/api/stats"] * (param in [*FILTERS, "group"])
        for path in paths:
            response = client.get(path, params={param: payload})
            assert response.status_code in (200, 422), (param, payload, response.text)
            text = response.text.lower()
            assert "traceback" not in text and "select" not in text.replace("union select", "") and "sqlite" not in text
            if response.status_code == 200:
                assert response.json()["total"] == 0, (param, payload)
    for payload in PAYLOADS[:3]:
        assert client.get(f"/api/articles/{payload}").status_code == 404
    with open_store(seeded_url) as store:
        assert store.counts() == before


# --- POST /api/articles --------------------------------------------------------------------------

BAGHDAD_TEXT = (
    "بغداد – تظاهر مئات الخريجين العاطلين عن العمل في ساحة التحرير وسط بغداد، الأحد، للمطالبة بتوفير فرص عمل."
)


def post(client, body, token=TOKEN, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post("/api/articles", json=body, headers=headers, **kwargs)


@pytest.fixture
def writer(fresh_url):
    with TestClient(create_app(fresh_url, token=TOKEN), raise_server_exceptions=False) as c:
        yield c


def test_post_without_a_configured_token_is_403(fresh_url, monkeypatch):
    monkeypatch.delenv("MARSAD_API_TOKEN", raising=False)
    client = TestClient(create_app(fresh_url))
    response = post(client, {"id": "x", "text": BAGHDAD_TEXT})
    assert error_of(response, 403) == "writes_disabled"
    assert "writes disabled" in response.json()["error"]["message"]


@pytest.mark.parametrize("token", [None, "wrong", "", TOKEN + "x", "s3cret"])
def test_post_with_a_wrong_or_missing_token_is_401(writer, token):
    assert error_of(post(writer, {"id": "x", "text": BAGHDAD_TEXT}, token=token), 401) == "unauthorized"


def test_post_with_another_scheme_is_401(writer):
    response = writer.post("/api/articles", json={"id": "x", "text": BAGHDAD_TEXT}, headers={"Authorization": TOKEN})
    assert error_of(response, 401) == "unauthorized"


def test_post_codes_and_stores_once(writer):
    body = {"id": "baghdad-1", "text": BAGHDAD_TEXT, "date": "2024-03-03", "title": "تظاهرة", "source": "alsumaria"}
    first = post(writer, body)
    assert first.status_code == 201, first.text
    stored = first.json()
    assert (stored["article_id"], stored["stored"], stored["reason"]) == ("baghdad-1", True, None)
    assert stored["event_ids"] == sorted(ids(writer.get("/api/events"))) != []
    assert "PROTEST" in {e["event_type"] for e in writer.get("/api/events").json()["events"]}
    assert writer.get("/api/articles/baghdad-1").json()["spans"]
    again = post(writer, {**body, "id": "baghdad-copy"})
    assert again.json() == {"article_id": "baghdad-1", "stored": False, "reason": "duplicate",
                            "event_ids": stored["event_ids"]}  # fmt: skip
    assert writer.get("/api/health").json()["articles"] == 1


def test_post_of_an_english_article_is_not_stored(writer):
    response = post(writer, {"id": "en", "text": "Hundreds of students protested in Cairo on Sunday against fees."})
    assert response.json() == {"article_id": "en", "stored": False, "reason": "language:en", "event_ids": []}


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ({"text": BAGHDAD_TEXT}, "invalid_article", "id: Field required"),
        ({"id": "x"}, "invalid_article", "text: Field required"),
        ({"id": "x", "text": "   "}, "invalid_article", "text: is empty"),
        ({"id": "x", "text": 5}, "invalid_article", "text: Input should be a valid string"),
        ({"id": "x", "text": BAGHDAD_TEXT, "date": "3 March"}, "invalid_article", "date:"),
        ({"id": "x", "text": BAGHDAD_TEXT, "date": "2024-02-30"}, "invalid_parameter", "YYYY-MM-DD"),
        ({"id": "x", "text": BAGHDAD_TEXT, "extra": 1}, "invalid_article", "extra: Extra inputs are not permitted"),
        ([1, 2], "invalid_article", "body:"),
    ],
)
def test_post_with_invalid_fields_is_422_with_the_field_named(writer, body, code, words):
    response = post(writer, body)
    assert error_of(response, 422) == code
    assert words in response.json()["error"]["message"]


def test_post_with_invalid_json_is_422(writer):
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for raw in (b"{not json", b"\xff\xfe", b""):
        assert error_of(writer.post("/api/articles", content=raw, headers=headers), 422) == "invalid_json"


def test_oversize_bodies_and_articles_are_refused(fresh_url):
    client = TestClient(
        create_app(fresh_url, token=TOKEN, settings=Settings(max_body_bytes=1000, max_article_chars=50))
    )
    big = {"id": "big", "text": "ا" * 2000}
    assert error_of(post(client, big), 413) == "payload_too_large"

    def chunks():
        yield b'{"id": "big", "text": "'
        for _ in range(10):
            yield b"a" * 200
        yield b'"}'

    streamed = client.post("/api/articles", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}"})
    assert error_of(streamed, 413) == "payload_too_large"
    assert "over the limit of 50" in post(client, {"id": "long", "text": BAGHDAD_TEXT}).json()["error"]["message"]
    assert client.get("/api/health").json()["articles"] == 0


# --- guards: headers, errors, CORS ---------------------------------------------------------------


def test_security_headers_on_every_response(writer, monkeypatch):
    monkeypatch.setattr(Store, "counts", lambda self: 1 / 0)
    responses = [writer.get("/api/events"), writer.get("/api/events/9"), writer.get("/api/events?page=0"),
                 writer.get("/nowhere"), writer.get("/"), writer.get("/openapi.json"), writer.get("/static/none.js"),
                 writer.delete("/api/events"), writer.get("/api/health"),
                 post(writer, {"id": "x", "text": "ا" * 3_000_000})]  # fmt: skip
    assert [r.status_code for r in responses] == [200, 404, 422, 404, 200, 200, 404, 405, 500, 413]
    for response in responses:
        assert {k: response.headers.get(k) for k in HEADERS} == HEADERS, response.request.url


def test_an_unexpected_error_is_a_500_without_details_and_is_logged(writer, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("secret detail at /srv/marsad/db")

    monkeypatch.setattr(Store, "event_page", boom)
    with caplog.at_level(logging.ERROR, logger="marsad.web"):
        response = writer.get("/api/events")
    assert response.json() == {"error": {"code": "internal_error", "message": "internal error; it has been logged"}}
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "secret detail" in caplog.text and "RuntimeError" in caplog.text


def test_a_store_failure_is_503(writer, monkeypatch):
    def locked(*args, **kwargs):
        raise StoreError("database is locked at /srv/marsad.db")

    monkeypatch.setattr(Store, "stats", locked)
    response = writer.get("/api/stats")
    assert error_of(response, 503) == "store_unavailable" and "/srv" not in response.text
    assert writer.get("/api/health").status_code == 200  # the thread's connection was replaced


def test_cors_is_off_by_default_and_on_when_configured(fresh_url):
    origin = {"Origin": "https://evil.example"}
    off = TestClient(create_app(fresh_url, settings=Settings()))
    assert "access-control-allow-origin" not in off.get("/api/events", headers=origin).headers
    preflight = off.options("/api/events", headers={**origin, "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers
    on = TestClient(create_app(fresh_url, settings=Settings(cors_origins=("https://ok.example",))))
    allowed = on.get("/api/events", headers={"Origin": "https://ok.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://ok.example"
    assert "access-control-allow-origin" not in on.get("/api/events", headers=origin).headers


# --- settings, pages, world map, OpenAPI, serve --------------------------------------------------


def test_settings_come_from_the_environment_with_defaults():
    assert Settings.from_env({}) == Settings(None, 50, 500, 2 * 1024 * 1024, 200_000, ())
    env = {
        "MARSAD_API_TOKEN": "t",
        "MARSAD_API_MAX_PAGE_SIZE": "100",
        "MARSAD_API_CORS_ORIGINS": "https://a, https://b",
    }
    assert Settings.from_env(env) == Settings("t", 50, 100, 2 * 1024 * 1024, 200_000, ("https://a", "https://b"))
    with pytest.raises(UsageError, match="whole number"):
        Settings.from_env({"MARSAD_API_MAX_BODY": "2MB"})
    with pytest.raises(UsageError, match="between 1 and the maximum"):
        Settings(page_size=600)


def test_token_from_the_environment_enables_writes(fresh_url, monkeypatch):
    monkeypatch.setenv("MARSAD_API_TOKEN", "from-env")
    client = TestClient(create_app(fresh_url))
    assert error_of(post(client, {"id": "x", "text": "   "}, token="from-env"), 422) == "invalid_article"


def test_index_is_the_dashboard_or_a_placeholder(fresh_url, tmp_path, monkeypatch):
    monkeypatch.setattr(web_app, "STATIC", tmp_path / "static")
    missing = TestClient(create_app(fresh_url)).get("/")
    assert missing.status_code == 200 and "dashboard is not installed" in missing.text
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "index.html").write_text("<!doctype html><title>مرصد</title>", encoding="utf-8")
    (tmp_path / "static" / "app.js").write_text("console.log(1);", encoding="utf-8")
    client = TestClient(create_app(fresh_url))
    assert "مرصد" in client.get("/").text
    assert client.get("/static/app.js").text == "console.log(1);"


def test_world_outlines_are_cached_with_an_etag(fresh_url, monkeypatch):
    fake = types.ModuleType("marsad.web.worldmap")
    fake.world_geojson = lambda: {"type": "FeatureCollection", "features": []}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "marsad.web.worldmap", fake)
    client = TestClient(create_app(fresh_url))
    first = client.get("/api/world")
    assert first.json() == {"type": "FeatureCollection", "features": []}
    assert first.headers["cache-control"] == "public, max-age=86400" and first.headers["etag"]
    again = client.get("/api/world", headers={"If-None-Match": first.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")


def test_world_outlines_unavailable_is_503(fresh_url, monkeypatch):
    fake = types.ModuleType("marsad.web.worldmap")

    def broken():
        raise OSError("no shapefile")

    fake.world_geojson = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "marsad.web.worldmap", fake)
    response = TestClient(create_app(fresh_url)).get("/api/world")
    assert error_of(response, 503) == "world_unavailable" and "shapefile" not in response.text


def test_text_filtered_totals_stop_at_the_count_cap(seeded_url):
    capped = TestClient(create_app(seeded_url, settings=Settings(count_cap=1)))
    body = capped.get("/api/events?actor=EDU&page_size=1").json()
    assert (body["total"], body["total_exact"], [e["event_id"] for e in body["events"]]) == (1, False, [2])
    assert ids(capped.get("/api/events?actor=EDU&page=2&page_size=1")) == [1]
    for query, total in (("?q=اعتقالات", 1), ("", 4), ("?type=PROTEST", 2)):
        body = capped.get(f"/api/events{query}").json()
        assert (body["total"], body["total_exact"]) == (total, True), query
    assert capped.get("/api/events?q=لا+يوجد").json() == {"total": 0, "total_exact": True, "page": 1, "page_size": 50,
                                                            "events": []}  # fmt: skip


def test_count_cap_comes_from_the_environment():
    assert Settings.from_env({}).count_cap == 1000
    assert Settings.from_env({"MARSAD_API_COUNT_CAP": "20"}).count_cap == 20
    with pytest.raises(UsageError, match="COUNT_CAP"):
        Settings.from_env({"MARSAD_API_COUNT_CAP": "0"})


def test_openapi_documents_every_endpoint_and_the_page_limit(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/stats", "/api/articles/{article_id}", "/api/articles",
            "/api/health", "/api/world"} <= set(spec["paths"])  # fmt: skip
    size = next(p for p in spec["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "page_size")
    assert size["schema"]["maximum"] == 500
    assert "requestBody" in spec["paths"]["/api/articles"]["post"]
    assert spec["components"]["schemas"]["EventPage"]["properties"]["total_exact"]["type"] == "boolean"


def test_serve_prints_the_url_and_runs_uvicorn(fresh_url, monkeypatch, capsys):
    import argparse

    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers())
    args = parser.parse_args(["serve", "--db", fresh_url, "--port", "8123"])
    assert args.func(args) == 0
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)


# --- speed on 10,000 events ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/events?type=PROTEST", "/api/stats", "/api/stats?type=PROTEST&group=week"])
def test_10000_events_answer_well_under_100_ms(big_store_url, url):
    client = TestClient(create_app(big_store_url, settings=Settings()))
    assert client.get("/api/health").json()["events"] == 10_000
    timings = []
    for _ in range(15):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.1, timings


@pytest.mark.parametrize("setting", ["0", "0.5", "0.9", "1", "precision", "recall", "default"])
def test_min_confidence_keeps_the_events_with_a_factual_mention_at_that_level(client, setting):
    from marsad.learn.detector import load_detector

    floors = load_detector().floors(setting)
    expected = []
    for event_id in ids(client.get("/api/events?page_size=500")):
        mentions = [m["record"] for m in client.get(f"/api/events/{event_id}").json()["mentions"]]
        if any(
            not m["negated"] and not m["hypothetical"] and m["confidence"] >= floors.get(m["event_type"], floors["*"])
            for m in mentions
        ):
            expected.append(event_id)
    response = client.get(f"/api/events?page_size=500&min_confidence={setting}")
    assert ids(response) == expected


@pytest.mark.parametrize("setting", ["strict", "1.5", "-0.1", "0.5;DROP"])
def test_a_bad_min_confidence_is_422(client, setting):
    assert error_of(client.get(f"/api/events?min_confidence={setting}"), 422) == "invalid_parameter"
