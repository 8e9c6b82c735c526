"""What a correction is chosen from: PLOVER types and modes, rejection reasons, the lexicon's
countries and roles, and gazetteer places searched by English or Arabic name. Loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.lexicon.loader import data_dir, read_tsv
from marsad.memo import load_once
from marsad.ontology import EVENT_TYPES, MODES, ROLES
from marsad.store.reviews import REASONS
from marsad.text.normalize import normalize

COUNTRY_COLUMNS = ("iso3", "name_en", "names", "nisba_m", "nisba_f", "nisba_pl", "capital", "capital_en", "example")


@load_once
def review_options() -> dict[str, Any]:
    """Types with their modes, reasons, roles and countries (ISO3, English and Arabic names) for the review form."""
    countries = [
        {"iso3": row["iso3"], "name_en": row["name_en"], "name_ar": row["names"].split("|")[0]}
        for _, row in read_tsv(data_dir() / "countries.tsv", COUNTRY_COLUMNS)
    ]
    return {
        "types": {t: sorted(MODES.get(t, ())) for t in EVENT_TYPES},
        "reasons": REASONS,
        "roles": ROLES,
        "countries": sorted(countries, key=lambda c: c["iso3"]),
    }


@dataclass(frozen=True, slots=True)
class PlaceName:
    """One searchable name of a gazetteer entry: lower-cased English or normalised Arabic."""

    key: str
    written: str
    entry: int


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def _key(text: str) -> str:
    return normalize(text).text.strip() if _arabic(text) else text.strip().lower()


@load_once
def _place_names() -> tuple[Any, tuple[PlaceName, ...], dict[int, str]]:
    from marsad.geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    names: list[PlaceName] = []
    for rows in gaz.names.values():
        for row in rows:
            names += [PlaceName(_key(row.written), row.written, entry) for entry in row.entries]
    for n, entry in enumerate(gaz.entries):
        if entry.name_en:
            names.append(PlaceName(entry.name_en.lower(), entry.name_en, n))
    arabic: dict[int, str] = {}
    for name in names:
        if _arabic(name.written):
            arabic.setdefault(name.entry, name.written)
    return gaz, tuple(names), arabic


def search_places(query: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Gazetteer places whose English or Arabic name starts with `query` (then contains it), most
    populous first (exact names before prefixes before the rest): {geonameid, name_en, name_ar, country_iso3, admin1, lat, lon, feature, precision}."""
    needle = _key(query)
    if len(needle) < 2:
        return []
    gaz, names, arabic = _place_names()
    best: dict[int, tuple[int, str]] = {}
    for name in names:
        if needle not in name.key:
            continue
        rank = 0 if name.key == needle else 1 if name.key.startswith(needle) else 2
        seen = best.get(name.entry)
        if seen is None or (rank, name.written) < seen:
            best[name.entry] = (rank, name.written if _arabic(name.written) else "")
    order = sorted(best.items(), key=lambda kv: (kv[1][0], -gaz.entries[kv[0]].population, kv[0]))
    found = []
    for index, (_rank, written) in order[:limit]:
        e = gaz.entries[index]
        found.append({"geonameid": e.geonameid, "name_en": e.name_en, "name_ar": written or arabic.get(index),
                      "country_iso3": e.iso3, "admin1": e.admin1, "lat": e.lat, "lon": e.lon, "feature": e.feature,
                      "precision": e.precision})  # fmt: skip
    return found
