"""Forms of the grid pages. They only parse input; the rules live in ``actions.py``, whose errors come
back onto the named field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.attachments.forms import MultipleFileField
from anmin.core.attachments.photos import max_photos
from anmin.core.formkit import KitForm
from anmin.core.forms import RegionChoiceField, preselect_single
from anmin.core.models import Region
from anmin.workflow.forms import name_the_field
from anmin.workflow.models import Priority

from .categories import category_choices
from .models import EventSource


class EventReportForm(KitForm):
    """上报网格事件 — short enough for a phone: where, what, a description and photos."""

    region = RegionChoiceField(label=_("所在网格"))
    category = forms.ChoiceField(label=_("事件类别"))
    description = forms.CharField(label=_("情况描述"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("发生了什么、涉及哪些人和物、现场情况"))
    photos = MultipleFileField(label=_("现场照片"), required=False)
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False,
                              help_text=_("如：古城村三组东头水塘边"))
    latitude = forms.CharField(label=_("纬度"), max_length=16, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    longitude = forms.CharField(label=_("经度"), max_length=16, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    # Filled by the page's script: when the worker recorded it on the phone (offline.js), the GPS
    # position's accuracy (the form kit's location picker; cleared when the place is typed or tapped).
    recorded_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    gps_accuracy = forms.IntegerField(required=False, min_value=0, max_value=100_000, widget=forms.HiddenInput)
    priority = forms.ChoiceField(label=_("紧急程度"), choices=Priority.choices, initial=Priority.NORMAL)
    source = forms.ChoiceField(label=_("来源"), choices=EventSource.choices, initial=EventSource.PATROL)
    title = forms.CharField(label=_("事件标题"), max_length=200, required=False,
                            help_text=_("可不填，按类别和描述自动生成"))
    resident_name = forms.CharField(label=_("反映群众姓名"), max_length=64, required=False,
                                    help_text=_("代群众上报时填写"))
    resident_phone = forms.CharField(label=_("反映群众联系电话"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel"}),
                                     help_text=_("加密保存，页面上只显示部分号码"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.reportable_by(user)
        self.location_region = user.scope.region_code  # the map picker starts on the worker's area
        preselect_single(self.fields["region"])  # a grid worker with one grid: preselected
        self.fields["category"].choices = [("", "——"), *category_choices()]
        self.fields["photos"].help_text = (_("可选，最多 %(n)d 张；上传后自动去除拍摄时间、位置等信息")
                                           % {"n": max_photos()})
        name_the_field(self)
