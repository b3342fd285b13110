"""The assessment (考核评估): per year and unit type an indicator tree with points, the units
assessed, the scores reviewers give with evidence, deductions and bonuses, 一票否决, appeals, the
frozen results of a published year, designations (优秀单位 / 先进个人) and the register of
commendations from above (许昌市).

Writes go through ``actions.py``; the scoring is ``engine.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core.links import pk_url
from anmin.core.scoping import ScopedQuerySet, ScopePolicy


class UnitType(models.TextChoices):
    TOWNSHIP = "township", _("乡镇(街道)")
    DEPARTMENT = "department", _("市直单位")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("考核中")
    PUBLISHED = "published", _("已发布（冻结）")


class IndicatorKind(models.TextChoices):
    GROUP = "group", _("指标类别")
    KPI = "kpi", _("数据指标")
    MANUAL = "manual", _("人工评分")
    DEDUCTION = "deduction", _("扣分项")
    BONUS = "bonus", _("加分项")
    VETO = "veto", _("一票否决")


class Grade(models.TextChoices):
    EXCELLENT = "优秀", _("优秀")
    GOOD = "良好", _("良好")
    PASS = "达标", _("达标")
    FAIL = "不达标", _("不达标")


DEFAULT_GRADES = {"优秀": 90, "良好": 80, "达标": 60}


class Scoped(ScopedQuerySet):
    pass


class Scheme(models.Model):
    year = models.PositiveSmallIntegerField(_("考核年度"))
    unit_type = models.CharField(_("考核对象类型"), max_length=16, choices=UnitType.choices)
    name = models.CharField(_("方案名称"), max_length=120)
    region = models.ForeignKey("core.Region", verbose_name=_("组织考核的区域"), on_delete=models.PROTECT,
                               related_name="+")
    grades = models.JSONField(_("等次分数线"), default=dict, blank=True,
                              help_text=_("各等次的最低总分，如 {\"优秀\": 90, \"良好\": 80, \"达标\": 60}"))
    excellent_quota = models.PositiveSmallIntegerField(_("优秀单位名额"), null=True, blank=True,
                                                       help_text=_("空：等次为优秀的全部评为优秀单位"))
    status = models.CharField(_("状态"), max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = Scoped.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "unit_type"]
        permissions = [
            ("score_scheme", _("考核评分、扣分加分、复核申诉")),
            ("appeal_scheme", _("对本单位考核结果提出申诉")),
            ("decide_veto", _("认定一票否决")),
            ("publish_scheme", _("发布考核结果")),
        ]
        constraints = [models.UniqueConstraint(fields=["year", "unit_type", "region"], name="scheme_unique_year_type")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("assessment:scheme_detail", self.pk)

    @property
    def is_frozen(self) -> bool:
        return self.status == SchemeStatus.PUBLISHED

    def grade_lines(self) -> dict[str, float]:
        return {**DEFAULT_GRADES, **(self.grades or {})}


class Indicator(models.Model):
    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", verbose_name=_("上级指标"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    code = models.CharField(_("编号"), max_length=16)
    name = models.CharField(_("指标名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=IndicatorKind.choices)
    max_score = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, default=0,
                                    help_text=_("得分项的满分；扣分、加分项的封顶分值"))
    kpi = models.CharField(_("数据指标"), max_length=120, blank=True,
                           help_text=_("绑定的指标键，如 disputes.success_rate"))
    rule = models.JSONField(_("计分规则"), default=dict, blank=True)
    description = models.TextField(_("评分说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TargetQuerySet(ScopedQuerySet):
    pass


class Target(models.Model):
    """A unit assessed: a 乡镇(街道) (its region's records count) or a 市直单位 (an org unit)."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("单位名称"), max_length=120)
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+",
                               help_text=_("乡镇(街道)为其辖区；市直单位为全市"))
    org_unit = models.ForeignKey("core.OrgUnit", verbose_name=_("机构"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = TargetQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", org_fields=("org_unit",), perm="assessment.view_scheme")

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        ordering = ["scheme", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="target_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("assessment:target_detail", self.pk)


class ByTarget(ScopedQuerySet):
    pass


_BY_TARGET = ScopePolicy(region_field="target__region", org_fields=("target__org_unit",),
                         perm="assessment.view_scheme")


class ManualScore(models.Model):
    """A reviewer's score for a manual item — or for a data item of a year the records do not
    cover (the office's check of the ledgers before the platform)."""

    target = models.ForeignKey(Target, verbose_name=_("考核对象"), on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    note = models.TextField(_("评分依据"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(_("评分时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ByTarget.as_manager()
    scope = _BY_TARGET

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        constraints = [models.UniqueConstraint(fields=["target", "indicator"], name="manualscore_unique")]

    def __str__(self) -> str:
        return f"{self.target} {self.indicator.code} {self.score}"


class Adjustment(models.Model):
    """One deduction (扣分) or bonus (加分) occurrence on a deduction/bonus item; the item's
    ``max_score`` caps their sum."""

    target = models.ForeignKey(Target, verbose_name=_("考核对象"), on_delete=models.CASCADE, related_name="adjustments")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("事由"))
    reference = models.CharField(_("依据记录"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    objects = ByTarget.as_manager()
    scope = _BY_TARGET

    class Meta:
        verbose_name = _("扣分/加分")
        verbose_name_plural = _("扣分/加分")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.target} {self.indicator.code} {self.points}"


class VetoStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("不予认定")


class Veto(models.Model):
    """一票否决: proposed by the engine from records (a KPI over its line) or registered by hand;
    it counts only once a person confirms it."""

    target = models.ForeignKey(Target, verbose_name=_("考核对象"), on_delete=models.CASCADE, related_name="vetoes")
    indicator = models.ForeignKey(Indicator, verbose_name=_("否决事项"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=VetoStatus.choices, default=VetoStatus.PROPOSED)
    reason = models.TextField(_("事由"))
    value = models.FloatField(_("触发数值"), null=True, blank=True)
    link = models.CharField(_("相关记录"), max_length=300, blank=True)
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    decision_note = models.TextField(_("认定意见"), blank=True)

    objects = ByTarget.as_manager()
    scope = _BY_TARGET

    class Meta:
        verbose_name = _("一票否决")
        verbose_name_plural = _("一票否决")
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.target} {self.get_status_display()}"


class AppealStatus(models.TextChoices):
    OPEN = "open", _("待复核")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("维持原评")


class Appeal(models.Model):
    target = models.ForeignKey(Target, verbose_name=_("考核对象"), on_delete=models.CASCADE, related_name="appeals")
    indicator = models.ForeignKey(Indicator, verbose_name=_("申诉指标"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("申诉理由"))
    status = models.CharField(_("状态"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("申诉时间"))
    decision = models.TextField(_("复核意见"), blank=True)
    new_score = models.DecimalField(_("复核后得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    objects = ByTarget.as_manager()
    scope = _BY_TARGET

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.target} {self.get_status_display()}"


class Result(models.Model):
    """A published year's frozen result per unit, with its explanation."""

    target = models.OneToOneField(Target, verbose_name=_("考核对象"), on_delete=models.CASCADE, related_name="result")
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("名次"))
    grade = models.CharField(_("等次"), max_length=8, choices=Grade.choices)
    excellent = models.BooleanField(_("优秀单位"), default=False)
    explanation = models.JSONField(_("得分说明"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"))

    objects = ByTarget.as_manager()
    scope = _BY_TARGET

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.target} {self.total} {self.grade}"


class Designation(models.Model):
    """先进个人 (excellent individuals) named with a year's assessment."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE,
                               related_name="designations")
    target = models.ForeignKey(Target, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="designations")
    person_name = models.CharField(_("姓名"), max_length=64)
    org_name = models.CharField(_("单位"), max_length=120)
    title = models.CharField(_("称号"), max_length=64, default="平安建设先进个人")

    objects = ByTarget.as_manager()
    scope = ScopePolicy(region_field="scheme__region", perm="assessment.view_scheme")

    class Meta:
        verbose_name = _("先进个人")
        verbose_name_plural = _("先进个人")
        ordering = ["scheme", "org_name", "person_name"]

    def __str__(self) -> str:
        return f"{self.person_name}（{self.org_name}）"


class CommendationKind(models.TextChoices):
    UNIT = "unit", _("单位")
    INDIVIDUAL = "individual", _("个人")


class Commendation(models.Model):
    """A commendation from above (许昌市 …): an external register, entered by the office."""

    year = models.PositiveSmallIntegerField(_("考核年度"))
    level = models.CharField(_("表彰机关"), max_length=64, help_text=_("如 许昌市平安建设领导小组"))
    kind = models.CharField(_("表彰对象"), max_length=16, choices=CommendationKind.choices)
    name = models.CharField(_("单位或个人"), max_length=120)
    org_name = models.CharField(_("所在单位"), max_length=120, blank=True)
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("称号"), max_length=64)
    awarded_on = models.DateField(_("表彰日期"), null=True, blank=True)

    objects = Scoped.as_manager()
    scope = ScopePolicy(region_field="region", perm="assessment.view_scheme")

    class Meta:
        verbose_name = _("上级表彰")
        verbose_name_plural = _("上级表彰")
        ordering = ["-year", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.year} {self.level} {self.name} {self.title}"
