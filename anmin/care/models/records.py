"""Care of patients with severe mental disorders, and the visits grid workers make.

Risk assessments form a history (a change of level waits for the township centre); visits
(走访/随访) move the follow-up schedule; the "五位一体" care team, the guardian subsidy "以奖代补"
(quarterly care-log checks, yearly approval, payments) and the incidents register (肇事肇祸).
The rules (intervals, team composition, subsidy eligibility) are data: ``CareConfig``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.links import pk_url
from anmin.core.money import MoneyField
from anmin.core.protected import ProtectedField, ProtectedModelMixin
from anmin.core.scoping import ScopedQuerySet, ScopePolicy
from anmin.people.models.choices import (
    AssessmentSource,
    AssessmentStatus,
    AwardStatus,
    Condition,
    IncidentSeverity,
    Medication,
    SubsidyStatus,
    TeamRole,
    VisitKind,
    VisitMethod,
    VisitOutcome,
    WarningKind,
)
from anmin.people.models.persons import region_prefix
from anmin.people.models.special import RISK_LEVELS, SPECIAL_PERM

PATIENT_REGION = "patient__person__region"


class CareQuerySet(ScopedQuerySet):
    region_path = PATIENT_REGION

    def inside(self, region):
        prefix = region_prefix(region)
        return self.filter(**{f"{self.region_path}__code__startswith": prefix}) if prefix else self


class RiskAssessmentQuerySet(CareQuerySet):
    def pending(self):
        return self.filter(status=AssessmentStatus.PENDING)


class RiskAssessment(models.Model):
    """One risk assessment (危险性评估, level 0–5). A level different from the patient's approved
    level is PENDING until a township centre approves or rejects it."""

    patient = models.ForeignKey(
        "care.MentalPatient", verbose_name=_("患者"), on_delete=models.CASCADE, related_name="assessments"
    )
    level = models.PositiveSmallIntegerField(_("评估等级"), choices=RISK_LEVELS)
    previous_level = models.PositiveSmallIntegerField(_("原等级"), choices=RISK_LEVELS, null=True, blank=True)
    assessed_on = models.DateField(_("评估日期"))
    source = models.CharField(_("来源"), max_length=16, choices=AssessmentSource.choices)
    visit = models.ForeignKey(
        "care.Visit", verbose_name=_("随访记录"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("评估说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=AssessmentStatus.choices, db_index=True)
    assessor = models.ForeignKey(
        "core.User", verbose_name=_("评估人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        "core.User", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = RiskAssessmentQuerySet.as_manager()
    scope = ScopePolicy(region_field=PATIENT_REGION, perm=SPECIAL_PERM)

    class Meta:
        db_table = "people_riskassessment"  # the table kept its name when care left people
        verbose_name = _("危险性评估")
        verbose_name_plural = _("危险性评估")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.patient.person}：{self.level}级（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return pk_url("care:assessment_detail", self.pk)

    @property
    def is_change(self) -> bool:
        return self.previous_level is not None and self.previous_level != self.level


class VisitQuerySet(ScopedQuerySet):
    def inside(self, region):
        prefix = region_prefix(region)
        return self.filter(person__region__code__startswith=prefix) if prefix else self

    def follow_ups(self):
        return self.filter(kind=VisitKind.FOLLOW_UP)

    def in_year(self, year: int):
        return self.filter(visited_at__year=year)


class Visit(ProtectedModelMixin, models.Model):
    """A visit (走访) to a person of concern or a follow-up (随访) of a patient, as the grid worker
    records it on the spot: when, how, what they found, and when to come back."""

    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="visits")
    patient = models.ForeignKey(
        "care.MentalPatient",
        verbose_name=_("患者"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visits",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=VisitKind.choices, default=VisitKind.VISIT)
    visited_at = models.DateTimeField(_("走访时间"), db_index=True)
    method = models.CharField(_("方式"), max_length=16, choices=VisitMethod.choices, default=VisitMethod.IN_PERSON)
    outcome = models.CharField(_("走访结果"), max_length=16, choices=VisitOutcome.choices, default=VisitOutcome.SEEN)
    risk_level = models.PositiveSmallIntegerField(_("观察到的危险性等级"), choices=RISK_LEVELS, null=True, blank=True)
    condition = models.CharField(_("病情"), max_length=16, choices=Condition.choices, blank=True)
    improved = models.BooleanField(_("较上次好转"), default=False)
    medication = models.CharField(_("服药情况"), max_length=16, choices=Medication.choices, blank=True)
    observations = ProtectedField(_("风险与情况观察"), kind="text", blank=True)
    next_on = models.DateField(_("下次走访/随访日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)

    objects = VisitQuerySet.as_manager()
    scope = ScopePolicy(region_field="person__region")  # people.view_visit

    class Meta:
        db_table = "people_visit"  # the table kept its name when care left people
        verbose_name = _("走访随访记录")
        verbose_name_plural = _("走访随访记录")
        ordering = ["-visited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}：{self.get_kind_display()} {timezone.localtime(self.visited_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return pk_url("care:visit_detail", self.pk)


class CareTeamMember(ProtectedModelMixin, models.Model):
    """A member of a patient's "五位一体" care team; ``until`` set means no longer on the team."""

    patient = models.ForeignKey(
        "care.MentalPatient", verbose_name=_("患者"), on_delete=models.CASCADE, related_name="team"
    )
    role = models.CharField(_("成员类型"), max_length=16, choices=TeamRole.choices)
    name = models.CharField(_("姓名"), max_length=64)
    phone = ProtectedField(_("联系电话"), kind="phone", blank=True)
    org_name = models.CharField(_("单位"), max_length=128, blank=True)
    user = models.ForeignKey(
        "core.User", verbose_name=_("平台账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateField(_("加入日期"), default=clock.today)
    until = models.DateField(_("退出日期"), null=True, blank=True)

    objects = CareQuerySet.as_manager()
    scope = ScopePolicy(region_field=PATIENT_REGION, perm=SPECIAL_PERM)

    class Meta:
        db_table = "people_careteammember"  # the table kept its name when care left people
        verbose_name = _("管理小组成员")
        verbose_name_plural = _("管理小组成员")
        ordering = ["patient_id", "role", "pk"]
        indexes = [models.Index(fields=["patient", "role"], name="people_team_patient_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class IncidentQuerySet(CareQuerySet):
    def in_year(self, year: int):
        return self.filter(occurred_at__year=year)


class Incident(models.Model):
    """肇事肇祸: an incident caused by a patient. Recording one resets the guardian subsidy."""

    patient = models.ForeignKey(
        "care.MentalPatient", verbose_name=_("患者"), on_delete=models.PROTECT, related_name="incidents"
    )
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    severity = models.CharField(_("性质"), max_length=16, choices=IncidentSeverity.choices)
    place = models.CharField(_("发生地点"), max_length=200, blank=True)
    description = models.TextField(_("经过"), blank=True)
    casualties = models.PositiveIntegerField(_("伤亡人数"), default=0)
    handling = models.CharField(_("处置情况"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        "core.User", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    objects = IncidentQuerySet.as_manager()
    scope = ScopePolicy(region_field=PATIENT_REGION, perm=SPECIAL_PERM)

    class Meta:
        db_table = "people_incident"  # the table kept its name when care left people
        verbose_name = _("肇事肇祸")
        verbose_name_plural = _("肇事肇祸")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.patient.person}：{self.get_severity_display()} {timezone.localtime(self.occurred_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return pk_url("care:incident_detail", self.pk)


class GuardianSubsidy(ProtectedModelMixin, models.Model):
    """以奖代补: the patient's guardian enrolled for the yearly reward.

    ``period_start`` is when the current incident-free period began; recording an incident moves it
    to the incident's date (eligibility starts over) and voids that year's award.
    """

    patient = models.OneToOneField(
        "care.MentalPatient", verbose_name=_("患者"), on_delete=models.CASCADE, related_name="subsidy"
    )
    guardian_name = models.CharField(_("监护人姓名"), max_length=64)
    guardian_relation = models.CharField(_("与患者关系"), max_length=16, blank=True)
    guardian_phone = ProtectedField(_("监护人联系电话"), kind="phone", blank=True)
    enrolled_on = models.DateField(_("纳入日期"))
    period_start = models.DateField(_("本期起算日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=SubsidyStatus.choices, default=SubsidyStatus.ACTIVE, db_index=True
    )
    annual_amount = MoneyField(_("年度补助标准(元)"), max_digits=9, decimal_places=2)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = CareQuerySet.as_manager()
    scope = ScopePolicy(region_field=PATIENT_REGION, perm=SPECIAL_PERM)

    class Meta:
        db_table = "people_guardiansubsidy"  # the table kept its name when care left people
        verbose_name = _("监护人以奖代补")
        verbose_name_plural = _("监护人以奖代补")
        ordering = ["-enrolled_on", "pk"]
        permissions = [("approve_subsidy", "审批以奖代补年度发放")]

    def __str__(self) -> str:
        return f"{self.patient.person}（监护人 {self.guardian_name}）"

    def get_absolute_url(self) -> str:
        return pk_url("care:subsidy_detail", self.pk)


class CareLogCheck(models.Model):
    """The village's quarterly check of the guardian's care log (看护记录)."""

    subsidy = models.ForeignKey(
        GuardianSubsidy, verbose_name=_("以奖代补"), on_delete=models.CASCADE, related_name="checks"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)])
    checked_on = models.DateField(_("检查日期"))
    passed = models.BooleanField(_("合格"), default=True)
    note = models.CharField(_("检查情况"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        "core.User", verbose_name=_("检查人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CareQuerySet.as_manager()
    scope = ScopePolicy(region_field="subsidy__patient__person__region", perm=SPECIAL_PERM)

    class Meta:
        db_table = "people_carelogcheck"  # the table kept its name when care left people
        verbose_name = _("看护记录检查")
        verbose_name_plural = _("看护记录检查")
        ordering = ["-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["subsidy", "year", "quarter"], name="people_check_once")]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度：{'合格' if self.passed else '不合格'}"


class SubsidyAward(models.Model):
    """The township's yearly decision on a guardian's reward."""

    subsidy = models.ForeignKey(
        GuardianSubsidy, verbose_name=_("以奖代补"), on_delete=models.CASCADE, related_name="awards"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = MoneyField(_("核定金额(元)"), max_digits=9, decimal_places=2)
    status = models.CharField(_("结果"), max_length=16, choices=AwardStatus.choices)
    note = models.CharField(_("审批意见"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        "core.User", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), default=clock.now)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = CareQuerySet.as_manager()
    scope = ScopePolicy(region_field="subsidy__patient__person__region", perm=SPECIAL_PERM)

    class Meta:
        db_table = "people_subsidyaward"  # the table kept its name when care left people
        verbose_name = _("以奖代补年度审批")
        verbose_name_plural = _("以奖代补年度审批")
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["subsidy", "year"], name="people_award_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year}年度：{self.get_status_display()}"

    @property
    def paid_amount(self):
        return sum((p.amount for p in self.payments.all()), start=0)


class PaymentQuerySet(CareQuerySet):
    region_path = "award__subsidy__patient__person__region"


class SubsidyPayment(models.Model):
    """One payment to a guardian (发放台账)."""

    award = models.ForeignKey(
        SubsidyAward, verbose_name=_("年度审批"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = MoneyField(_("发放金额(元)"), max_digits=9, decimal_places=2)
    paid_on = models.DateField(_("发放日期"))
    voucher_no = models.CharField(_("凭证号"), max_length=64, blank=True)
    paid_by = models.ForeignKey(
        "core.User", verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    objects = PaymentQuerySet.as_manager()
    scope = ScopePolicy(region_field="award__subsidy__patient__person__region", perm=SPECIAL_PERM)

    class Meta:
        db_table = "people_subsidypayment"  # the table kept its name when care left people
        verbose_name = _("以奖代补发放")
        verbose_name_plural = _("以奖代补发放")
        ordering = ["-paid_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.paid_on:%Y-%m-%d} {self.amount} 元"

    def get_absolute_url(self) -> str:
        return reverse("care:subsidy_detail", args=[self.award.subsidy_id]) + f"#payment-{self.pk}"


class FollowUpWarning(models.Model):
    """A warning that a patient's follow-up is due soon or overdue, raised once per due date by the
    sweep and resolved when a follow-up moves the date."""

    patient = models.ForeignKey(
        "care.MentalPatient", verbose_name=_("患者"), on_delete=models.CASCADE, related_name="warnings"
    )
    due_on = models.DateField(_("应随访日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=WarningKind.choices)
    raised_at = models.DateTimeField(_("预警时间"), default=clock.now)
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    objects = CareQuerySet.as_manager()
    scope = ScopePolicy(region_field=PATIENT_REGION, perm=SPECIAL_PERM)

    class Meta:
        db_table = "people_followupwarning"  # the table kept its name when care left people
        verbose_name = _("随访预警")
        verbose_name_plural = _("随访预警")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "due_on", "kind"], name="people_warning_once_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.patient.person}：{self.get_kind_display()}（应于 {self.due_on:%Y-%m-%d}）"


class CareConfig(models.Model):
    """The configurable care rules as data (one row per ``key``; ``default`` is used).

    Missing entries fall back to the defaults in ``care.rules.DEFAULT_RULES`` (from the national
    practice: unstable every 2 weeks, basically stable 2 weeks then 1 or 3 months, stable 3 months,
    at least 4 a year; team and subsidy rules likewise).
    """

    key = models.SlugField(_("标识"), max_length=32, unique=True, default="default")
    rules = models.JSONField(_("规则"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "people_careconfig"  # the table kept its name when care left people
        verbose_name = _("严重精神障碍患者管理规则")
        verbose_name_plural = _("严重精神障碍患者管理规则")

    def __str__(self) -> str:
        return self.key
