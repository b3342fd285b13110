"""The 生成报告 form (the form kit): what report, of which year or period. The rules (a four-digit
year, a period of the report's shape, the two agreeing, nothing still to come) are the action's
(``actions.request_report``), whose errors come back under the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.formkit import KitForm

from .models import ReportKind


class ReportForm(KitForm):
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    year = forms.CharField(label=_("年度"), max_length=8, required=False,
                           help_text=_("四位数字的年份；月度、季度通报可不填，以期间为准"))
    period = forms.CharField(label=_("期间"), max_length=8, required=False,
                             help_text=_("月度通报如 2020-11，季度通报如 2020-Q4；年度工作总结不填"))
    pdf = forms.BooleanField(label=_("同时生成 PDF"), required=False, initial=True)
