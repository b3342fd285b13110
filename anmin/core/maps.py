"""The basemap every map of the platform draws on (the analytics map, the form kit's location picker),
and where a map of a place starts.

Basemap (``settings.ANMIN_MAP_BASEMAP``, from the environment):
  * ``{"kind": "tianditu", "key": "…"}`` — 天地图 vector tiles (WMTS, Web Mercator) with labels;
  * ``{"kind": "xyz", "url": "https://…/{z}/{x}/{y}.png", "attribution": "…"}`` — any XYZ tiles;
  * ``{"kind": "local"}`` — tiles from ``ANMIN_MAP_TILES_DIR`` served by the app (offline);
  * nothing — a plain background: no request leaves the server.
A tile host outside the app must also be allowed in the CSP's ``img-src`` (settings do that for the
configured URL). Leaflet is vendored in ``static/anmin/vendor/leaflet``.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

#: Where a map starts when no region of it has a centre loaded (禹州市).
DEFAULT_CENTRE = (34.14, 113.48)

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
        try:
            url = reverse("analytics:tile", args=["0/0/0.png"]).replace("0/0/0.png", "{z}/{x}/{y}.png")
        except NoReverseMatch:
            return {"kind": "none"}
        return {"kind": "tiles", "layers": [{"url": url, "subdomains": ""}], "attribution": conf.get("attribution", "")}
    return {"kind": "none"}


def centre_of(region_code: str | None) -> tuple[tuple[float, float], int] | None:
    """The centre of the region (or, when it has none loaded, of the nearest enclosing one that has)
    and a zoom that shows it: ((lat, lng), zoom), or None."""
    from .models import Region, RegionGeo

    if not region_code:
        return None
    region = Region.objects.filter(code=region_code).only("code", "level").first()
    if region is None:
        return None
    codes = [region.code, *reversed(region.ancestor_codes())]
    found = {g[0]: g[1:] for g in RegionGeo.objects.filter(region_id__in=codes).values_list("region_id", "lat", "lng")}
    for depth, code in enumerate(codes):
        if code in found:
            level = region.level - depth
            return found[code], {1: 10, 2: 12, 3: 14}.get(level, 15)
    return None
