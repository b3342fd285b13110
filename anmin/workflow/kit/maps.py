"""Registries on the map: a record's own point, and the map layers a domain registers for its
registries and coverage rules.

* ``Located`` — an abstract model: ``longitude`` and ``latitude`` in WGS-84 decimal degrees, six
  places, bounded, both optional. A registry form that has the pair gets the form kit's location
  picker (GPS or a tap on the map, ``core.formkit``); ``FIELDS`` and ``COLUMNS`` add them to a
  ``Registry`` declaration (the Excel ledger's 经度/纬度 columns are optional: an old file without
  them still imports).
* ``registry_layer(...)`` — a ``core.registry.MapLayer`` of a registry's records on the register
  that have a point: only those the viewer sees (``visible_to``), inside the viewer's area, at most
  ``MAP_MAX_POINTS``, those needing attention first and drawn solid.
* ``gap_layer(...)`` — a coverage rule's gaps (``kit.coverage``): a place short of a
  ``CoverageRule`` at its centre (``core.RegionGeo``, else its township's), a record short of a
  ``ChecklistRule`` at its own point.

The domain registers the layer in its own start-up code; analytics draws every registered layer and
knows no domain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anmin.core import clock, ledgers
from anmin.core.models import Region, RegionGeo
from anmin.core.registry import MAP_MAX_POINTS, MapLayer, map_layers

from .coverage import ChecklistRule, coverage_rules, summary


def _degrees(label, bound: int) -> models.DecimalField:
    return models.DecimalField(label, max_digits=9, decimal_places=6, null=True, blank=True,
                               validators=[MinValueValidator(Decimal(-bound)), MaxValueValidator(Decimal(bound))])


class Located(models.Model):
    """A record's own point (WGS-84 degrees, what a phone's GPS and 天地图 use); none: not on the map."""

    longitude = _degrees(_("经度"), 180)
    latitude = _degrees(_("纬度"), 90)

    class Meta:
        abstract = True


FIELDS = ("longitude", "latitude")
COLUMNS = (
    ledgers.Column("经度", "longitude", ledgers.coordinate(-180, 180), aliases=("东经", "经度(°)")),
    ledgers.Column("纬度", "latitude", ledgers.coordinate(-90, 90), aliases=("北纬", "纬度(°)")),
)


def _url_of(url_name: str) -> Callable[[Any], str]:
    """The record page's URL by primary key, reversed once (a layer may hold thousands of points)."""
    marker = 987654321
    template = reverse(url_name, args=[marker])
    return lambda pk: template.replace(str(marker), str(pk))


def _point(lat, lng, label: str, url: str, group: str) -> dict:
    return {"lat": round(float(lat), 6), "lng": round(float(lng), 6), "label": label, "url": url, "group": group}


def registry_layer(registry, *, key: str, label, colour: str, order: int = 50, default_on: bool = False,
                   attention: Q | None = None, describe: Callable[[Any], str] | None = None) -> MapLayer:
    """The layer of a ``Located`` registry's records: ``attention`` (a filter) marks the records drawn
    solid and sent first; ``describe(record)`` the tooltip (default: the record and its status)."""
    model = registry.model

    def points(*, user, region: str | None = None, year: int | None = None) -> list[dict]:
        records = model.objects.visible_to(user).active().filter(latitude__isnull=False, longitude__isnull=False)
        if region:
            records = records.inside(region)
        flag = Case(When(attention, then=Value(0)), default=Value(1), output_field=IntegerField()) \
            if attention is not None else Value(1, output_field=IntegerField())
        url = _url_of(registry.url_name("detail"))
        statuses = {code: str(name) for code, name in registry.statuses}  # once: get_FOO_display is slow
        out = []
        for record in records.annotate(map_calm=flag).order_by("map_calm", "pk")[:MAP_MAX_POINTS]:
            text = describe(record) if describe else f"{record}（{statuses.get(record.status, record.status)}）"
            out.append(_point(record.latitude, record.longitude, text, url(record.pk),
                              "attention" if record.map_calm == 0 else "normal"))
        return out

    return MapLayer(key, label, points, perm=registry.perm("view"), order=order, colour=colour,
                    default_on=default_on)


def _centres(codes: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Each place's centre, or its parent's where the place has none loaded."""
    parents = dict(Region.objects.filter(code__in=codes).values_list("code", "parent_id"))
    wanted = set(codes) | {p for p in parents.values() if p}
    geo = {code: (lat, lng) for code, lat, lng in
           RegionGeo.objects.filter(region_id__in=wanted).values_list("region_id", "lat", "lng")}
    out = {}
    for code in codes:
        centre = geo.get(code) or geo.get(parents.get(code) or "")
        if centre is not None:
            out[code] = centre
    return out


def gap_layer(rule_key: str, *, key: str, label, colour: str, order: int = 50, default_on: bool = True,
              items: tuple[str, ...] = ()) -> MapLayer:
    """The gaps of a coverage rule as points. A checklist rule: its records short of any of ``items``
    (every item when empty) in the year's period, at their own points."""
    app_label, _sep, model_name = coverage_rules.get(rule_key).model.partition(".")

    def points(*, user, region: str | None = None, year: int | None = None) -> list[dict]:
        rule = coverage_rules.get(rule_key).effective()
        if isinstance(rule, ChecklistRule):
            return _checklist_points(rule, user=user, region=region, year=year, items=items)
        found = summary(rule, within=region, user=user).gaps[:MAP_MAX_POINTS]
        centres = _centres([g.region for g in found])
        page = reverse("workflow:coverage_gaps")
        return [_point(*centres[g.region], f"{g.township}{g.name}：{g.reason}",
                       f"{page}?rule={rule.key}&township={g.region[:9]}000", "attention")
                for g in found if g.region in centres]

    return MapLayer(key, label, points, perm=f"{app_label}.view_{model_name.lower()}", order=order, colour=colour,
                    default_on=default_on)


def _checklist_points(rule: ChecklistRule, *, user, region, year, items) -> list[dict]:
    period = rule.period_of_year(year or clock.today().year)
    records = rule.records(within=region, user=user).filter(latitude__isnull=False, longitude__isnull=False)
    names = dict(rule.items())
    out = []
    for record, lacks in rule.missing(records, period):
        lacking = [c for c in lacks if not items or c in items]
        if lacking:
            label = gettext("%(record)s：缺 %(items)s") % {
                "record": record, "items": "、".join(gettext(names[c]) for c in lacking)}
            out.append(_point(record.latitude, record.longitude, label, record.get_absolute_url(), "attention"))
            if len(out) >= MAP_MAX_POINTS:
                break
    return out


def register(*layers: MapLayer) -> None:
    """Add a domain's layers to the map (``core.registry.map_layers``), from its start-up code."""
    for layer in layers:
        map_layers.register(layer.key, layer)
