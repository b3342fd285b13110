"""Forms of the grid pages. They only parse input; the rules live in ``actions.py``, whose errors come
back onto the named field."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core.forms import QuickSelect
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel
from anmin.workflow.forms import name_the_field
from anmin.workflow.models import Priority

from .categories import category_choices
from .models import EventSource
from .photos import max_photos


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files under one name; the content checks are ``photos.clean_photo``'s."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                              "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def report_regions(user):
    """Where the user may report: a grid worker their own grids, a centre the grids and villages of
    its jurisdiction (finest level first in each village)."""
    prefixes = user.scope.prefixes
    if not prefixes:
        return Region.objects.none()
    qs = Region.objects.filter(level__gte=RegionLevel.VILLAGE)
    q = Q()
    for prefix in prefixes:
        q |= Q(code__startswith=prefix)
    return qs.filter(q).select_related("parent__parent").order_by("code")


class RegionChoiceField(forms.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, obj):
        return obj.full_name


class EventReportForm(forms.Form):
    """上报网格事件 — short enough for a phone: where, what, a description and photos."""

    region = RegionChoiceField(label=_("所在网格"), queryset=Region.objects.none(), empty_label="——")
    category = forms.ChoiceField(label=_("事件类别"))
    description = forms.CharField(label=_("情况描述"), widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("发生了什么、涉及哪些人和物、现场情况"))
    photos = MultiplePhotoField(label=_("现场照片"), required=False)
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False,
                              help_text=_("如：古城村三组东头水塘边"))
    latitude = forms.CharField(label=_("纬度"), max_length=16, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    longitude = forms.CharField(label=_("经度"), max_length=16, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
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
        regions = report_regions(user)
        self.fields["region"].queryset = regions
        grids = [r for r in regions[:2] if r.level == RegionLevel.GRID]
        if len(grids) == 1 and regions.count() == 1:
            self.fields["region"].initial = grids[0].pk  # a grid worker with one grid: preselected
        self.fields["category"].choices = [("", "——"), *category_choices()]
        self.fields["photos"].help_text = (_("可选，最多 %(n)d 张；上传后自动去除拍摄时间、位置等信息")
                                           % {"n": max_photos()})
        name_the_field(self)
