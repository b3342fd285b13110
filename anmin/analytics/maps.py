"""The map's configuration and its region heat.

Basemap (``settings.ANMIN_MAP_BASEMAP``, from the environment):
  * ``{"kind": "tianditu", "key": "…"}`` — 天地图 vector tiles (WMTS, Web Mercator) with labels;
  * ``{"kind": "xyz", "url": "https://…/{z}/{x}/{y}.png", "attribution": "…"}`` — any XYZ tiles;
  * ``{"kind": "local"}`` — tiles from ``ANMIN_MAP_TILES_DIR`` served by the app (offline);
  * nothing — a plain background: the data layers alone, no request leaves the server.
A tile host outside the app must also be allowed in the CSP's ``img-src`` (settings do that for the
configured URL).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from anmin.core import registry
from anmin.core.models import Region, RegionGeo

from . import figures as F
from .dashboard import children_of

TIANDITU = "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}" \
           "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"


def basemap() -> dict:
    conf = dict(getattr(settings, "ANMIN_MAP_BASEMAP", {}) or {})
    kind = conf.get("kind", "")
    if kind == "tianditu" and conf.get("key"):
        key = conf["key"]
        return {"kind": "tiles", "layers": [
            {"url": TIANDITU.replace("{layer}", "vec").replace("{key}", key), "subdomains": "01234567"},
            {"url": TIANDITU.replace("{layer}", "cva").replace("{key}", key), "subdomains": "01234567"}],
            "attribution": "天地图"}
    if kind == "xyz" and conf.get("url"):
        return {"kind": "tiles", "layers": [{"url": conf["url"], "subdomains": conf.get("subdomains", "abc")}],
                "attribution": conf.get("attribution", "")}
    if kind == "local" and getattr(settings, "ANMIN_MAP_TILES_DIR", ""):
        url = reverse("analytics:tile", args=["0/0/0.png"]).replace("0/0/0.png", "{z}/{x}/{y}.png")
        return {"kind": "tiles", "layers": [{"url": url, "subdomains": ""}], "attribution": conf.get("attribution", "")}
    return {"kind": "none"}


def config(user, area, heat_key: str = "") -> dict:
    centre = RegionGeo.objects.filter(region_id=area.code).values_list("lat", "lng").first() if area else None
    layers = [{"key": layer.key, "label": str(layer.label), "kind": layer.kind, "colour": layer.colour,
               "on": layer.default_on, "url": reverse("analytics:map_layer", args=[layer.key])}
              for layer in sorted(registry.map_layers, key=lambda m: m.order)
              if not layer.perm or user.has_perm(layer.perm)]
    return {
        "basemap": basemap(),
        "centre": list(centre) if centre else [34.14, 113.48],
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
    out = []
    for code, name in areas:
        value = F.plain(figs.value(key, code, year))
        g = geo.get(code)
        out.append({"code": code, "name": name, "value": value if not isinstance(value, dict) else None,
                    "lat": g.lat if g else None, "lng": g.lng if g else None,
                    "boundary": g.boundary if g else None, "link": F.drill_url(key, code, year)})
    return out


__all__ = ["Region"]
