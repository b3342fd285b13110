"""Warning leads (预警线索): the detail of a case of kind YJ, its contact attempts, and the rules (data)
that grade a lead and route it to the police station of the victim's place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core.codes import code_name
from anmin.core.money import MoneyField
from anmin.core.protected import ProtectedField, ProtectedModelMixin
from anmin.core.scoping import ScopedQuerySet, ScopePolicy
from anmin.workflow.models import CaseDetail, CaseDetailQuerySet


class Grade(models.TextChoices):
    """The lead's grade; stored as the case's priority (the workflow's minute limits follow it)."""

    CRITICAL = "critical", _("特高")
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


GRADE_RANK = {Grade.LOW: 0, Grade.MEDIUM: 1, Grade.HIGH: 2, Grade.CRITICAL: 3}


class LeadSource(models.TextChoices):
    PUSHED = "pushed", _("上级推送")
    BANK = "bank", _("银行")
    CARRIER = "carrier", _("运营商")
    PUBLIC = "public", _("群众")
    OWN = "own", _("自主发现")


class LeadOutcome(models.TextChoices):
    PENDING = "", _("处置中")
    DISSUADED = "dissuaded", _("劝阻成功")
    DEFRAUDED = "defrauded", _("已被骗")
    UNREACHABLE = "unreachable", _("无法联系")
    FALSE_ALARM = "false_alarm", _("误报")


class VictimProfile(models.TextChoices):
    ANY = "", _("不限")
    ELDERLY = "elderly", _("60岁以上老人")
    YOUNG = "young", _("25岁以下青年/学生")


class LeadQuerySet(CaseDetailQuerySet):
    def open(self) -> LeadQuerySet:
        return self.filter(case__is_open=True)

    def concluded_in(self, year: int) -> LeadQuerySet:
        return self.filter(concluded_at__year=year)


class Lead(ProtectedModelMixin, CaseDetail):
    """A warning lead: a person who may be being defrauded right now."""

    upstream_id = models.CharField(_("上游线索编号"), max_length=64, null=True, blank=True, unique=True,
                                   help_text=_("推送系统的线索编号；同一编号重复推送只登记一次"))
    source = models.CharField(_("线索来源"), max_length=16, choices=LeadSource.choices, default=LeadSource.PUSHED)
    fraud_type = models.CharField(_("诈骗类型"), max_length=8, help_text=_("诈骗类型代码表（fraud_type）中的代码"))
    victim_name = models.CharField(_("潜在受害人姓名"), max_length=64)
    victim_id_number = ProtectedField(_("潜在受害人身份证号码"), kind="id_number", index=True, blank=True)
    victim_phone = ProtectedField(_("潜在受害人联系电话"), kind="phone", index=True, blank=True)
    victim_age = models.PositiveSmallIntegerField(_("年龄"), null=True, blank=True)
    person = models.ForeignKey("people.Person", verbose_name=_("人口库人员"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="fraud_leads")
    suspect_number = models.CharField(_("涉诈电话"), max_length=32, blank=True)
    suspect_account = models.CharField(_("涉诈账户"), max_length=32, blank=True)
    suspect_url = models.CharField(_("涉诈网址"), max_length=300, blank=True)
    amount_at_risk = MoneyField(_("涉及金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    computed_grade = models.CharField(_("规则研判等级"), max_length=16, choices=Grade.choices)
    grade_reason = models.CharField(_("定级依据"), max_length=200, blank=True)
    grade_overridden = models.BooleanField(_("人工调整等级"), default=False)
    received_at = models.DateTimeField(_("线索下发时间"))
    routed_by = models.CharField(_("分派依据"), max_length=200, blank=True)
    first_contact_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    contact_minutes = models.PositiveIntegerField(_("首次联系用时(分钟)"), null=True, blank=True)
    contacted_in_time = models.BooleanField(_("按时联系"), null=True)
    attempts = models.PositiveSmallIntegerField(_("联系次数"), default=0)
    outcome = models.CharField(_("处置结果"), max_length=16, choices=LeadOutcome.choices, blank=True, default="")
    amount_protected = MoneyField(_("避免损失(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    concluded_at = models.DateTimeField(_("处置完毕时间"), null=True, blank=True, db_index=True)
    revisit_due_on = models.DateField(_("应回访日期"), null=True, blank=True)
    revisited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    revisit_note = models.CharField(_("回访情况"), max_length=500, blank=True)
    fraud_case = models.ForeignKey("antifraud.FraudCase", verbose_name=_("电诈案件"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="leads")
    version = models.PositiveIntegerField(default=1, editable=False)

    detail_url_name = "antifraud:lead_detail"
    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警线索")
        verbose_name_plural = _("预警线索")
        ordering = ["-case_id"]

    @property
    def fraud_type_label(self) -> str:
        return code_name("fraud_type", self.fraud_type)

    @property
    def grade(self) -> str:
        return self.case.priority

    @property
    def grade_label(self) -> str:
        return Grade(self.case.priority).label if self.case.priority in Grade.values else self.case.priority


class ContactMethod(models.TextChoices):
    CALL = "call", _("电话")
    SMS = "sms", _("短信")
    VISIT = "visit", _("上门")
    RELATIVE = "relative", _("联系亲属")


class ContactResult(models.TextChoices):
    REACHED = "reached", _("已联系上")
    NO_ANSWER = "no_answer", _("无人接听")
    REFUSED = "refused", _("拒不配合")
    WRONG = "wrong", _("号码错误/停机")


class ContactAttempt(models.Model):
    """One attempt to reach the person (call, SMS, visit): also written on the case's timeline."""

    lead = models.ForeignKey(Lead, verbose_name=_("预警线索"), on_delete=models.PROTECT, related_name="contacts")
    at = models.DateTimeField(_("时间"))
    method = models.CharField(_("方式"), max_length=16, choices=ContactMethod.choices)
    result = models.CharField(_("结果"), max_length=16, choices=ContactResult.choices)
    by = models.ForeignKey("core.User", verbose_name=_("联系人"), null=True, blank=True, on_delete=models.PROTECT)
    by_name = models.CharField(_("联系人姓名"), max_length=64, blank=True)
    note = models.CharField(_("情况"), max_length=500, blank=True)

    scope = ScopePolicy(region_field="lead__case__region", assignee_fields=("lead__case__handler",),
                        org_fields=("lead__case__handling_org",), perm="antifraud.view_lead")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["lead_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.get_result_display()}"


class GradeRule(models.Model):
    """A grading rule (data): a lead matching every condition given is graded at least ``grade``; the
    highest matching grade wins, no match is 低."""

    name = models.CharField(_("规则名称"), max_length=64)
    fraud_type = models.CharField(_("诈骗类型"), max_length=8, blank=True, help_text=_("空：不限"))
    min_amount = MoneyField(_("涉及金额不低于(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    profile = models.CharField(_("人员特征"), max_length=16, choices=VictimProfile.choices, blank=True, default="")
    grade = models.CharField(_("等级"), max_length=16, choices=Grade.choices)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("预警定级规则")
        verbose_name_plural = _("预警定级规则")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Where leads of a place go (data): the nearest rule up the victim's region wins. A place without
    a rule goes to the police station whose unit sits in the victim's township."""

    region = models.OneToOneField("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT,
                                  related_name="+")
    org = models.ForeignKey("core.OrgUnit", verbose_name=_("承办派出所"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("预警分派规则")
        verbose_name_plural = _("预警分派规则")
        ordering = ["region_id"]

    def __str__(self) -> str:
        return f"{self.region_id} → {self.org}"
