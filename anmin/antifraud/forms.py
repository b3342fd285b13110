"""Forms of the anti-fraud pages (phone width). They only parse input; the rules are in ``actions``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.codes import code_choices
from anmin.core.formkit import IdNumberField, KitForm, PhoneField, unchosen
from anmin.core.forms import RegionChoiceField
from anmin.workflow.kit.forms import CaseReportForm

from .models import CardKind, ContactMethod, ContactResult, Grade, LeadOutcome, LeadSource, SuspectStatus
from .normalize import NORMALIZERS


class LeadReportForm(CaseReportForm):
    """登记预警线索 by hand: who, where, what kind; the grade comes from the rules unless set."""

    region = RegionChoiceField(label=_("受害人所在区划"))
    victim_name = forms.CharField(label=_("潜在受害人姓名"), max_length=64)
    victim_phone = PhoneField(label=_("联系电话"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    victim_id_number = IdNumberField(label=_("身份证号码"), required=False)
    fraud_type = forms.ChoiceField(label=_("诈骗类型"))
    source = forms.ChoiceField(label=_("线索来源"), choices=LeadSource.choices, initial=LeadSource.OWN)
    amount_at_risk = forms.DecimalField(label=_("涉及金额(元)"), min_value=0, decimal_places=2, required=False)
    suspect_number = forms.CharField(label=_("涉诈电话"), max_length=32, required=False)
    suspect_account = forms.CharField(label=_("涉诈账户"), max_length=40, required=False)
    suspect_url = forms.CharField(label=_("涉诈网址"), max_length=300, required=False)
    grade = forms.ChoiceField(label=_("预警等级"), choices=[("", _("按规则研判")), *Grade.choices], required=False)
    grade_reason = forms.CharField(label=_("调整等级理由"), max_length=200, required=False)
    description = forms.CharField(label=_("线索内容"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    sections = ((_("涉诈号码、账户、网址与预警等级"),
                 ("suspect_number", "suspect_account", "suspect_url", "grade", "grade_reason"), "folded"),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fraud_type"].choices = [("", "——"), *code_choices("fraud_type")]


class ContactForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("联系方式"), choices=ContactMethod.choices)
    # No result chosen for the user: an untouched form would record 已联系上 (and stop the contact clock).
    result = forms.ChoiceField(label=_("联系结果"), choices=unchosen(ContactResult.choices))
    note = forms.CharField(label=_("情况"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("四查看、三询问、一保护：看通话短信、聊天记录、涉诈App、转账记录"))


class ConcludeForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # As above: an untouched form would record 劝阻成功.
    outcome = forms.ChoiceField(label=_("处置结果"), choices=unchosen(LeadOutcome.choices[1:]))
    amount_protected = forms.DecimalField(label=_("避免损失(元)"), min_value=0, decimal_places=2, required=False)
    amount_lost = forms.DecimalField(label=_("被骗金额(元)"), min_value=0, decimal_places=2, required=False,
                                     help_text=_("已被骗时填写，同时登记电诈案件"))
    police_case_number = forms.CharField(label=_("警情/案件编号"), max_length=40, required=False)
    note = forms.CharField(label=_("处置情况"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RevisitForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("回访情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class GradeForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    grade = forms.ChoiceField(label=_("预警等级"), choices=Grade.choices)
    reason = forms.CharField(label=_("调整理由"), max_length=200)


class PublicCheckForm(KitForm):
    kind = forms.ChoiceField(label=_("查询类型"), choices=[(k, k) for k in NORMALIZERS])
    value = forms.CharField(label=_("号码/账户/网址"), max_length=300)


# -- the fraud case's own forms (a suspect caught later, a card found or frozen later, sums) ------------
_DATE = forms.DateInput(attrs={"type": "date"})


class SuspectForm(KitForm):
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = IdNumberField(label=_("身份证号码"), required=False)
    caught_on = forms.DateField(label=_("到案日期"), required=False, widget=_DATE)


class SuspectStatusForm(KitForm):
    status = forms.ChoiceField(label=_("诉讼阶段"), choices=SuspectStatus.choices)
    on = forms.DateField(label=_("日期"), widget=_DATE)


class CardForm(KitForm):
    kind = forms.ChoiceField(label=_("类型"), choices=CardKind.choices)
    number = forms.CharField(label=_("卡号/号码"), max_length=40)
    bank = forms.CharField(label=_("开户行/运营商"), max_length=64, required=False)
    frozen_on = forms.DateField(label=_("冻结日期"), required=False, widget=_DATE, help_text=_("已冻结时填写"))
    amount_frozen = forms.DecimalField(label=_("冻结金额(元)"), min_value=0, max_digits=14, decimal_places=2,
                                       required=False)


class FreezeForm(KitForm):
    frozen_on = forms.DateField(label=_("冻结日期"), widget=_DATE)
    amount_frozen = forms.DecimalField(label=_("冻结金额(元)"), min_value=0, max_digits=14, decimal_places=2,
                                       required=False)


class FraudCaseUpdateForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    police_case_number = forms.CharField(label=_("警情/案件编号"), max_length=40, required=False,
                                         help_text=_("立案后把“待立案-…”改为正式的案件编号"))
    solved_on = forms.DateField(label=_("破案日期"), required=False, widget=_DATE)
    amount_frozen = forms.DecimalField(label=_("冻结资金(元)"), min_value=0, max_digits=14, decimal_places=2,
                                       required=False)
    amount_returned = forms.DecimalField(label=_("返还受害人(元)"), min_value=0, max_digits=14, decimal_places=2,
                                         required=False)


class FraudCaseRegisterForm(CaseReportForm):
    """登记电诈案件 as the station files it: the case, its first victim and (if known) a suspect; more
    suspects and the cards are added on the case's page."""

    police_case_number = forms.CharField(label=_("警情/案件编号"), max_length=40)
    fraud_type = forms.ChoiceField(label=_("诈骗类型"))
    title = forms.CharField(label=_("简要案情"), max_length=200)
    region = RegionChoiceField(label=_("发案地"))
    filed_on = forms.DateField(label=_("立案日期"), widget=_DATE)
    victim_name = forms.CharField(label=_("受害人姓名"), max_length=64)
    victim_id_number = IdNumberField(label=_("受害人身份证号码"), required=False)
    victim_phone = PhoneField(label=_("受害人联系电话"), required=False,
                              widget=forms.TextInput(attrs={"inputmode": "tel"}))
    loss = forms.DecimalField(label=_("损失金额(元)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    amount_involved = forms.DecimalField(label=_("涉案金额(元)"), min_value=0, max_digits=14, decimal_places=2,
                                         required=False, help_text=_("不填为受害人损失金额"))
    suspect_name = forms.CharField(label=_("犯罪嫌疑人姓名"), max_length=64, required=False)
    suspect_id_number = IdNumberField(label=_("犯罪嫌疑人身份证号码"), required=False)

    sections = ((_("犯罪嫌疑人（已知时填写）"), ("suspect_name", "suspect_id_number"), "folded"),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fraud_type"].choices = [("", "——"), *code_choices("fraud_type")]

    def clean(self):
        data = super().clean()
        if data.get("suspect_id_number") and not data.get("suspect_name"):
            self.add_error("suspect_name", _("填写了犯罪嫌疑人身份证号码，请同时填写姓名"))
        return data
