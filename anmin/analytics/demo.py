"""Analytics' part of the demo world: plausible coordinates inside Yuzhou's extent.

No survey data ships with the demo, so these are approximate: each township at its rough place in
Yuzhou (about 113.10–113.70 E, 33.95–34.40 N), villages scattered within a few kilometres of it,
grids around their village (``build_places``, a step of its own that runs before the domains', so
their registers — cameras, dangerous waters, schools — are placed near their village with
``workflow.kit.demo.Scatter``), and every dispute and grid event at its grid with a small
deterministic offset (``core.Location``, source "演示数据"). A real installation loads boundaries with
``anmin regions load-geo`` and records carry GPS points. Idempotent: only what has no point yet gets
one.
"""

from __future__ import annotations

import math

from anmin.core.models import Location, Region, RegionGeo
from anmin.workflow.kit.demo import CITY_CENTRE
from anmin.workflow.kit.demo import offset_km as _offset
from anmin.workflow.models import Case

SOURCE = "演示数据"
# Rough positions (lat, lng) by township name; anything else falls on a ring around the centre.
TOWNSHIPS = {
    "钧台街道": (34.152, 113.478), "夏都街道": (34.140, 113.455), "韩城街道": (34.128, 113.490),
    "颍川街道": (34.150, 113.505), "褚河街道": (34.115, 113.545), "褚河镇": (34.115, 113.545),
    "神垕镇": (34.105, 113.225), "鸠山镇": (34.235, 113.150), "方山镇": (34.300, 113.355),
    "磨街乡": (34.180, 113.215), "文殊镇": (34.065, 113.380), "古城镇": (34.040, 113.575),
    "火龙镇": (34.225, 113.420), "顺店镇": (34.245, 113.610), "郭连镇": (34.090, 113.590),
    "范坡镇": (34.060, 113.645), "无梁镇": (34.050, 113.300), "浅井镇": (34.360, 113.330),
    "小吕乡": (34.175, 113.620), "苌庄镇": (34.320, 113.240), "花石镇": (33.995, 113.380),
    "张得镇": (34.020, 113.460), "梁北镇": (34.215, 113.495), "朱阁镇": (34.290, 113.510),
    "山货回族乡": (34.270, 113.410), "方岗镇": (34.125, 113.640), "鸿畅镇": (34.165, 113.330),
    "长葛镇": (34.250, 113.560),
}


def build_places(**_kwargs) -> dict:
    """A centre for every region that has none."""
    regions = list(Region.objects.order_by("level", "code").values_list("code", "name", "level", "parent_id"))
    where: dict[str, tuple[float, float]] = {
        code: (lat, lng) for code, lat, lng in RegionGeo.objects.values_list("region_id", "lat", "lng")}
    townships = [r for r in regions if r[2] == 2]
    new = []
    for code, name, level, parent in regions:
        if code in where:
            continue
        if level == 1:
            point = CITY_CENTRE
        elif level == 2:
            if name in TOWNSHIPS:
                point = TOWNSHIPS[name]
            else:
                i = [t[0] for t in townships].index(code)
                angle = 2 * math.pi * i / max(len(townships), 1)
                point = (CITY_CENTRE[0] + 0.15 * math.sin(angle), CITY_CENTRE[1] + 0.2 * math.cos(angle))
        else:
            base = where.get(parent or "", CITY_CENTRE)
            point = _offset(*base, code, 4.0 if level == 3 else 0.8)
        where[code] = point
        new.append(RegionGeo(region_id=code, lat=point[0], lng=point[1], source=SOURCE))
    RegionGeo.objects.bulk_create(new, batch_size=2000)
    return {"regions": len(new)}


def build(scale: int = 1, **_kwargs) -> dict:
    """Region centres (when the places step has not run) and a point for every dispute and grid event."""
    made = build_places()
    where = {code: (lat, lng) for code, lat, lng in RegionGeo.objects.values_list("region_id", "lat", "lng")}
    located = set(Location.objects.filter(model="workflow.case").values_list("object_id", flat=True))
    points = []
    for pk, number, region_id in Case.objects.filter(kind__in=("MD", "WG")).values_list("pk", "number", "region_id"):
        if pk in located:
            continue
        base = where.get(region_id) or where.get(region_id[:12]) or CITY_CENTRE
        lat, lng = _offset(*base, number, 0.35)
        points.append(Location(model="workflow.case", object_id=pk, region_id=region_id, lat=lat, lng=lng,
                               source=SOURCE))
    Location.objects.bulk_create(points, batch_size=5000)
    return {**made, "points": len(points)}
