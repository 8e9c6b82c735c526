"""Exports: every format round-trips, Arabic survives, empty and unlocated/undated events are valid."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]
import pytest

from marsad.errors import UsageError
from marsad.io.export import ACLED_COLUMNS, FORMATS, acled_type, export, inter_code, read_events

SENTENCE = "تظاهر مئات الخريجين في ساحة التحرير وسط بغداد للمطالبة بفرص عمل."
BAGHDAD = {"text": "بغداد", "start": 40, "end": 45, "name_ar": "بغداد", "name_en": "Baghdad", "geonameid": 98182,
           "country_iso2": "IQ", "country_iso3": "IRQ", "admin1": "Baghdād", "lat": 33.34058, "lon": 44.40088,
           "precision": 1, "feature": "city", "basis": "sentence", "resolved_by": "unique",
           "chosen_by": "locative"}  # fmt: skip
GRADUATES = {"text": "الخريجين", "country": "IRQ", "role": "EDU", "name_en": "graduates", "start": 11, "end": 19,
             "inferred": ["country"]}  # fmt: skip


def record(article_id: str, **extra: Any) -> dict[str, Any]:
    base = {
        "article_id": article_id, "event_type": "PROTEST", "mode": "demo", "quad_class": 4,
        "source": GRADUATES, "target": None, "location": BAGHDAD, "date": "2024-03-12", "time_precision": 1,
        "date_source": {"text": None, "start": None, "end": None, "basis": "article_date"},
        "size": {"text": "مئات", "start": 6, "end": 10, "min": 200, "max": 999}, "fatalities": None, "injuries": None,
        "evidence": {"sentence": SENTENCE, "start": 0, "end": len(SENTENCE), "trigger": "تظاهر", "trigger_start": 0,
                     "trigger_end": 5},
        "trigger_gloss": "demonstrate", "negated": False, "hypothetical": False, "confidence": 0.9,
    }  # fmt: skip
    return {**base, **extra}


def protest() -> dict[str, Any]:
    mentions = [
        {"mention_id": 1, "article_id": "wire-1", "article_source": "Mashriq Wire", "url": "https://example.org/1",
         "date": "2024-03-12", "record": record("wire-1")},
        {"mention_id": 4, "article_id": "daily-7", "article_source": "Khaleej Daily", "url": None,
         "date": "2024-03-13", "record": record("daily-7", source={**GRADUATES, "name_en": "unemployed graduates"})},
    ]  # fmt: skip
    return {
        "event_id": 3, "event_key": "a1b2c3", "event_type": "PROTEST", "mode": "demo", "date": "2024-03-12",
        "time_precision": 1, "location": BAGHDAD, "country_iso3": "IRQ", "source": GRADUATES, "target": None,
        "size": {"text": "مئات", "start": 6, "end": 10, "min": 200, "max": 999}, "fatalities": None,
        "injuries": None, "source_count": 2, "mentions": mentions,
    }  # fmt: skip


def strike_somewhere() -> dict[str, Any]:
    """An airstrike with no resolved place and no date: exports must still carry it."""
    rec = record("wire-9", event_type="ASSAULT", mode="aerial", location=None, date=None, time_precision=None,
                 source={"text": "طائرات حربية", "country": None, "role": "MIL", "name_en": None, "start": 0, "end": 12},
                 fatalities={"text": "سبعة", "start": 20, "end": 24, "min": 7, "max": 7})  # fmt: skip
    return {
        "event_id": 9, "event_key": "ffee", "event_type": "ASSAULT", "mode": "aerial", "date": None,
        "time_precision": None, "location": None, "country_iso3": None, "source": rec["source"], "target": None,
        "size": None, "fatalities": rec["fatalities"], "injuries": None, "source_count": 1,
        "mentions": [{"mention_id": 9, "article_id": "wire-9", "article_source": None, "url": None, "date": None,
                      "record": rec}],
    }  # fmt: skip


def written(events: list[dict[str, Any]], fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    assert export(events, fmt, buffer, **options) == (1 if fmt == "geojson" and len(events) == 2 else len(events))
    return buffer.getvalue()


def test_acled_csv_reads_back_with_acled_columns() -> None:
    rows = list(csv.DictReader(io.StringIO(written([protest(), strike_somewhere()], "acled-csv").decode("utf-8"))))
    assert tuple(rows[0]) == ACLED_COLUMNS
    first, _second = rows
    assert {k: first[k] for k in ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type")} == {
        "event_id_cnty": "IRQ3", "event_date": "2024-03-12", "year": "2024", "time_precision": "1",
        "disorder_type": "Demonstrations",
    }  # fmt: skip
    assert (first["event_type"], first["sub_event_type"]) == ("Protests", "Peaceful protest")
    assert (first["actor1"], first["assoc_actor_1"], first["inter1"]) == (
        "Graduates (Iraq)",
        "Unemployed graduates (Iraq)",
        "6",
    )
    assert (first["iso"], first["country"], first["admin1"], first["location"]) == ("368", "Iraq", "Baghdād", "Baghdad")
    assert (first["latitude"], first["longitude"], first["geo_precision"]) == ("33.34058", "44.40088", "1")
    assert first["source"] == "Mashriq Wire; Khaleej Daily"
    assert (
        first["notes"] == f"PLOVER PROTEST/demo: Graduates (Iraq) in Baghdad on 2024-03-12. Evidence (ar): {SENTENCE}"
    )
    assert (first["fatalities"], first["marsad_size_min"], first["marsad_size_max"]) == ("0", "200", "999")
    assert (first["marsad_evidence_ar"], first["marsad_location_ar"]) == (SENTENCE, "بغداد")
    assert (first["marsad_source_count"], first["marsad_event_key"]) == ("2", "a1b2c3")


def test_acled_csv_keeps_an_unlocated_undated_event() -> None:
    rows = list(csv.DictReader(io.StringIO(written([strike_somewhere()], "acled-csv").decode("utf-8"))))
    row = rows[0]
    assert (row["event_id_cnty"], row["event_date"], row["year"], row["latitude"], row["country"]) == (
        "XXX9",
        "",
        "",
        "",
        "",
    )
    assert (row["event_type"], row["sub_event_type"], row["actor1"], row["inter1"]) == (
        "Explosions/Remote violence",
        "Air/drone strike",
        "Military",
        "1",
    )
    assert (row["fatalities"], row["source"]) == ("7", "wire-9")


def test_acled_csv_bom_only_on_request() -> None:
    assert not written([protest()], "acled-csv").startswith(b"\xef\xbb\xbf")
    with_bom = written([protest()], "acled-csv", bom=True)
    assert with_bom.startswith(b"\xef\xbb\xbfevent_id_cnty,")
    assert next(csv.reader(io.StringIO(with_bom.decode("utf-8-sig"))))[0] == "event_id_cnty"


def test_plover_json_round_trips_with_plover_names() -> None:
    data = written([protest(), strike_somewhere()], "plover-json")
    first = json.loads(data.decode("utf-8").splitlines()[0])
    assert (first["event"], first["mode"], first["quad_code"], first["date"]) == ("PROTEST", "demo", 4, "2024-03-12")
    assert first["actor"]["entity_text"] == "الخريجين" and first["actor"]["sector"] == "EDU"
    assert first["event_loc"]["extracted_place"] == "بغداد" and first["event_loc"]["geonameid"] == 98182
    assert first["event_text"] == SENTENCE
    assert read_events(io.BytesIO(data), "plover-json") == [protest(), strike_somewhere()]


def test_geojson_is_a_feature_collection_of_points() -> None:
    collection = json.loads(written([protest(), strike_somewhere()], "geojson"))
    assert collection["type"] == "FeatureCollection" and collection["marsad_unlocated"] == 1
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [44.40088, 33.34058]}
    properties = feature["properties"]
    assert all(not isinstance(v, dict | list) for v in properties.values())
    assert (properties["location"], properties["marsad_evidence_ar"], properties["marsad_size_min"]) == (
        "Baghdad",
        SENTENCE,
        200,
    )


def test_parquet_is_flat_typed_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert export([protest(), strike_somewhere()], "parquet", path) == 2
    table = pq.read_table(path)
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("event_id").type == pa.int64()
    assert table.schema.field("location_lat").type == pa.float64()
    assert table.schema.field("fatalities_min").type == pa.int64()
    assert table.column("date").to_pylist() == [dt.date(2024, 3, 12), None]
    assert table.column("location_name_ar").to_pylist() == ["بغداد", None]
    assert json.loads(table.column("mentions")[0].as_py())[0]["record"]["evidence"]["sentence"] == SENTENCE
    assert read_events(path, "parquet") == [protest(), strike_somewhere()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_input_writes_a_valid_empty_file(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"empty.{fmt}"
    assert export([], fmt, path) == 0
    if fmt == "acled-csv":
        assert list(csv.reader(path.open(encoding="utf-8"))) == [list(ACLED_COLUMNS)]
    elif fmt == "plover-json":
        assert path.read_bytes() == b""
    elif fmt == "geojson":
        assert json.loads(path.read_text(encoding="utf-8")) == {
            "type": "FeatureCollection",
            "marsad_unlocated": 0,
            "features": [],
        }
    else:
        assert pq.read_table(path).num_rows == 0
        assert read_events(path, "parquet") == []


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"\[E301\] unknown export format 'xlsx'"):
        export([], "xlsx", io.BytesIO())


@pytest.mark.parametrize(
    ("plover", "acled"),
    [
        (("PROTEST", "strike", None), ("Demonstrations", "Protests", "Peaceful protest")),
        (("PROTEST", "riot", None), ("Demonstrations", "Riots", "Violent demonstration")),
        (("ASSAULT", "drone", None), ("Political violence", "Explosions/Remote violence", "Air/drone strike")),
        (("ASSAULT", "firearms", "CVL"), ("Political violence", "Violence against civilians", "Attack")),
        (("ASSAULT", "firearms", "MIL"), ("Political violence", "Battles", "Armed clash")),
        (("ASSAULT", "abduct", None), ("Political violence", "Violence against civilians",
                                       "Abduction/forced disappearance")),
        (("COERCE", "arrest", None), ("Strategic developments", "Strategic developments", "Arrests")),
        (("CONSULT", "visit", None), ("Strategic developments", "Strategic developments", "Other")),
    ],
)  # fmt: skip
def test_plover_to_acled_mapping(plover: tuple[str, str, str | None], acled: tuple[str, str, str]) -> None:
    assert acled_type(*plover) == acled


def test_inter_codes_follow_acled() -> None:
    assert [inter_code(r, "Protests") for r in ("MIL", "REB", "UAF", "CVL", None)] == [1, 2, 3, 6, 6]
    assert [inter_code(r, "Riots") for r in ("CVL", "COP")] == [5, 1]
    assert [inter_code(r, "Battles") for r in ("CVL", None)] == [7, None]
