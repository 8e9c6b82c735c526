"""Deduplication rules on hand-built mention keys: every rule, every near miss."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from pytest import approx

from marsad.store.dedup import (
    MIN_SCORE,
    MentionKey,
    best_match,
    block_key,
    candidate_window,
    cluster,
    date_span,
    mention_key,
    same_event,
    type_family,
)

BAGHDAD = {"geonameid": 98182, "country_iso3": "IRQ", "admin1": "Baghdād", "lat": 33.34058, "lon": 44.40088,
           "geo_precision": 1, "feature": "city"}  # fmt: skip
BAGHDAD_PROVINCE = {"geonameid": 98180, "country_iso3": "IRQ", "admin1": "Baghdād", "lat": 33.34058,
                    "lon": 44.40088, "geo_precision": 3, "feature": "admin"}  # fmt: skip
IRAQ = {"geonameid": 99237, "country_iso3": "IRQ", "admin1": None, "lat": 33.34058, "lon": 44.40088,
        "geo_precision": 3, "feature": "country"}  # fmt: skip
BASRA = {"geonameid": 99532, "country_iso3": "IRQ", "admin1": "Al Başrah", "lat": 30.50852, "lon": 47.7804,
         "geo_precision": 1, "feature": "city"}  # fmt: skip
KHAN_YOUNIS = {"geonameid": 281102, "country_iso3": "PSE", "admin1": "Gaza Strip", "lat": 31.34018,
               "lon": 34.30627, "geo_precision": 1, "feature": "city"}  # fmt: skip
RAFAH = {"geonameid": 281129, "country_iso3": "PSE", "admin1": "Gaza Strip", "lat": 31.29722, "lon": 34.24357,
         "geo_precision": 1, "feature": "city"}  # fmt: skip
NEAR_KHAN_YOUNIS = {"geonameid": None, "country_iso3": "PSE", "admin1": "Gaza Strip", "lat": 31.36,
                    "lon": 34.32, "geo_precision": 2, "feature": "landmark"}  # fmt: skip
JENIN = {"geonameid": 283506, "country_iso3": "PSE", "admin1": "West Bank", "lat": 32.45943, "lon": 35.30086,
         "geo_precision": 1, "feature": "city"}  # fmt: skip
QABATIYA = {"geonameid": 282476, "country_iso3": "PSE", "admin1": "West Bank", "lat": 32.41035, "lon": 35.28087,
            "geo_precision": 1, "feature": "city"}  # fmt: skip
HODEIDAH = {"geonameid": 79415, "country_iso3": "YEM", "admin1": "Al Ḩudaydah", "lat": 14.79781, "lon": 42.95452,
            "geo_precision": 1, "feature": "city"}  # fmt: skip
HODEIDAH_PORT = {"geonameid": 9999001, "country_iso3": "YEM", "admin1": "Al Ḩudaydah", "lat": 14.83,
                 "lon": 42.93, "geo_precision": 1, "feature": "landmark"}  # fmt: skip
NOWHERE = {"geonameid": None, "country_iso3": None, "admin1": None, "lat": None, "lon": None,
           "geo_precision": None, "feature": None}  # fmt: skip


def key(mid: int, *, type_: str = "PROTEST", mode: str | None = "demo", day: str | None = "2024-03-12",
        precision: int = 1, basis: str = "text", place: Mapping[str, object] = BAGHDAD, article: str | None = None,
        source: tuple[str | None, str | None] = (None, "CVL"),
        target: tuple[str | None, str | None] = (None, None)) -> MentionKey:  # fmt: skip
    """A mention of the Baghdad protest of 12 March 2024 unless told otherwise."""
    return MentionKey(
        mention_id=mid,
        event_type=type_,
        mode=mode,
        date=date.fromisoformat(day) if day else None,
        time_precision=precision if day else None,
        article_id=article or f"article-{mid}",
        article_source=None,
        source_country=source[0],
        source_role=source[1],
        target_country=target[0],
        target_role=target[1],
        date_basis=basis if day else None,
        **place,  # type: ignore[arg-type]
    )


def test_two_reports_of_one_protest_merge() -> None:
    assert same_event(key(1), key(2)) == approx(0.25 + 0.35 + 0.25 + 0.075)


def test_score_is_symmetric() -> None:
    a, b = key(1, place=BAGHDAD_PROVINCE, mode="riot"), key(2, day="2024-03-13", basis="article_date")
    assert same_event(a, b) == same_event(b, a) == approx(0.2 + 0.25 + 0.15 + 0.075)


def test_same_city_different_day_stays_apart() -> None:
    assert same_event(key(1), key(2, day="2024-03-14")) == 0.0


def test_same_day_different_city_stays_apart() -> None:
    assert same_event(key(1), key(2, place=BASRA)) == 0.0


def test_neighbouring_towns_stay_apart() -> None:
    """Khan Younis and Rafah are 8 km apart, but two named towns are two places."""
    strike = {"type_": "ASSAULT", "mode": "aerial", "source": ("ISR", "MIL")}
    assert same_event(key(1, place=KHAN_YOUNIS, **strike), key(2, place=RAFAH, **strike)) == 0.0  # type: ignore[arg-type]


def test_same_place_different_type_stays_apart() -> None:
    assert same_event(key(1), key(2, type_="COERCE", mode="arrest", source=(None, "COP"))) == 0.0


def test_arrest_and_abduction_are_one_family() -> None:
    arrest = key(1, type_="COERCE", mode="arrest", source=("YEM", "REB"))
    abduction = key(2, type_="ASSAULT", mode="abduct", source=("YEM", "REB"))
    assert type_family("COERCE", "arrest") == type_family("ASSAULT", "abduct") == "DETAIN"
    assert same_event(arrest, abduction) == approx(0.15 + 0.35 + 0.25 + 0.075)


def test_airstrike_and_arrest_are_different_families() -> None:
    assert type_family("ASSAULT", "aerial") == "ASSAULT"
    assert type_family("COERCE", "curfew") == "COERCE"
    assert same_event(key(1, type_="ASSAULT", mode="aerial"), key(2, type_="COERCE", mode="arrest")) == 0.0


def test_a_raid_and_its_arrests_are_one_family() -> None:
    """«اقتحمت قوات الاحتلال جنين» (COERCE, no mode) and «اعتقل الجيش ستة في جنين» (arrest)."""
    raid = key(1, type_="COERCE", mode=None, place=JENIN, source=(None, "MIL"))
    arrests = key(2, type_="COERCE", mode="arrest", place=JENIN, source=("ISR", "MIL"))
    assert type_family("COERCE", None) == "DETAIN"
    assert same_event(raid, arrests) == approx(0.2 + 0.35 + 0.25 + 0.075)


def test_a_raid_stays_apart_from_other_coercion_and_other_towns() -> None:
    raid = key(1, type_="COERCE", mode=None, place=JENIN, source=(None, "MIL"))
    curfew = key(2, type_="COERCE", mode="curfew", place=JENIN, source=(None, "MIL"))
    assert type_family("COERCE", "curfew") == type_family("COERCE", "restrict") == "COERCE"
    assert same_event(raid, curfew) == 0.0
    assert same_event(raid, key(3, type_="COERCE", mode="arrest", place=QABATIYA, source=(None, "MIL"))) == 0.0
    assert same_event(raid, key(4, type_="COERCE", mode="arrest", place=JENIN, day="2024-03-15")) == 0.0


def test_protest_modes_are_compatible() -> None:
    assert same_event(key(1, mode="demo"), key(2, mode="strike")) == approx(0.2 + 0.35 + 0.25 + 0.075)


def test_city_inside_its_province_and_country() -> None:
    assert same_event(key(1), key(2, place=BAGHDAD_PROVINCE)) == approx(0.25 + 0.25 + 0.25 + 0.075)
    assert same_event(key(1), key(2, place=IRAQ)) == approx(0.25 + 0.25 + 0.25 + 0.075)


def test_city_outside_the_province_conflicts() -> None:
    assert same_event(key(1, place=BASRA), key(2, place=BAGHDAD_PROVINCE)) == 0.0


def test_place_near_a_town_matches_within_25_km() -> None:
    assert same_event(key(1, place=KHAN_YOUNIS), key(2, place=NEAR_KHAN_YOUNIS)) == approx(0.25 + 0.25 + 0.25 + 0.075)
    assert same_event(key(1, place=RAFAH), key(2, place={**NEAR_KHAN_YOUNIS, "lat": 31.6})) == 0.0


def test_a_named_site_lies_inside_its_city() -> None:
    """A site with its own geonameid («ميناء الحديدة», 4 km from the centre) is inside Hodeidah."""
    strike = {"type_": "ASSAULT", "mode": "aerial", "source": ("USA", "MIL")}
    port, city = key(1, place=HODEIDAH_PORT, **strike), key(2, place=HODEIDAH, **strike)  # type: ignore[arg-type]
    assert same_event(port, city) == same_event(city, port) == approx(0.25 + 0.25 + 0.25 + 0.075)


def test_a_named_site_far_from_a_city_or_abroad_conflicts() -> None:
    strike = {"type_": "ASSAULT", "mode": "aerial", "source": ("USA", "MIL")}
    far = {**HODEIDAH_PORT, "lat": 15.0}  # 23 km north
    assert same_event(key(1, place=far, **strike), key(2, place=HODEIDAH, **strike)) == 0.0  # type: ignore[arg-type]
    abroad = {**HODEIDAH_PORT, "country_iso3": "ERI"}
    assert same_event(key(1, place=abroad, **strike), key(2, place=HODEIDAH, **strike)) == 0.0  # type: ignore[arg-type]
    site_by_site = {**HODEIDAH_PORT, "geonameid": 9999002, "lat": 14.80}
    assert same_event(key(1, place=HODEIDAH_PORT, **strike), key(2, place=site_by_site, **strike)) == 0.0  # type: ignore[arg-type]


def test_same_article_different_places_are_different_events() -> None:
    assert same_event(key(1, article="a"), key(2, article="a", place=IRAQ)) == 0.0
    assert same_event(key(1, article="a"), key(2, article="a")) > MIN_SCORE


def test_article_dated_mention_may_be_a_day_late() -> None:
    """«أمس» unresolved: the report of the 13th is dated by its article, the event was the 12th."""
    late = key(2, day="2024-03-13", basis="article_date")
    assert same_event(key(1), late) == approx(0.25 + 0.35 + 0.15 + 0.075)
    assert same_event(key(1), key(2, day="2024-03-13")) == 0.0


def test_a_report_cannot_describe_an_event_after_its_publication() -> None:
    published = key(1, day="2024-05-21", precision=2, basis="article_date")
    assert same_event(published, key(2, day="2024-05-24")) == 0.0
    assert same_event(published, key(2, day="2024-05-18")) == approx(0.25 + 0.35 + 0.15 + 0.075)


def test_week_and_month_precision_widen_the_window() -> None:
    assert same_event(key(1), key(2, day="2024-03-18", precision=2)) > MIN_SCORE
    assert same_event(key(1), key(2, day="2024-03-20", precision=2)) == 0.0
    assert same_event(key(1), key(2, day="2024-03-01", precision=3)) > MIN_SCORE
    assert same_event(key(1), key(2, day="2024-04-15", precision=3)) == 0.0


def test_dated_and_undated_mentions_never_merge() -> None:
    assert same_event(key(1), key(2, day=None)) == 0.0


def test_undated_unlocated_mentions_lack_evidence() -> None:
    assert same_event(key(1, day=None, place=NOWHERE), key(2, day=None, place=NOWHERE)) == approx(0.25 + 0.075)
    assert best_match(key(2, day=None, place=NOWHERE), [(1, [key(1, day=None, place=NOWHERE)])]) is None


def test_unlocated_mention_joins_only_on_full_agreement() -> None:
    full = key(2, place=NOWHERE, source=("IRQ", "EDU"), target=("IRQ", "GOV"))
    assert same_event(key(1, source=("IRQ", "EDU"), target=("IRQ", "GOV")), full) == approx(0.25 + 0.25 + 0.15)
    assert same_event(key(1), key(2, place=NOWHERE)) < MIN_SCORE


def test_an_unlocated_mention_is_not_placed_by_its_actors_country() -> None:
    """«قتل سبعة في غارة إسرائيلية» without a place matches Khan Younis and Rafah equally: no guess."""
    unlocated = key(3, type_="ASSAULT", mode="aerial", place=NOWHERE, source=("ISR", "MIL"))
    for mid, town in ((1, KHAN_YOUNIS), (2, RAFAH)):
        located = key(mid, type_="ASSAULT", mode="aerial", place=town, source=("ISR", "MIL"))
        assert same_event(unlocated, located) == approx(0.25 + 0.25 + 0.075)
    khan_younis = key(1, type_="ASSAULT", mode="aerial", place=KHAN_YOUNIS, source=("ISR", "MIL"))
    assert cluster([khan_younis, unlocated]) == [[1], [3]]


def test_different_known_source_countries_conflict() -> None:
    strike = {"type_": "ASSAULT", "mode": "aerial"}
    assert same_event(key(1, source=("ISR", "MIL"), **strike), key(2, source=("TUR", "MIL"), **strike)) == 0.0  # type: ignore[arg-type]


def test_a_crowds_nationality_does_not_conflict() -> None:
    assert same_event(key(1, source=("JOR", None)), key(2, source=("PSE", "CVL"))) == approx(0.25 + 0.35 + 0.25)
    assert same_event(key(1, source=("JOR", None)), key(2, source=("PSE", None))) == 0.0


def test_roles_conflict_across_classes_not_within() -> None:
    assert same_event(key(1, source=(None, "EDU")), key(2, source=(None, "LAB"))) == approx(0.25 + 0.35 + 0.25)
    assert same_event(key(1, source=(None, "COP")), key(2, source=(None, "MIL"))) == approx(0.25 + 0.35 + 0.25)
    assert same_event(key(1, source=(None, "COP")), key(2, source=(None, "REB"))) == 0.0
    assert same_event(key(1, target=(None, "GOV")), key(2, target=(None, "CRM"))) == 0.0


def test_civilians_and_unidentified_gunmen_constrain_nothing() -> None:
    """Victims land in the source slot ("قتل سبعة مدنيين في غارة"); "مسلحون مجهولون" may be anyone."""
    strike = {"type_": "ASSAULT", "mode": "aerial"}
    assert same_event(key(1, source=(None, "CVL"), **strike), key(2, source=("ISR", "MIL"), **strike)) > MIN_SCORE  # type: ignore[arg-type]
    assert same_event(key(1, source=(None, "UAF")), key(2, source=(None, "MIL"))) == approx(0.25 + 0.35 + 0.25)


def test_unknown_actors_are_compatible() -> None:
    assert same_event(key(1, source=("ISR", "MIL")), key(2, source=(None, None))) == approx(0.25 + 0.35 + 0.25)


def test_best_match_prefers_the_higher_score_then_the_lower_id() -> None:
    new = key(9)
    weaker = (3, [key(3, place=IRAQ)])
    stronger = (5, [key(5)])
    assert best_match(new, [weaker, stronger]) == 5
    assert best_match(new, [(7, [key(7)]), (4, [key(4)])]) == 4
    assert best_match(new, []) is None


def test_a_conflict_with_any_mention_vetoes_the_event() -> None:
    """Baghdad joins an Iraq-wide event only if no member is in Basra: no chaining."""
    assert best_match(key(9), [(1, [key(1, place=IRAQ)])]) == 1
    assert best_match(key(9), [(1, [key(1, place=IRAQ), key(2, place=BASRA)])]) is None


def test_cluster_groups_near_misses_apart() -> None:
    keys = [
        key(1),
        key(2, day="2024-03-13", basis="article_date"),
        key(3, day="2024-03-14"),
        key(4, place=BASRA),
        key(5, type_="COERCE", mode="arrest", source=(None, "COP")),
        key(6, place=IRAQ),
    ]
    assert cluster(keys) == [[1, 2, 6], [3], [4], [5]]


def test_cluster_equals_incremental_insertion_in_id_order() -> None:
    keys = [key(4, place=BASRA), key(2, day="2024-03-13", basis="article_date"), key(1), key(3, place=IRAQ)]
    events: dict[int, list[MentionKey]] = {}
    for k in sorted(keys, key=lambda k: k.mention_id):
        match = best_match(k, sorted(events.items()))
        events.setdefault(match if match is not None else k.mention_id, []).append(k)
    assert cluster(keys) == [[m.mention_id for m in ms] for ms in events.values()] == [[1, 2, 3], [4]]


def test_windows_follow_time_precision() -> None:
    assert candidate_window(key(1)) == ("PROTEST", "2024-03-11", "2024-03-13")
    assert candidate_window(key(1, precision=2)) == ("PROTEST", "2024-03-05", "2024-03-19")
    arrest = key(1, precision=3, type_="COERCE", mode="arrest")
    assert candidate_window(arrest) == ("DETAIN", "2024-02-10", "2024-04-12")
    assert candidate_window(key(1, type_="COERCE", mode=None)) == ("DETAIN", "2024-03-11", "2024-03-13")
    assert candidate_window(key(1, day=None)) == ("PROTEST", None, None)
    assert date_span(key(1, day=None)) == (None, None)


def test_block_key_is_family_country_and_iso_week() -> None:
    assert block_key(key(1)) == ("PROTEST", "IRQ", "2024-W11")
    assert block_key(key(1, day=None, place=NOWHERE)) == ("PROTEST", None, None)


def test_mention_key_reads_an_event_record() -> None:
    record = {
        "article_id": "wire-1", "event_type": "ASSAULT", "mode": "aerial", "date": "2024-02-20",
        "time_precision": 1, "date_source": {"text": "فجر اليوم", "start": 3, "end": 12, "basis": "text"},
        "location": {"text": "خان يونس", "geonameid": 281102, "country_iso3": "PSE", "admin1": "Gaza Strip",
                     "lat": 31.34, "lon": 34.31, "precision": 1, "feature": "city"},
        "source": {"text": "الطائرات الإسرائيلية", "country": "ISR", "role": "MIL"}, "target": None,
    }  # fmt: skip
    k = mention_key(record, 7, "Mashriq Wire")
    assert k == MentionKey(7, "ASSAULT", "aerial", date(2024, 2, 20), 1, 281102, "PSE", "Gaza Strip", 31.34, 34.31,
                           1, "city", "ISR", "MIL", None, None, "wire-1", "Mashriq Wire", "text")  # fmt: skip
    bare = mention_key({"event_type": "PROTEST", "location": None, "date": None}, 8)
    assert replace(bare, mention_id=0) == MentionKey(0, "PROTEST", None, *([None] * 16))
