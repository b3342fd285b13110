"""Forms of a case domain's pages: the base of its report form (the place picker) and the fields of a
report made on a phone (photos, position, when it was recorded there). They only parse input; the rules
live in the domain's actions, whose errors come back onto the named field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.attachments.forms import MultipleFileField
from anmin.core.attachments.photos import max_photos
from anmin.core.attachments.photos import max_side as photo_max_side
from anmin.core.formkit import KitForm, name_the_field
from anmin.core.forms import preselect_single
from anmin.core.models import Region
from anmin.core.offline import MAX_ACCURACY


class CaseReportForm(KitForm):
    """Base of a domain's report form (``CaseReportView`` passes ``user``). The subclass declares
    ``region = RegionChoiceField(label=…)`` and its own fields; the place offers where the user may
    report (``Region.objects.reportable_by``, one place preselected) and every error names its field."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = Region.objects.reportable_by(user)
        preselect_single(self.fields["region"])  # a grid worker with one grid: preselected
        name_the_field(self)


class PhoneReportForm(CaseReportForm):
    """A report made on a phone (docs/offline.md): photos, the position, and — filled by the page's
    script — when the worker recorded it there and how precise the position was. ``field_order`` places
    these among the domain's own fields."""

    photos = MultipleFileField(label=_("现场照片"), required=False, scale_to=photo_max_side())
    latitude = forms.CharField(label=_("纬度"), max_length=16, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    longitude = forms.CharField(label=_("经度"), max_length=16, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    # Filled by the page's script: when the worker recorded it on the phone (offline.js), the GPS
    # position's accuracy (the form kit's location picker; cleared when the place is typed or tapped).
    recorded_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    gps_accuracy = forms.IntegerField(required=False, min_value=0, max_value=MAX_ACCURACY, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.location_region = self.user.scope.region_code  # the map picker starts on the worker's area
        self.fields["photos"].help_text = (_("可选，最多 %(n)d 张；上传后自动去除拍摄时间、位置等信息")
                                           % {"n": max_photos()})
