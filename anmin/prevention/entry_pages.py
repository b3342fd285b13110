"""One record entered on a page (the kit's ``action_create``): a village police officer's or legal
adviser's day of work (驻村工作记录, often from a phone at the village), and a station's figures for a
month (警务活动月报, the ledger's import stays for a year's sheet)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.formkit import KitForm, unchosen
from anmin.core.forms import RegionChoiceField, preselect_single
from anmin.core.models import Region
from anmin.workflow.kit.record_create import action_create

from . import actions
from .models import ActivityKind, Liaison, LiaisonActivity, PoliceActivity

_DATE = forms.DateInput(attrs={"type": "date"})
_COUNT = {"min_value": 0, "max_value": 10_000_000, "initial": 0}


class ActivityForm(KitForm):
    liaison = forms.ModelChoiceField(label=_("驻村民警/法律顾问"), queryset=Liaison.objects.none())
    kind = forms.ChoiceField(label=_("活动类型"), choices=unchosen(ActivityKind.choices))
    on = forms.DateField(label=_("日期"), widget=_DATE, initial=clock.today)
    people = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=100_000, initial=1)
    note = forms.CharField(label=_("情况"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["liaison"].queryset = Liaison.objects.visible_to(user).active().order_by("region_id", "name")
        preselect_single(self.fields["liaison"])


class PoliceMonthForm(KitForm):
    region = RegionChoiceField(label=_("辖区"))
    station = forms.CharField(label=_("派出所"), max_length=64)
    month = forms.DateField(label=_("月份"), input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            help_text=_("如 2020-11"))
    visits = forms.IntegerField(label=_("走访群众(人)"), **_COUNT)
    disputes_resolved = forms.IntegerField(label=_("化解矛盾纠纷(起)"), **_COUNT)
    suspects_caught = forms.IntegerField(label=_("抓获违法犯罪嫌疑人(人)"), **_COUNT)
    people_served = forms.IntegerField(label=_("服务群众(人次)"), **_COUNT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.reportable_by(user, min_level=2).filter(level=2)
        preselect_single(self.fields["region"])
        org = user.org_unit_with_region
        if org is not None and not self.is_bound:
            self.fields["station"].initial = org.name


ActivityCreate = action_create(
    ActivityForm, actions.record_liaison_activity, title=_("登记驻村工作"), model=LiaisonActivity,
    perm="prevention.add_liaisonactivity", ledger_url_name="prevention:activity_list", done=_("已登记驻村工作"))

PoliceMonthCreate = action_create(
    PoliceMonthForm, actions.report_police_month, title=_("填报警务活动月报"), model=PoliceActivity,
    perm="prevention.add_policeactivity", ledger_url_name="prevention:police_list", done=_("已填报警务活动月报"))
