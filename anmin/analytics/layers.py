"""Map layers analytics provides itself: one point layer per case kind (every kind the case engine
knows, future domains' included), from the records' points (``core.Location``). Registries with
coordinates of their own (cameras, dangerous waters, schools) come from their domains'
``MapLayer``s."""

from __future__ import annotations

from django.db.models import Q

from anmin.core.models import Location
from anmin.core.registry import MAP_MAX_POINTS, MapLayer, map_layers
from anmin.workflow.models import Case
from anmin.workflow.registry import case_kinds

from .cases import year_range
from .figures import region_prefix

MAX_POINTS = MAP_MAX_POINTS
COLOURS = {"MD": "#d9480f", "WG": "#1971c2", "JB": "#7048e8"}


def case_points(kind: str):
    def points(*, user, region=None, year=None) -> list[dict]:
        cases = Case.objects.visible_to(user).of_kind(kind)
        if region:
            cases = cases.inside(region_prefix(region))
        if year:
            start, end = year_range(year)
            cases = cases.filter(Q(opened_at__gte=start, opened_at__lt=end) | Q(is_open=True))
        ids = cases.order_by("-opened_at").values_list("pk", flat=True)[:MAX_POINTS]
        located = {
            oid: (lat, lng) for oid, lat, lng in Location.objects.filter(model="workflow.case", object_id__in=list(ids))
            .values_list("object_id", "lat", "lng")
        }
        rows = Case.objects.filter(pk__in=list(located)).values_list("pk", "number", "title", "is_open", "due_at")
        out = []
        for pk, number, title, is_open, _due in rows:
            lat, lng = located[pk]
            out.append({"lat": round(lat, 6), "lng": round(lng, 6), "label": f"{number} {title}",
                        "url": f"/workflow/cases/{pk}/", "group": "open" if is_open else "closed"})
        return out

    return points


def register() -> None:
    for i, kind in enumerate(sorted(case_kinds, key=lambda k: k.code)):
        key = f"cases.{kind.code}"
        map_layers.register(key, MapLayer(key, kind.label, case_points(kind.code), order=10 + i,
                                          colour=COLOURS.get(kind.code, "#495057"),
                                          default_on=kind.code in ("MD", "WG")))
