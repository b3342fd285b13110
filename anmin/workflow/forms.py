"""Forms of the case pages. They only parse input; the rules live in ``actions.py`` and its errors
come back onto the named field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anmin.core.formkit import KitForm, PersonChoiceField, name_the_field
from anmin.core.models import OrgUnit, Region, User

__all__ = ["ActionForm", "ReplyForm", "TaskForm", "name_the_field"]  # name_the_field: the kit's, re-exported
from anmin.core.models.regions import RegionLevel

from .definitions import SATISFACTION
from .models import Priority
from .rules import Action, assignable_orgs


def _shown(choices):
    return [(code, gettext(label)) for code, label in choices]


def org_queryset(user):
    return assignable_orgs(user).select_related("region").order_by("region_id", "name")


def user_queryset(user):
    orgs = assignable_orgs(user).values("pk")
    return (User.objects.filter(is_active=True, org_unit__in=orgs, roles__isnull=False)
            .exclude(roles__scope="none").select_related("org_unit").distinct().order_by("org_unit__name", "name"))


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.level >= RegionLevel.VILLAGE and obj.parent_id:
            return f"{obj.parent.name} / {obj.name}"
        return obj.name


class ActionForm(KitForm):
    """The form of one step. Which inputs it has comes from the transition's ``inputs``."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    target_org = forms.ModelChoiceField(label=_("承办单位"), queryset=OrgUnit.objects.none(), required=False)
    target_user = PersonChoiceField(label=_("承办人"), queryset=User.objects.none(), required=False,
                                    narrow_by="target_org")
    days = forms.IntegerField(label=_("延期天数"), min_value=1, required=False,
                              help_text=_("连同原期限不得超过流程规定的最长天数"))
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=lambda: [("", "—"), *_shown(SATISFACTION)],
                                     required=False)
    duplicate_of = forms.CharField(label=_("重复于（事项编号）"), max_length=32, required=False)
    to_org = forms.ModelChoiceField(label=_("被督办单位"), queryset=OrgUnit.objects.none(), required=False,
                                    help_text=_("不选则督办当前承办单位"))
    reason = forms.CharField(label=_("办理意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, action: Action, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        wanted = {"version", "reason", *action.inputs}
        if action.name == "supervise":
            wanted.add("to_org")
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if "target_org" in self.fields:
            self.fields["target_org"].queryset = org_queryset(user)
            if action.transition and action.transition.effect == "cohandle":
                self.fields["target_org"].label = _("协办单位")
                self.fields["target_org"].required = True
        if "to_org" in self.fields:
            self.fields["to_org"].queryset = org_queryset(user)
        if "target_user" in self.fields:
            self.fields["target_user"].queryset = user_queryset(user)
            self.fields["target_user"].help_text = _("可只选承办单位，由单位内部再指定承办人")
        for name in ("days", "satisfaction", "result"):
            if name in self.fields:
                self.fields[name].required = True
        self.fields["reason"].label = action.reason_label
        self.fields["reason"].required = action.reason_required
        name_the_field(self)


class TaskForm(KitForm):
    """登记交办事项 (and optionally hand it to a unit at once)."""

    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("事项内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    region = RegionChoiceField(label=_("所在区划"), queryset=Region.objects.none())
    priority = forms.ChoiceField(label=_("紧急程度"), choices=Priority.choices, initial=Priority.NORMAL)
    target_org = forms.ModelChoiceField(label=_("交办给"), queryset=OrgUnit.objects.none(), required=False,
                                        help_text=_("选定承办单位则登记后立即交办"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (Region.objects.visible_to(user)
                                          .filter(level__lte=RegionLevel.VILLAGE).select_related("parent").order_by("code"))
        self.fields["target_org"].queryset = org_queryset(user)
        name_the_field(self)


class ReplyForm(KitForm):
    reply = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("写明已采取的措施和办理进展"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_the_field(self)
