"""The analytics map's configuration and its region heat. The basemap is the platform's
(``anmin.core.maps.basemap``: 天地图, XYZ, local tiles or none)."""

from __future__ import annotations

from django.urls import reverse

from anmin.core import registry
from anmin.core.maps import DEFAULT_CENTRE, TIANDITU, basemap
from anmin.core.models import Region, RegionGeo

from . import figures as F
from .dashboard import children_of


def config(user, area, heat_key: str = "") -> dict:
    centre = RegionGeo.objects.filter(region_id=area.code).values_list("lat", "lng").first() if area else None
    layers = [{"key": layer.key, "label": str(layer.label), "kind": layer.kind, "colour": layer.colour,
               "on": layer.default_on, "url": reverse("analytics:map_layer", args=[layer.key])}
              for layer in sorted(registry.map_layers, key=lambda m: m.order)
              if not layer.perm or user.has_perm(layer.perm)]
    return {
        "basemap": basemap(),
        "centre": list(centre) if centre else list(DEFAULT_CENTRE),
        "zoom": {1: 10, 2: 12, 3: 14}.get(area.level, 15) if area else 10,
        "layers": layers,
        "heat": {"url": reverse("analytics:map_heat"), "kpi": heat_key} if heat_key else None,
    }


def heat(user, area, key: str, year: int) -> list[dict]:
    """Per sub-area: the KPI's value, its centre and boundary (when loaded) — a choropleth with
    boundaries, else circles at the areas' rough places; the page also lists it as a table."""
    areas = children_of(user, area)
    geo = {g.region_id: g for g in RegionGeo.objects.filter(region_id__in=[c for c, _ in areas])}
    figs = F.Figures(user=user, year=year)
    figs.prefetch(key, [code for code, _name in areas], area.code if area else None, year)
    out = []
    for code, name in areas:
        value = F.plain(figs.value(key, code, year))
        g = geo.get(code)
        out.append({"code": code, "name": name, "value": value if not isinstance(value, dict) else None,
                    "lat": g.lat if g else None, "lng": g.lng if g else None,
                    "boundary": g.boundary if g else None, "link": F.drill_url(key, code, year)})
    return out


__all__ = ["TIANDITU", "Region", "basemap"]
