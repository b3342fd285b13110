"""Hazards: dangerous waters and their summer inspections, minors' drowning incidents, railway-line
hazards (a case kind on the engine: found → rectification with a deadline → verified) and the
drunk-driving enforcement register.

Writes go through ``actions.py``; reads start at ``visible_to``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anmin.core.links import pk_url
from anmin.core.protected import ProtectedField, ProtectedModelMixin
from anmin.core.scoping import ScopedQuerySet, ScopePolicy
from anmin.workflow.kit.maps import Located
from anmin.workflow.kit.registry import RegistryModel, RegistryQuerySet
from anmin.workflow.models import CaseDetail, CaseDetailQuerySet


class RegionQuerySet(ScopedQuerySet):
    def inside(self, prefix: str):
        return self.filter(region__code__startswith=prefix) if prefix else self


# -- Dangerous waters (危险水域) -------------------------------------------------------------------
class WaterKind(models.TextChoices):
    POND = "pond", _("坑塘")
    RIVER = "river", _("河流")
    PIT = "pit", _("废弃矿坑/砖窑坑")
    RESERVOIR = "reservoir", _("水库")
    CANAL = "canal", _("沟渠")


class Water(ProtectedModelMixin, Located, RegistryModel):
    """A dangerous water: where it is (its place and, optionally, its point on the map), its warning
    signs, rescue equipment and responsible person (the registry kit: place, status, retire, history)."""

    name = models.CharField(_("水域名称"), max_length=128)
    kind = models.CharField(_("水域类型"), max_length=16, choices=WaterKind.choices)
    address = models.CharField(_("位置描述"), max_length=200, blank=True)
    warning_signs = models.PositiveSmallIntegerField(_("警示牌(块)"), default=0)
    rescue_equipment = models.CharField(_("救生器材"), max_length=200, blank=True,
                                        help_text=_("如：救生圈2个、救生杆1根、救生绳1条"))
    responsible_name = models.CharField(_("责任人"), max_length=64, blank=True)
    responsible_phone = ProtectedField(_("责任人电话"), kind="phone", blank=True)

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("危险水域")
        verbose_name_plural = _("危险水域")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("hazards:water_detail", self.pk)

    @property
    def protected(self) -> bool:
        """Signs, equipment and a responsible person: the three things a dangerous water must have."""
        return bool(self.warning_signs and self.rescue_equipment and self.responsible_name)


class WaterInspection(models.Model):
    """An inspection of a dangerous water (in the summer season, June to September)."""

    water = models.ForeignKey(Water, verbose_name=_("危险水域"), on_delete=models.PROTECT, related_name="inspections")
    region = models.ForeignKey("core.Region", verbose_name=_("所在村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    inspected_on = models.DateField(_("巡查日期"))
    inspector = models.CharField(_("巡查人"), max_length=64)
    signs_ok = models.BooleanField(_("警示牌完好"), default=True)
    equipment_ok = models.BooleanField(_("救生器材齐全"), default=True)
    findings = models.CharField(_("发现问题"), max_length=500, blank=True)

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("水域巡查记录")
        verbose_name_plural = _("水域巡查记录")
        ordering = ["-inspected_on", "pk"]

    def __str__(self) -> str:
        return f"{self.water} {self.inspected_on}"

    def get_absolute_url(self) -> str:
        return reverse("hazards:water_detail", args=[self.water_id])


class DrowningIncident(models.Model):
    """A minor's drowning incident (未成年人溺水事故). No name is kept: age, sex, place and outcome."""

    region = models.ForeignKey("core.Region", verbose_name=_("发生地"), on_delete=models.PROTECT, related_name="+")
    water = models.ForeignKey(Water, verbose_name=_("危险水域"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="drownings")
    occurred_on = models.DateField(_("发生日期"))
    age = models.PositiveSmallIntegerField(_("年龄"))
    sex = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))])
    died = models.BooleanField(_("死亡"), default=False)
    circumstances = models.CharField(_("经过"), max_length=1000, blank=True)

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("未成年人溺水事故")
        verbose_name_plural = _("未成年人溺水事故")
        ordering = ["-occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.region}"

    def get_absolute_url(self) -> str:
        return pk_url("hazards:drowning_detail", self.pk)


# -- Railway line hazards (铁路沿线安全隐患, a case kind) ---------------------------------------------
class RailwayHazardCategory(models.TextChoices):
    HOUSE = "house", _("危房")
    TREE = "tree", _("危树")
    FENCE = "fence", _("护网破损")
    CROSSING = "crossing", _("道口隐患")
    OBJECT = "object", _("彩钢瓦、塑料薄膜等异物")
    OTHER = "other", _("其他")


class RailwayHazard(CaseDetail):
    """A hazard along a railway line: the detail of a case of kind TL (see ``workflows.py``)."""

    category = models.CharField(_("隐患类别"), max_length=16, choices=RailwayHazardCategory.choices, db_index=True)
    line = models.CharField(_("铁路线路"), max_length=64, help_text=_("如：郑万高铁、禹亳铁路"))
    mileage = models.CharField(_("里程(公里标)"), max_length=32, blank=True, help_text=_("如：K123+400"))
    found_on = models.DateField(_("发现日期"))
    requirement = models.CharField(_("整改要求"), max_length=500, blank=True)

    detail_url_name = "hazards:railway_detail"
    objects = CaseDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("铁路沿线安全隐患")
        verbose_name_plural = _("铁路沿线安全隐患")
        ordering = ["-case_id"]


# -- Drunk-driving enforcement register (酒驾醉驾查处) ------------------------------------------------
class Offence(models.TextChoices):
    DRINK = "drink", _("饮酒驾驶")
    DRUNK = "drunk", _("醉酒驾驶")


class Penalty(models.TextChoices):
    ADMIN = "admin", _("行政处罚")
    CRIMINAL = "criminal", _("刑事处罚")


class DrunkDrivingQuerySet(RegionQuerySet):
    def in_year(self, year: int):
        return self.filter(caught_on__year=year)


class DrunkDriving(ProtectedModelMixin, models.Model):
    """One person dealt with for drink or drunk driving: when and where, the penalty, and whether the
    driving caused an accident (醉驾肇事肇祸). The register keeps earlier years for the year-on-year
    change."""

    region = models.ForeignKey("core.Region", verbose_name=_("查处地(乡镇)"), on_delete=models.PROTECT,
                               related_name="+")
    caught_on = models.DateField(_("查处日期"), db_index=True)
    driver_name = models.CharField(_("驾驶人"), max_length=64)
    id_number = ProtectedField(_("身份证号码"), kind="id_number", blank=True)
    offence = models.CharField(_("违法类型"), max_length=8, choices=Offence.choices)
    penalty = models.CharField(_("处理结果"), max_length=8, choices=Penalty.choices)
    caused_accident = models.BooleanField(_("肇事肇祸"), default=False)
    unit = models.CharField(_("查处单位"), max_length=64, blank=True)

    objects = DrunkDrivingQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("酒驾醉驾查处记录")
        verbose_name_plural = _("酒驾醉驾查处记录")
        ordering = ["-caught_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.driver_name} {self.caught_on}"

    def get_absolute_url(self) -> str:
        return pk_url("hazards:drunk_driving_detail", self.pk)

