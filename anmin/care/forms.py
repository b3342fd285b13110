"""Forms of the care pages. They only parse input; every write goes through ``care.actions``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.formkit import KitForm
from anmin.people.forms import DATE, DATETIME
from anmin.people.models.choices import (
    Condition,
    IncidentSeverity,
    Medication,
    TeamRole,
    TreatmentStatus,
    VisitMethod,
    VisitOutcome,
)
from anmin.people.models.special import RISK_LEVELS

from . import rules
from .models import MentalPatient


class VisitForm(KitForm):
    """走访/随访 at phone width: when, how, what was found, when to come back."""

    visited_at = forms.DateTimeField(
        label=_("走访时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    method = forms.ChoiceField(label=_("方式"), choices=VisitMethod.choices, initial=VisitMethod.IN_PERSON)
    outcome = forms.ChoiceField(label=_("走访结果"), choices=VisitOutcome.choices, initial=VisitOutcome.SEEN)
    risk_level = forms.TypedChoiceField(
        label=_("危险性等级（本次评估）"),
        choices=[("", _("未评估")), *RISK_LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("与当前等级不同时，须乡镇综治中心审批"),
    )
    condition = forms.ChoiceField(label=_("病情"), choices=[("", "—"), *Condition.choices], required=False)
    improved = forms.BooleanField(label=_("较上次好转"), required=False)
    medication = forms.ChoiceField(label=_("服药情况"), choices=[("", "—"), *Medication.choices], required=False)
    observations = forms.CharField(
        label=_("风险与情况观察"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_on = forms.DateField(
        label=_("下次走访/随访日期"), required=False, widget=DATE, help_text=_("留空则按随访规则自动确定")
    )

    def __init__(self, *args, patient: MentalPatient | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if patient is None:
            for name in ("risk_level", "condition", "improved", "medication"):
                del self.fields[name]
        # The business clock's moment, not the real one: on a world standing on 2020-12-10 09:00 the real
        # time of day (say 15:30) made the default later than "now" and the form refused its own value.
        now = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
        day = rules.today()  # the platform's date (a process may be frozen on one day: ANMIN_TODAY)
        self.fields["visited_at"].initial = now.replace(year=day.year, month=day.month, day=day.day)


class PatientForm(KitForm):
    """登记严重精神障碍患者."""

    risk_level = forms.TypedChoiceField(label=_("危险性评估等级"), choices=RISK_LEVELS, coerce=int)
    registered_on = forms.DateField(label=_("建档日期"), widget=DATE, required=False)
    diagnosis = forms.CharField(label=_("诊断"), required=False, max_length=200)
    guardian_name = forms.CharField(label=_("监护人姓名"), required=False, max_length=64)
    guardian_relation = forms.CharField(label=_("与患者关系"), required=False, max_length=16)
    guardian_phone = forms.CharField(label=_("监护人联系电话"), required=False, max_length=32)
    has_incident_history = forms.BooleanField(label=_("有肇事肇祸史"), required=False)
    treatment = forms.ChoiceField(label=_("治疗情况"), choices=[("", "—"), *TreatmentStatus.choices], required=False)
    hospital = forms.CharField(label=_("治疗医院"), required=False, max_length=128)


class AssessForm(KitForm):
    level = forms.TypedChoiceField(label=_("评估等级"), choices=RISK_LEVELS, coerce=int)
    assessed_on = forms.DateField(label=_("评估日期"), widget=DATE)
    note = forms.CharField(label=_("评估说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=200, help_text=_("驳回时必填"))


class TeamMemberForm(KitForm):
    role = forms.ChoiceField(label=_("成员类型"), choices=TeamRole.choices)
    name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=32)
    org_name = forms.CharField(label=_("单位"), required=False, max_length=128)
    account = forms.CharField(label=_("平台账号"), required=False, max_length=150,
                              help_text=_("成员的登录用户名（如有）；关联后该成员可查看患者的诊断和随访记录"))


class NotesRevealForm(KitForm):
    reason = forms.CharField(label=_("查看事由"), max_length=200,
                             help_text=_("写明为何需要查看诊断和随访记录；查看记入审计日志"))


class IncidentForm(KitForm):
    occurred_at = forms.DateTimeField(
        label=_("发生时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    severity = forms.ChoiceField(label=_("性质"), choices=IncidentSeverity.choices)
    place = forms.CharField(label=_("发生地点"), required=False, max_length=200)
    casualties = forms.IntegerField(label=_("伤亡人数"), min_value=0, initial=0)
    description = forms.CharField(label=_("经过"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(label=_("处置情况"), required=False, max_length=200)


class EnrollForm(KitForm):
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=64)
    guardian_relation = forms.CharField(label=_("与患者关系"), required=False, max_length=16)
    guardian_phone = forms.CharField(label=_("监护人联系电话"), required=False, max_length=32)
    enrolled_on = forms.DateField(label=_("纳入日期"), widget=DATE)
    annual_amount = forms.DecimalField(
        label=_("年度补助标准(元)"), required=False, min_value=0, help_text=_("留空则按规则的标准")
    )


class CheckForm(KitForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)], coerce=int)
    checked_on = forms.DateField(label=_("检查日期"), widget=DATE)
    passed = forms.BooleanField(label=_("看护记录合格"), required=False, initial=True)
    note = forms.CharField(label=_("检查情况"), required=False, max_length=200)


class AwardForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("核定金额(元)"), required=False, min_value=0)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=200, help_text=_("不予发放时必填"))


class PaymentForm(KitForm):
    award = forms.TypedChoiceField(label=_("年度"), coerce=int)
    amount = forms.DecimalField(label=_("发放金额(元)"), min_value=0)
    paid_on = forms.DateField(label=_("发放日期"), widget=DATE)
    voucher_no = forms.CharField(label=_("凭证号"), required=False, max_length=64)

    def __init__(self, *args, awards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [(a.pk, f"{a.year}年度（核定{a.amount}元）") for a in awards]
