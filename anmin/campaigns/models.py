"""Campaigns and designations: 平安村(社区)/平安商场/平安校园/信访稳定红旗村 designations by year
(criteria, application, assessment, designation, revocation), publicity campaigns and their materials,
综治保险 insured households, psychological service (counsellors, crisis teams, sessions) and published
practice reports (政法工作专报).

Writes go through ``actions.py``; reads start at ``visible_to``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anmin.core.bounds import PastDayField
from anmin.core.links import pk_url
from anmin.core.money import MoneyField
from anmin.core.scoping import ScopedQuerySet, ScopePolicy
from anmin.workflow.kit.registry import RegistryModel, RegistryQuerySet


class RegionQuerySet(ScopedQuerySet):
    def inside(self, prefix: str):
        return self.filter(region__code__startswith=prefix) if prefix else self


# -- Designations (平安创建命名) ------------------------------------------------------------------------
class DesignationKind(models.TextChoices):
    SAFE_VILLAGE = "safe_village", _("平安村(社区)")
    SAFE_MALL = "safe_mall", _("平安商场")
    SAFE_CAMPUS = "safe_campus", _("平安校园")
    PETITION_VILLAGE = "petition_village", _("信访稳定红旗村")


class Criterion(models.Model):
    """One criterion of a designation (data: the office edits them), with its maximum points."""

    kind = models.CharField(_("创建类型"), max_length=20, choices=DesignationKind.choices)
    code = models.CharField(_("代码"), max_length=8)
    text = models.CharField(_("标准"), max_length=300)
    points = models.PositiveSmallIntegerField(_("分值"), default=10)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("创建标准")
        verbose_name_plural = _("创建标准")
        ordering = ["kind", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="criterion_unique_code")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code} {self.text}"


class DesignationStatus(models.TextChoices):
    APPLIED = "applied", _("已申报")
    ASSESSED = "assessed", _("已考核")
    DESIGNATED = "designated", _("已命名")
    REFUSED = "refused", _("未通过")
    REVOKED = "revoked", _("已撤销")


class DesignationQuerySet(RegistryQuerySet):
    def valid(self, year: int):
        """Designated for ``year`` and not revoked."""
        return self.filter(year=year, status=DesignationStatus.DESIGNATED)


class Designation(RegistryModel):
    """An application for a designation in a year and where it got to (the registry kit; its status is
    the designation's: applied → assessed → designated / refused → revoked)."""

    kind = models.CharField(_("创建类型"), max_length=20, choices=DesignationKind.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    subject = models.CharField(_("创建对象"), max_length=128, help_text=_("村(社区)、商场或学校的名称"))
    status = models.CharField(_("状态"), max_length=16, choices=DesignationStatus.choices,
                              default=DesignationStatus.APPLIED, db_index=True)
    applied_on = PastDayField(_("申报日期"))
    score = models.DecimalField(_("考核得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    assessed_on = PastDayField(_("考核日期"), null=True, blank=True)
    decided_on = PastDayField(_("命名(不予命名)日期"), null=True, blank=True)
    revoked_on = PastDayField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)

    objects = DesignationQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("平安创建命名")
        verbose_name_plural = _("平安创建命名")
        ordering = ["-year", "kind", "region_id"]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()} {self.subject}"

    def get_absolute_url(self) -> str:
        return pk_url("campaigns:designation_detail", self.pk)


# -- Publicity (宣传活动) ---------------------------------------------------------------------------
class CampaignKind(models.TextChoices):
    FOCUS = "focus", _("平安创建集中宣传活动")
    THEME_MONTH = "theme_month", _("主题宣传月")
    OTHER = "other", _("其他宣传活动")


class PublicityCampaign(models.Model):
    title = models.CharField(_("活动名称"), max_length=128)
    kind = models.CharField(_("活动类型"), max_length=16, choices=CampaignKind.choices)
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("活动日期"), db_index=True)
    place = models.CharField(_("活动地点"), max_length=128, blank=True)
    organiser = models.CharField(_("组织单位"), max_length=128, blank=True)
    summary = models.CharField(_("活动情况"), max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return pk_url("campaigns:campaign_detail", self.pk)


class MaterialKind(models.TextChoices):
    PICTURE = "picture", _("展出图片")
    PROGRAMME = "programme", _("展演节目")
    LEAFLET = "leaflet", _("宣传彩页")
    BOOKLET = "booklet", _("宣传手册")
    GIFT = "gift", _("宣传品")


class PublicityMaterial(models.Model):
    """Material of a campaign: pictures on a theme, a programme, leaflets, booklets, gifts."""

    campaign = models.ForeignKey(PublicityCampaign, verbose_name=_("宣传活动"), on_delete=models.PROTECT,
                                 related_name="materials")
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=12, choices=MaterialKind.choices)
    title = models.CharField(_("名称/主题"), max_length=128, help_text=_("图片的主题、节目名称、宣传品名称"))
    quantity = models.PositiveIntegerField(_("数量"))

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("宣传材料")
        verbose_name_plural = _("宣传材料")
        ordering = ["campaign_id", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title} ×{self.quantity}"



# -- 综治保险 --------------------------------------------------------------------------------------
class InsuranceStatus(models.TextChoices):
    INSURED = "insured", _("在保")
    LAPSED = "lapsed", _("已退保")


class InsuredHousehold(RegistryModel):
    """A rural household insured under 综治保险 in a year (the registry kit)."""

    status = models.CharField(_("状态"), max_length=16, choices=InsuranceStatus.choices,
                              default=InsuranceStatus.INSURED, db_index=True)
    year = models.PositiveSmallIntegerField(_("参保年度"), db_index=True)
    householder = models.CharField(_("户主"), max_length=64)
    policy_no = models.CharField(_("保单号"), max_length=32, unique=True)
    insured_on = PastDayField(_("参保日期"))
    premium = MoneyField(_("保费(元)"), max_digits=8, decimal_places=2, default=0)

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("综治保险参保农户")
        verbose_name_plural = _("综治保险参保农户")
        ordering = ["-year", "region_id", "policy_no"]

    def __str__(self) -> str:
        return f"{self.householder}（{self.policy_no}）"

    def get_absolute_url(self) -> str:
        return pk_url("campaigns:household_detail", self.pk)


# -- Psychological service (社会心理服务) ------------------------------------------------------------
class CounsellorKind(models.TextChoices):
    COUNSELLOR = "counsellor", _("心理咨询师")
    SCHOOL = "school", _("心理健康辅导教师")
    DOCTOR = "doctor", _("精神科医生")


class Counsellor(RegistryModel):
    """A counsellor, school counselling teacher or psychiatrist (the registry kit)."""

    name = models.CharField(_("姓名"), max_length=64)
    kind = models.CharField(_("类别"), max_length=12, choices=CounsellorKind.choices)
    full_time = models.BooleanField(_("专职"), default=False)
    workplace = models.CharField(_("工作单位"), max_length=128, blank=True)
    crisis_team = models.CharField(_("心理危机干预队伍"), max_length=128, blank=True,
                                   help_text=_("所属危机干预小组或心理救援医疗队"))

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("心理服务人员")
        verbose_name_plural = _("心理服务人员")
        ordering = ["region_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("campaigns:counsellor_detail", self.pk)


class CounsellingSession(models.Model):
    counsellor = models.ForeignKey(Counsellor, verbose_name=_("心理服务人员"), on_delete=models.PROTECT,
                                   related_name="sessions")
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("内容"), max_length=200)
    people = models.PositiveIntegerField(_("服务人次"), default=1)

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("心理服务记录")
        verbose_name_plural = _("心理服务记录")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:counsellor_detail", args=[self.counsellor_id])


# -- Practice reports (政法工作专报) -------------------------------------------------------------------
class PracticeReport(RegistryModel):
    """A township's practice published in 政法工作专报, and where it was reprinted (the registry kit)."""

    title = models.CharField(_("标题"), max_length=200)
    issue = models.CharField(_("期号"), max_length=32, blank=True, help_text=_("如：2020年第5期"))
    published_on = PastDayField(_("刊发日期"), db_index=True)
    reprinted_in = models.CharField(_("转载媒体"), max_length=300, blank=True,
                                    help_text=_("如：许昌日报、“学习强国”"))

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("政法工作专报刊发")
        verbose_name_plural = _("政法工作专报刊发")
        ordering = ["-published_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return pk_url("campaigns:report_detail", self.pk)
