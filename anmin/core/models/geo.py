"""Where things are: a region's centre and boundary (reference data, loaded with ``anmin regions
load-geo``), and a point for any record that has no coordinates of its own (``Location``).

Coordinates are WGS-84 degrees (what a phone's GPS and 天地图 use). A region without a row here is
still shown on the map as a tile at its parent's place; a record without a point is simply absent
from the point layers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedQuerySet, ScopePolicy


class RegionGeoQuerySet(ScopedQuerySet):
    pass


class RegionGeo(models.Model):
    region = models.OneToOneField(
        "core.Region", verbose_name=_("区划"), primary_key=True, on_delete=models.CASCADE, related_name="geo"
    )
    lat = models.FloatField(_("中心纬度"))
    lng = models.FloatField(_("中心经度"))
    boundary = models.JSONField(_("边界(GeoJSON)"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=64, blank=True)

    objects = RegionGeoQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", reference_data=True, perm="core.view_region")

    class Meta:
        verbose_name = _("区划地理信息")
        verbose_name_plural = _("区划地理信息")

    def __str__(self) -> str:
        return f"{self.region_id} ({self.lat:.4f}, {self.lng:.4f})"


class LocationQuerySet(ScopedQuerySet):
    def of(self, model_label: str) -> LocationQuerySet:
        return self.filter(model=model_label)


class Location(models.Model):
    """A record's point (``model`` "workflow.case", ``object_id`` its key). A domain whose records
    carry coordinates of their own needs no row here; its map layer reads them directly. Visible
    only through the record it locates (read it joined with that model's ``visible_to``)."""

    model = models.CharField(_("记录类型"), max_length=100)
    object_id = models.BigIntegerField(_("记录编号"))
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(_("纬度"))
    lng = models.FloatField(_("经度"))
    source = models.CharField(_("来源"), max_length=32, blank=True, help_text=_("如 GPS、地图选点、演示数据"))

    objects = LocationQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", perm="core.view_region")

    class Meta:
        verbose_name = _("位置")
        verbose_name_plural = _("位置")
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="location_unique_record")]

    def __str__(self) -> str:
        return f"{self.model}:{self.object_id} ({self.lat:.5f}, {self.lng:.5f})"
