"""Forms of the disputes pages. They only parse and validate input; actions do the writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.codes import code_names
from anmin.core.formkit import CodeChoiceField, IdNumberField, KitForm, PastDateField, PhoneField, unchosen
from anmin.core.forms import DateInput, RegionChoiceField, preselect_single
from anmin.core.models import Region

from .actions import outcome_content_errors
from .models import (
    DisputeSource,
    FailedPath,
    MediationMethod,
    Mediator,
    Outcome,
    PartyRole,
    RiskColour,
    RiskFlag,
    Satisfaction,
)

DATE = DateInput()


class DisputeReportForm(KitForm):
    """上报矛盾纠纷 — short enough for a grid worker's phone: two parties, the essentials."""

    title = forms.CharField(label=_("纠纷名称"), max_length=200, help_text=_("如：张某与李某宅基地边界纠纷"))
    region = RegionChoiceField(label=_("发生地(网格/村)"))
    category = CodeChoiceField(label=_("纠纷类别"), table="dispute_category")
    scale = forms.ChoiceField(label=_("事件规模"), initial="01")
    source = forms.ChoiceField(label=_("来源"), choices=DisputeSource.choices, initial=DisputeSource.SWEEP)
    found_on = PastDateField(label=_("排查/登记日期"), widget=DATE)
    address = forms.CharField(label=_("发生地点"), max_length=200, required=False)
    description = forms.CharField(label=_("纠纷情况"), widget=forms.Textarea(attrs={"rows": 4}))
    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=64)
    applicant_id_number = IdNumberField(label=_("申请人身份证号"), required=False)
    applicant_phone = PhoneField(label=_("申请人电话"), required=False)
    respondent_name = forms.CharField(label=_("被申请人姓名"), max_length=64)
    respondent_id_number = IdNumberField(label=_("被申请人身份证号"), required=False)
    respondent_phone = PhoneField(label=_("被申请人电话"), required=False)
    people_involved = forms.IntegerField(label=_("涉及人数"), min_value=1, required=False)
    amount = forms.DecimalField(label=_("涉及金额(元)"), min_value=0, required=False, decimal_places=2)
    assessed_colour = forms.ChoiceField(label=_("研判风险等级"), choices=RiskColour.choices, initial=RiskColour.BLUE)
    risk_flags = forms.MultipleChoiceField(label=_("风险因素"), required=False, widget=forms.CheckboxSelectMultiple)

    sections = (
        (_("当事人"), ("applicant_name", "applicant_phone", "respondent_name", "respondent_phone")),
        (_("风险研判"), ("assessed_colour", "risk_flags")),
        (_("更多信息（来源、规模、地点、身份证号、人数与金额）"),
         ("source", "scale", "address", "applicant_id_number", "respondent_id_number", "people_involved",
          "amount"), "folded"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.reportable_by(user)
        preselect_single(self.fields["region"])
        self.fields["scale"].choices = list(code_names("event_scale").items())
        self.fields["risk_flags"].choices = list(RiskFlag.objects.filter(is_active=True).values_list("code", "name"))
        self.fields["found_on"].initial = clock.today()

    @staticmethod
    def parties(d: dict) -> list[dict]:
        """The two parties of the form's cleaned data, as ``report_dispute`` takes them."""
        return [
            {
                "role": PartyRole.APPLICANT,
                "name": d["applicant_name"],
                "id_number": d["applicant_id_number"],
                "phone": d["applicant_phone"],
            },
            {
                "role": PartyRole.RESPONDENT,
                "name": d["respondent_name"],
                "id_number": d["respondent_id_number"],
                "phone": d["respondent_phone"],
            },
        ]


class SessionForm(KitForm):
    held_on = forms.DateField(label=_("调解日期"), widget=DATE)
    method = forms.ChoiceField(label=_("调解方式"), choices=MediationMethod.choices)
    mediators = forms.ModelMultipleChoiceField(
        label=_("调解员"), queryset=Mediator.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    record = forms.CharField(label=_("调解记录"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, dispute=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Mediator.objects.visible_to(user).active().select_related("org")
        if dispute is not None and dispute.mediation_org_id:
            qs = qs.filter(org_id=dispute.mediation_org_id) | qs.filter(user=user)
        self.fields["mediators"].queryset = qs.distinct().order_by("org_id", "name")
        self.fields["held_on"].initial = clock.today()


class OutcomeForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # No outcome or satisfaction is chosen for the user: the first option (调解成功, 满意) used to stand
    # selected, and a form sent without a look counted as a success or a satisfied party.
    outcome = forms.ChoiceField(label=_("调解结果"), choices=unchosen(Outcome.choices[1:]))
    concluded_on = forms.DateField(label=_("调结日期"), widget=DATE)
    agreement = forms.CharField(label=_("调解协议内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    agreement_amount = forms.DecimalField(label=_("协议金额(元)"), min_value=0, required=False, decimal_places=2)
    judicial_confirmation = forms.BooleanField(label=_("已申请并获司法确认"), required=False)
    confirmed_on = forms.DateField(label=_("司法确认日期"), widget=DATE, required=False)
    failed_path = forms.ChoiceField(label=_("调解不成去向"), choices=FailedPath.choices, required=False)
    withdrawn_reason = forms.CharField(label=_("撤回原因"), max_length=200, required=False)

    sections = (
        (_("调解成功时填写"), ("agreement", "agreement_amount", "judicial_confirmation", "confirmed_on")),
        (_("调解不成时填写"), ("failed_path",)),
        (_("撤回时填写"), ("withdrawn_reason",)),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome"):
            # The outcome's own rules (the action's), told with the fields' errors in the same submit.
            for field, message in outcome_content_errors(
                    outcome=data["outcome"], concluded_on=data.get("concluded_on"), agreement=data.get("agreement", ""),
                    judicial_confirmation=data.get("judicial_confirmation", False),
                    confirmed_on=data.get("confirmed_on"), failed_path=data.get("failed_path", ""),
                    withdrawn_reason=data.get("withdrawn_reason", "")).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data


class CriminalLinkForm(KitForm):
    criminal_case_number = forms.CharField(label=_("刑事案件编号"), max_length=64)
    criminal_on = forms.DateField(label=_("立案日期"), widget=DATE)
    reason = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowupForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=unchosen(Satisfaction.choices[1:]))
    reason = forms.CharField(label=_("回访情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           required=False)


class RiskForm(KitForm):
    """风险研判 again while the dispute is handled: the level judged and the factors seen; the colour shown
    is the higher of the two (a factor raises it), with the reason on the timeline."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    assessed_colour = forms.ChoiceField(label=_("研判风险等级"), choices=RiskColour.choices)
    risk_flags = forms.MultipleChoiceField(label=_("风险因素"), required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("研判说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("如：双方经调解情绪平稳；一方扬言报复"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_flags"].choices = list(RiskFlag.objects.filter(is_active=True).values_list("code", "name"))
