"""One event per place (issue 14, as ACLED codes it): records of one mention that differ only by
place stay separate events in the store and the exports, and a later report joins the right one."""

from __future__ import annotations

import marsad
from marsad.io.export import acled_row
from marsad.model import Article
from marsad.store import open_store

TEXT = "تظاهر المئات في برلين وميونيخ وهامبورغ احتجاجا على الحرب."
LATER = "تظاهر مئات في ميونيخ احتجاجا على الحرب."


def _records(aid: str, text: str) -> list[dict]:
    return [e.to_dict() for e in marsad.code(text, article_id=aid, date="2024-03-02") if e.event_type == "PROTEST"]


def _article(aid: str, text: str, source: str) -> Article:
    return Article(id=aid, text=text, date="2024-03-02", title="عنوان", source=source, url=f"https://x.example/{aid}")


def test_sibling_records_stay_apart_and_a_later_report_joins_its_place(store_url):
    siblings = _records("a1", TEXT)
    assert [r["location"]["name_en"] for r in siblings] == ["Berlin", "Munich", "Hamburg"]
    assert len({(r["evidence"]["start"], r["evidence"]["trigger_start"]) for r in siblings}) == 1
    with open_store(store_url) as store:
        store.add_article(_article("a1", TEXT, "alwatan"), siblings, lexicon_version="v1")
        assert store.counts() == {"articles": 1, "mentions": 3, "events": 3}
        store.add_article(_article("b1", LATER, "alghad"), _records("b1", LATER), lexicon_version="v1")
        events = list(store.iter_events())
        assert store.counts()["events"] == 3
        by_place = {e["location"]["name_en"]: e for e in events}
        assert by_place["Munich"]["source_count"] == 2 and by_place["Berlin"]["source_count"] == 1
        assert len({e["event_key"] for e in events}) == 3
        rows = [acled_row(e) for e in events]
        assert sorted(r["location"] for r in rows) == ["Berlin", "Hamburg", "Munich"]


ACTORS = "شارك المئات من الفرنسيين والمعارضين الإيرانيين في مظاهرة أمام السفارة الإيرانية في باريس."


def test_records_of_one_mention_per_actor_country_stay_apart(store_url):
    siblings = _records("a2", ACTORS)
    assert sorted(r["source"]["country"] for r in siblings) == ["FRA", "IRN"]
    with open_store(store_url) as store:
        store.add_article(_article("a2", ACTORS, "alwatan"), siblings, lexicon_version="v1")
        assert store.counts() == {"articles": 1, "mentions": 2, "events": 2}
