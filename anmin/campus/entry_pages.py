"""The 五个100% check of one school for one term, entered on a page (the kit's ``action_create``): the
items met ticked, and — opened for a school and term already checked — the same form with what was
recorded, changed with the version it was opened on (``actions.record_check``: a stale form is told)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.formkit import KitForm
from anmin.core.forms import preselect_single
from anmin.workflow.kit.record_create import action_create

from . import actions
from .coverage import five_items, term_label
from .models import SafetyCheck, School


def _terms() -> list[tuple[str, str]]:
    """This term and the three before it, newest first (2020-2 is 2020年秋季学期)."""
    today = clock.today()
    year, half = today.year, 2 if today.month >= 9 else 1
    out = []
    for _i in range(4):
        term = f"{year}-{half}"
        out.append((term, term_label(term)))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return out


class CheckForm(KitForm):
    school = forms.ModelChoiceField(label=_("学校(幼儿园)"), queryset=School.objects.none())
    term = forms.ChoiceField(label=_("学期"))
    items = forms.MultipleChoiceField(label=_("达标项目"), required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text=_("勾选已达标的项目；未勾选的即为缺项"))
    checked_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                 initial=clock.today)
    checked_by = forms.CharField(label=_("检查人"), max_length=64, required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user).active().order_by("region_id", "name")
        self.fields["term"].choices = _terms()
        self.fields["items"].choices = list(five_items())
        preselect_single(self.fields["school"])
        if not self.is_bound:
            school, term = self.initial.get("school"), self.initial.get("term") or _terms()[0][0]
            self.initial["term"] = term
            found = (SafetyCheck.objects.visible_to(user).filter(school_id=school, term=term).first()
                     if str(school or "").isdigit() else None)
            if found is not None:  # the check already recorded: changed, not made twice
                self.initial.update(items=found.items, checked_on=found.checked_on, checked_by=found.checked_by,
                                    note=found.note, expected_version=found.version)


CheckCreate = action_create(
    CheckForm, actions.record_check, title=_("登记五个100%检查"), model=SafetyCheck, perm="campus.add_safetycheck",
    ledger_url_name="campus:check_list", done=_("已登记五个100%检查"), from_query=("school", "term"))
