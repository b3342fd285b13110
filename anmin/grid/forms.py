"""Forms of the grid pages. They only parse input; the rules live in ``actions.py``, whose errors come
back onto the named field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.formkit import PhoneField
from anmin.core.forms import RegionChoiceField
from anmin.workflow.kit.forms import PhoneReportForm
from anmin.workflow.models import Priority

from .categories import CATEGORIES
from .models import EventSource


class EventReportForm(PhoneReportForm):
    """上报网格事件 — short enough for a phone: where, what, a description and photos."""

    region = RegionChoiceField(label=_("所在网格"))
    category = forms.ChoiceField(label=_("事件类别"))
    description = forms.CharField(label=_("情况描述"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("发生了什么、涉及哪些人和物、现场情况"))
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False,
                              help_text=_("如：古城村三组东头水塘边"))
    priority = forms.ChoiceField(label=_("紧急程度"), choices=Priority.choices, initial=Priority.NORMAL)
    source = forms.ChoiceField(label=_("来源"), choices=EventSource.choices, initial=EventSource.PATROL)
    title = forms.CharField(label=_("事件标题"), max_length=200, required=False,
                            help_text=_("可不填，按类别和描述自动生成"))
    resident_name = forms.CharField(label=_("反映群众姓名"), max_length=64, required=False,
                                    help_text=_("代群众上报时填写"))
    resident_phone = PhoneField(label=_("反映群众联系电话"), required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel"}),
                                     help_text=_("加密保存，页面上只显示部分号码"))

    field_order = ("region", "category", "description", "photos", "address", "latitude", "longitude", "recorded_at",
                   "gps_accuracy", "priority", "source", "title", "resident_name", "resident_phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "——"), *CATEGORIES.choices()]
