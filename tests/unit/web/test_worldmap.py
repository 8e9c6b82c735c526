"""The dashboard's country outlines: Natural Earth 1:110m, small, with ISO codes and label points."""

import importlib.util
import itertools
import json
from typing import Any

import pytest

from marsad.web import worldmap


def feature(name: str) -> dict[str, Any]:
    return next(f for f in worldmap.world_geojson()["features"] if f["properties"]["name"] == name)


def test_every_natural_earth_country_is_a_feature_with_an_iso3_code() -> None:
    world = worldmap.world_geojson()
    assert world["type"] == "FeatureCollection"
    assert len(world["features"]) == 177
    codes = [f["properties"]["iso3"] for f in world["features"]]
    assert all(len(c) == 3 and c.isalpha() for c in codes)
    assert len(set(codes)) == 177


def test_minus_99_codes_are_fixed_from_the_name() -> None:
    assert feature("France")["properties"]["iso3"] == "FRA"
    assert feature("Norway")["properties"]["iso3"] == "NOR"
    assert feature("Kosovo")["properties"]["iso3"] == "XKX"


def test_outlines_are_rounded_closed_counterclockwise_rings_without_repeats() -> None:
    egypt = feature("Egypt")
    assert egypt["geometry"]["type"] == "Polygon"
    ring = egypt["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert all(p != q for p, q in itertools.pairwise(ring))
    assert all(round(x, 2) == x and round(y, 2) == y for x, y in ring)
    assert worldmap._signed_area(ring) > 0
    assert feature("France")["geometry"]["type"] == "MultiPolygon"


def test_label_point_lies_in_the_largest_part() -> None:
    lon, lat = feature("France")["properties"]["label"]
    assert 0 < lon < 5 and 45 < lat < 48
    lon, lat = feature("Iraq")["properties"]["label"]
    assert 41 < lon < 46 and 31 < lat < 35


def test_geojson_is_small_and_cached() -> None:
    assert worldmap.world_geojson() is worldmap.world_geojson()
    size = worldmap.world_geojson_bytes()
    assert size == len(json.dumps(worldmap.world_geojson(), separators=(",", ":")).encode())
    assert 100_000 < size < 300_000


def test_missing_data_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(worldmap.WorldDataError, match=r"\[E550\] .*pip install --no-deps geopandas==0.14.4"):
        worldmap.world_shapefile()
