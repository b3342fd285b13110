"""``anmin regions load-geo FILE``: region boundaries and centres from GeoJSON.

Each feature names its region in a property (``code`` by default; the 12-digit statistical code,
or a grid's longer code). A Polygon or MultiPolygon becomes the boundary and its centre the
area-weighted centroid of the largest ring; a Point is a centre only. Coordinates are WGS-84
longitude, latitude (GeoJSON order). Idempotent: a second load replaces what the first wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from . import audit
from .actors import SYSTEM
from .models import Region, RegionGeo
from .regions_io import RegionFileError


@dataclass
class GeoLoadResult:
    boundaries: int = 0
    centres: int = 0
    unknown: int = 0


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """(area, lng, lat) of a closed ring by the shoelace formula (planar: fine at a city's size)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-15:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area / 2), cx / (3 * area), cy / (3 * area)


def centre_of(geometry: dict) -> tuple[float, float]:
    """(lat, lng) of a GeoJSON Point, Polygon or MultiPolygon."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return float(coords[1]), float(coords[0])
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise ValueError(f"不支持的几何类型 {kind}（应为 Point、Polygon 或 MultiPolygon）")
    best = max((_ring_centroid([tuple(map(float, p[:2])) for p in poly[0]]) for poly in polygons), key=lambda t: t[0])
    return best[2], best[1]


def _check(lat: float, lng: float, where: str) -> None:
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise RegionFileError(f"{where}：坐标超出范围（纬度 {lat}，经度 {lng}），应为 WGS-84 经纬度，经度在前")


@transaction.atomic
def load_geojson(files: list[Path], *, code_property: str = "code") -> GeoLoadResult:
    result = GeoLoadResult()
    known = set(Region.objects.values_list("code", flat=True))
    for path in files:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RegionFileError(f"{path}：不是有效的 GeoJSON（{exc}）") from exc
        features = data.get("features") if data.get("type") == "FeatureCollection" else [data]
        for n, feature in enumerate(features or [], start=1):
            where = f"{path} 第 {n} 个要素"
            code = str((feature.get("properties") or {}).get(code_property, "")).strip()
            if not code:
                raise RegionFileError(f"{where}：缺少属性 {code_property}（区划代码）")
            if code not in known:
                result.unknown += 1
                continue
            geometry = feature.get("geometry") or {}
            try:
                lat, lng = centre_of(geometry)
            except (ValueError, TypeError, IndexError) as exc:
                raise RegionFileError(f"{where}：{exc}") from exc
            _check(lat, lng, where)
            boundary = geometry if geometry.get("type") in ("Polygon", "MultiPolygon") else None
            RegionGeo.objects.update_or_create(
                region_id=code,
                defaults={"lat": lat, "lng": lng, "boundary": boundary, "source": Path(path).name[:64]},
            )
            result.centres += 1
            result.boundaries += boundary is not None
    audit.record(actor=SYSTEM, action="import", object_type="core.regiongeo",
                 after={"boundaries": result.boundaries, "centres": result.centres, "unknown": result.unknown},
                 reason="anmin regions load-geo")
    return result


def set_centre(region_code: str, lat: float, lng: float, source: str) -> None:
    """A region's centre without a boundary (the demo world's plausible positions)."""
    RegionGeo.objects.update_or_create(region_id=region_code, defaults={"lat": lat, "lng": lng, "source": source})
