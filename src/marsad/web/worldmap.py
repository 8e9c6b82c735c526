"""Country outlines for the dashboard map, as a small GeoJSON FeatureCollection.

The outlines are Natural Earth's public-domain 1:110m `naturalearth_lowres` shapefile, which the
geopandas 0.14 wheel ships as data (installed with `--no-deps`; geopandas itself is never imported),
read with pyshp. Coordinates are rounded to 2 decimals and repeated points dropped (~170 KB of JSON).
Each feature carries `iso3`, `name` and `label` (a [lon, lat] point inside its largest part, where
the map puts the country's event count).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError
from marsad.memo import load_once

__all__ = ["WorldDataError", "world_geojson", "world_geojson_bytes", "world_shapefile"]

Ring = list[list[float]]

# Natural Earth leaves ISO_A3 at -99 for a few countries with disputed or special codes.
ISO3_BY_NAME = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}
INSTALL_HINT = "pip install --no-deps geopandas==0.14.4 (only its bundled Natural Earth data is used)"


class WorldDataError(MarsadError):
    """The Natural Earth country outlines are not installed."""

    code = "E550"


def world_shapefile() -> Path:
    """The path of `naturalearth_lowres.shp` inside the installed geopandas package."""
    spec = importlib.util.find_spec("geopandas")
    if spec is None or not spec.submodule_search_locations:
        raise WorldDataError(f"the country outlines come from the geopandas wheel's data; {INSTALL_HINT}")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "naturalearth_lowres" / "naturalearth_lowres.shp"
    if not path.is_file():
        raise WorldDataError(f"{path} is missing (geopandas >= 1.0 dropped it); {INSTALL_HINT}")
    return path


def _ring(points: list[tuple[float, float]]) -> Ring:
    """Round to 2 decimals and drop consecutive repeats; keep the ring closed."""
    ring: Ring = []
    for x, y in points:
        point = [round(x, 2), round(y, 2)]
        if not ring or point != ring[-1]:
            ring.append(point)
    if len(ring) > 1 and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def _signed_area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _centroid(ring: Ring) -> list[float]:
    """The area centroid of a ring (its vertex mean when the ring is degenerate)."""
    area = _signed_area(ring)
    if abs(area) < 1e-9:
        n = len(ring)
        return [round(sum(p[0] for p in ring) / n, 2), round(sum(p[1] for p in ring) / n, 2)]
    pairs = list(itertools.pairwise(ring))
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * area)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * area)
    return [round(cx, 2), round(cy, 2)]


def _polygons(points: list[tuple[float, float]], parts: list[int]) -> list[list[Ring]]:
    """Shapefile parts → GeoJSON polygons: a clockwise ring starts a polygon, the others are its holes."""
    polygons: list[list[Ring]] = []
    bounds = [*parts, len(points)]
    for start, end in itertools.pairwise(bounds):
        ring = _ring(points[start:end])
        if len(ring) < 4:
            continue
        if _signed_area(ring) < 0 or not polygons:
            polygons.append([ring[::-1]])
        else:
            polygons[-1].append(ring[::-1])
    return polygons


def _feature(name: str, iso3: str, polygons: list[list[Ring]]) -> dict[str, Any]:
    largest = max((p[0] for p in polygons), key=lambda r: abs(_signed_area(r)))
    geometry: dict[str, Any] = (
        {"type": "Polygon", "coordinates": polygons[0]}
        if len(polygons) == 1
        else {"type": "MultiPolygon", "coordinates": polygons}
    )
    properties = {"iso3": iso3, "name": name, "label": _centroid(largest)}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


@load_once
def world_geojson() -> dict[str, Any]:
    """All countries as a GeoJSON FeatureCollection (`iso3`, `name`, `label` properties), read once.

    >>> world = world_geojson()
    >>> [f["properties"]["iso3"] for f in world["features"] if f["properties"]["name"] == "France"]
    ['FRA']
    """
    import shapefile  # type: ignore[import-untyped,unused-ignore]  # pyshp, MIT

    features: list[dict[str, Any]] = []
    with shapefile.Reader(str(world_shapefile())) as reader:
        for shape_record in reader.iterShapeRecords():
            record = shape_record.record.as_dict()
            name = str(record["name"])
            iso3 = str(record["iso_a3"])
            iso3 = ISO3_BY_NAME.get(name, iso3) if not iso3.isalpha() else iso3
            shape = shape_record.shape
            points = [(float(x), float(y)) for x, y in shape.points]
            polygons = _polygons(points, list(shape.parts))
            if polygons:
                features.append(_feature(name, iso3, polygons))
    return {"type": "FeatureCollection", "features": features}


def world_geojson_bytes() -> int:
    """The size of the compact JSON the API serves (for the docs and tests)."""
    return len(json.dumps(world_geojson(), separators=(",", ":")).encode())
