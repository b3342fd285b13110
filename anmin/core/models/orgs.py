"""Organisation units: 综治中心 at every level, departments, police stations, 司法所 …"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedQuerySet, ScopePolicy


class OrgKind(models.TextChoices):
    CENTER = "center", _("综治中心")
    PEACE_OFFICE = "peace_office", _("市委政法委/市平安办")
    CRACKDOWN_OFFICE = "crackdown_office", _("扫黑办")
    POLICE_BUREAU = "police_bureau", _("公安局")
    POLICE_STATION = "police_station", _("派出所")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    JUSTICE_BUREAU = "justice_bureau", _("司法局")
    JUSTICE_OFFICE = "justice_office", _("司法所")
    EDUCATION = "education", _("教育局")
    CIVIL_AFFAIRS = "civil_affairs", _("民政局")
    HEALTH = "health", _("卫健委")
    PETITIONS = "petitions", _("信访局")
    DEPARTMENT = "department", _("其他部门")
    MEDIATION_COMMITTEE = "mediation_committee", _("人民调解委员会")
    IT_OPERATIONS = "it_operations", _("系统运维")


class OrgUnitQuerySet(ScopedQuerySet):
    def of_kind(self, *kinds: str) -> OrgUnitQuerySet:
        return self.filter(kind__in=kinds)


class OrgUnit(models.Model):
    code = models.SlugField(_("机构编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("机构类型"), max_length=32, choices=OrgKind.choices, db_index=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属/覆盖区划"), on_delete=models.PROTECT, related_name="org_units"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    phone = models.CharField(_("办公电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = OrgUnitQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", reference_data=True)

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["region_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:orgunit_detail", args=[self.pk])
