"""The form kit every app's forms use: one wording for errors, "请选择" placeholders, a sole choice
pre-selected, the ``version`` field hidden, photos from the camera, two-level category pickers in code
order, people pickers narrowed by the chosen unit, and a place picked from the phone's GPS or a tap on
the map (a ``latitude``/``longitude`` pair).

A form gets it by subclassing ``KitForm`` / ``KitModelForm`` (or ``KitFormMixin``): the kit is applied
once, after the form's own ``__init__`` has set its querysets and choices, the first time the form is
validated or drawn. ``polish(form)`` applies it to any form (filter forms get ``filter_polish``).
The pickers' type-to-filter, unit narrowing and the location picker are enhancements in
``static/anmin/forms.js``; without JavaScript the grouped ``<select>`` and the plain coordinate inputs
work as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import DateInput, QuickSelect, option_source

REQUIRED = _("「%(label)s」为必填项")
#: The error of a hidden value the page carries for itself (a version, a record's key) when it comes back
#: wrong: the user cannot correct it, only reopen the page.
STALE_PAGE = _("页面数据已过期或不完整，请重新打开本页后再提交")
#: A refused form comes back without the files that were chosen (a browser never refills a file input).
CHOOSE_FILES_AGAIN = _("所选的「%(label)s」没有保存，改正后请重新选择")
CHOOSE = _("请选择")
ALL = _("全部")
FILTER_HINT = _("输入名称筛选")
#: Labels Django and older forms give the empty choice; the kit replaces them.
BLANK_LABELS = {"---------", "——", "—", "--", "-", ""}
#: A select with more options than this gets the type-to-filter box.
FILTER_FROM = 12


def name_the_field(form: forms.BaseForm) -> None:
    """Errors say which field and which rule, in one wording: 「办理结果」为必填项."""
    for name, field in form.fields.items():
        label = field.label or ""
        if not label and (field.widget.is_hidden or name == "version"):
            # A value the page carries for itself (a version, a key): the user never saw it and cannot
            # correct it — "「」须为整数" named nothing. Wrong or missing, the page is stale.
            for key in ("required", "invalid", "invalid_choice", "invalid_list", "invalid_pk_value",
                        "max_value", "min_value", "max_length", "null_characters_not_allowed"):
                field.error_messages[key] = STALE_PAGE
            field.validators = [_stale_validator(v) for v in field.validators]
            continue
        field.error_messages["required"] = REQUIRED % {"label": label}
        if "invalid_choice" in field.error_messages:
            field.error_messages["invalid_choice"] = _("「%(label)s」的选项无效") % {"label": label}
        if "invalid_list" in field.error_messages:
            field.error_messages["invalid_list"] = _("「%(label)s」的选项无效") % {"label": label}
        # DecimalField and FloatField are IntegerFields to Django: asked first (a sum of money is a number).
        if isinstance(field, forms.DecimalField | forms.FloatField):
            field.error_messages["invalid"] = _("「%(label)s」须为数字") % {"label": label}
        elif isinstance(field, forms.IntegerField):
            field.error_messages["invalid"] = _("「%(label)s」须为整数") % {"label": label}
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.error_messages["invalid"] = _("「%(label)s」的日期格式不正确") % {"label": label}
        _name_length_limits(field, label)


def _stale_validator(v):
    """A copy of a built-in limit validator whose message is ``STALE_PAGE`` (others as they are)."""
    if type(v) in (validators.MinValueValidator, validators.MaxValueValidator, validators.MaxLengthValidator,
                   validators.MinLengthValidator):
        return type(v)(v.limit_value, message=STALE_PAGE)
    if type(v) is validators.ProhibitNullCharactersValidator:
        return validators.ProhibitNullCharactersValidator(message=STALE_PAGE)
    return v


def _name_length_limits(field: forms.Field, label) -> None:
    """A text's length limits and a number's bounds and digits in the same wording (Django's own say
    "该变量" or "确保该值大于或等于0。", not the field)."""
    named = []
    for v in field.validators:
        if type(v) is validators.MinValueValidator:
            v = validators.MinValueValidator(v.limit_value, message=_("「%(label)s」不能小于%(limit)s") % {
                "label": label, "limit": v.limit_value})
        elif type(v) is validators.MaxValueValidator:
            v = validators.MaxValueValidator(v.limit_value, message=_("「%(label)s」不能大于%(limit)s") % {
                "label": label, "limit": v.limit_value})
        elif type(v) is validators.DecimalValidator:
            v = validators.DecimalValidator(v.max_digits, v.decimal_places)
            v.messages = {
                "invalid": _("「%(label)s」须为数字") % {"label": label},
                "max_digits": _("「%(label)s」最多%(max)s位数字") % {"label": label, "max": "%(max)s"},
                "max_decimal_places": _("「%(label)s」最多保留%(max)s位小数") % {"label": label, "max": "%(max)s"},
                "max_whole_digits": _("「%(label)s」整数部分最多%(max)s位") % {"label": label, "max": "%(max)s"},
            }
        elif type(v) is validators.MaxLengthValidator:
            v = validators.MaxLengthValidator(v.limit_value, message=_(
                "「%(label)s」最多%(limit)s个字（现有%(count)s个）") % {
                    "label": label, "limit": v.limit_value, "count": "%(show_value)d"})
        elif type(v) is validators.ProhibitNullCharactersValidator:
            # Django's Chinese for it reads "不允许是用空字符串" — as if the field were empty
            v = validators.ProhibitNullCharactersValidator(message=_("「%(label)s」不能包含空字符") % {
                "label": label})
        elif type(v) is validators.MinLengthValidator:
            v = validators.MinLengthValidator(v.limit_value, message=_(
                "「%(label)s」至少%(limit)s个字（现有%(count)s个）") % {
                    "label": label, "limit": v.limit_value, "count": "%(show_value)d"})
        named.append(v)
    field.validators = named


def unchosen(choices) -> list:
    """``choices`` behind an empty first one (shown as 请选择 by ``polish``): nothing stands chosen for the
    user — an outcome submitted as the form opened would otherwise record its first choice."""
    return [("", "---------"), *choices]


def _blank_first(choices: list, label) -> list:
    if choices and not isinstance(choices[0][1], list | tuple) and choices[0][0] in ("", None):
        return [("", label), *choices[1:]]
    return choices


def _has_many(choices: Iterable) -> int:
    n = 0
    for key, label in option_source(choices)[1]:  # a scope's places: the cached list, not a query
        n += len(label) if isinstance(label, list | tuple) else int(key not in ("", None))
    return n


def _opens_on_first(form: forms.BaseForm, name: str, field: forms.ChoiceField, choices: list) -> bool:
    """A required drop-down without an empty choice, for which nothing is chosen: the browser shows and
    sends its first option, and a record says what nobody chose (a railway hazard filed as 危房, a
    dispute's 调解方式). It gets 请选择 first; left there, the form says the field is required. A field
    with a default (a model field's, the form's or the view's ``initial``) keeps opening on it."""
    widget = field.widget
    return (field.required and isinstance(widget, forms.Select)
            and not isinstance(widget, forms.SelectMultiple | forms.NullBooleanSelect)
            and len(choices) > 1 and choices[0][0] not in ("", None)
            and form.initial.get(name) is None and field.initial is None)


def _sole_choice(field: forms.Field):
    """The only non-empty choice of a required picker, or None."""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
        if field.queryset is None:
            return None
        options = list(field.queryset[:2])
        return options[0].pk if len(options) == 1 else None
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        keys = []
        for key, label in field.choices:
            keys += [k for k, _l in label] if isinstance(label, list | tuple) else [key]
        keys = [k for k in keys if k not in ("", None)]
        return keys[0] if len(keys) == 1 else None
    return None


def polish(form: forms.BaseForm, *, placeholder=CHOOSE, preselect: bool = True) -> None:
    """Apply the kit to ``form`` (once)."""
    if getattr(form, "_kit_polished", False):
        return
    form._kit_polished = True
    name_the_field(form)
    for name, field in form.fields.items():
        widget = field.widget
        if name == "version" and not isinstance(widget, forms.HiddenInput):
            field.widget = forms.HiddenInput()
            continue
        if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
            if field.empty_label is not None:
                field.empty_label = placeholder
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]).strip() in BLANK_LABELS:
                field.choices = _blank_first(choices, placeholder)
            elif preselect and _opens_on_first(form, name, field, choices):
                field.choices = [("", placeholder), *choices]
        if isinstance(widget, forms.NullBooleanSelect) and placeholder is ALL:
            # a filter's yes/no: its empty choice is "any", not Django's "未知"
            widget.choices = [(widget.choices[0][0], placeholder), *list(widget.choices)[1:]]
        if type(widget) is forms.DateInput and isinstance(field, forms.DateField):
            # Django's default is a text box with no hint of the format: the native picker instead
            field.widget = DateInput(attrs=widget.attrs)
        if isinstance(field, forms.FileField) and ("photo" in name or "image" in str(widget.attrs.get("accept", ""))):
            widget.attrs.setdefault("accept", "image/*")
            widget.attrs.setdefault("capture", "environment")
        if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.SelectMultiple) \
                and _has_many(getattr(field, "choices", ())) > FILTER_FROM:
            field.widget.attrs.setdefault("data-filter", str(FILTER_HINT))
        if preselect and field.required and not form.is_bound and form.initial.get(name) is None \
                and field.initial is None:
            sole = _sole_choice(field)
            if sole is not None:
                field.initial = sole
    enhance_location(form)


def filter_polish(form: forms.BaseForm) -> None:
    """A ledger's filter form: "全部" instead of "---------", no pre-selection."""
    polish(form, placeholder=ALL, preselect=False)


class KitFormMixin:
    """Applies ``polish`` once, after the subclass's ``__init__``, before validation or drawing."""

    kit_placeholder = CHOOSE
    kit_preselect = True

    def _kit(self):
        polish(self, placeholder=self.kit_placeholder, preselect=self.kit_preselect)

    def full_clean(self):
        self._kit()
        self._kit_cleaning = True
        try:
            super().full_clean()
            check_location_pair(self)
        finally:
            self._kit_cleaning = False
        files_to_choose_again(self)

    def add_error(self, field, error):
        super().add_error(field, error)
        if not getattr(self, "_kit_cleaning", False):  # an action's refusal after validation
            files_to_choose_again(self)

    def __iter__(self):
        self._kit()
        return super().__iter__()

    def __getitem__(self, name):
        self._kit()
        return super().__getitem__(name)

    def render(self, *args, **kwargs):
        self._kit()
        return super().render(*args, **kwargs)


def files_to_choose_again(form: forms.BaseForm) -> None:
    """A refused form is drawn again with what was typed, but never with the files that were chosen:
    the photo taken on site would be gone without a word and the corrected report sent without it. Each
    file field that was sent files (and has no error of its own) says so, in red, by its name."""
    if not form.is_bound or not form._errors:
        return
    for name, field in form.fields.items():
        if not isinstance(field, forms.FileField) or name in form._errors:
            continue
        sent = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if any(getattr(f, "name", "") for f in (sent if isinstance(sent, list | tuple) else [sent])):
            label = re.sub(r"\s*[（(][^）)]*[）)]\s*$", "", str(field.label or name))  # 附件（可不填）
            forms.BaseForm.add_error(form, name, CHOOSE_FILES_AGAIN % {"label": label})


class KitForm(KitFormMixin, forms.Form):
    pass


class KitModelForm(KitFormMixin, forms.ModelForm):
    pass


class KitFilterForm(KitForm):
    """A filter bar's form (GET): "全部" placeholders, nothing pre-selected."""

    kit_placeholder = ALL
    kit_preselect = False


# -- location: GPS or a tap on the map -------------------------------------------------------------------

#: The field names of a place: latitude, longitude and (optional) the GPS accuracy in metres. A form
#: whose fields are named otherwise says so with ``location_fields = ("lat", "lng", "accuracy")``.
LOCATION_FIELDS = ("latitude", "longitude", "gps_accuracy")
LOCATION_TEXT = {
    "gps": _("获取当前位置"),
    "map": _("在地图上选点"),
    "hide": _("收起地图"),
    "locating": _("正在定位…"),
    "located": _("已获取当前位置（精度约 %(m)s 米）"),
    "failed": _("无法获取位置："),
    "tap": _("点击地图选择位置"),
    "tapped": _("已在地图上选点"),
    "map_failed": _("地图加载失败，请直接填写经纬度"),
    "plain": _("点击地图选择位置（未配置底图，灰点为所在区域的中心）"),
}


def location_pair(form: forms.BaseForm) -> tuple[str, str, str | None] | None:
    """(latitude, longitude, accuracy or None) field names when the form takes a place, else None."""
    spec = (*tuple(getattr(form, "location_fields", None) or LOCATION_FIELDS), None)
    lat, lng, acc = spec[0], spec[1], spec[2]
    if lat in form.fields and lng in form.fields:
        return lat, lng, acc if acc in form.fields else None
    return None


class CoordinateValidator:
    """Decimal degrees within [low, high]; the message names the field."""

    def __init__(self, label, low: int, high: int):
        self.label, self.low, self.high = label, low, high

    def __call__(self, value):
        if value in (None, ""):
            return
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError(_("「%(label)s」须为数字（十进制度，如 34.1405）") % {"label": self.label},
                                  code="invalid") from None
        if not number.is_finite() or not self.low <= number <= self.high:
            raise ValidationError(_("「%(label)s」须在 %(low)s 到 %(high)s 之间")
                                  % {"label": self.label, "low": self.low, "high": self.high}, code="range")


def location_config(form: forms.BaseForm) -> dict:
    """What the picker's script needs: the basemap, where the map starts (the form's
    ``location_region`` — a region code — or the city), the vendored Leaflet and the words."""
    from .maps import DEFAULT_CENTRE, basemap, centre_of
    from .models import Region

    start = centre_of(getattr(form, "location_region", None))
    if start is None:
        city = Region.objects.filter(level=1, geo__isnull=False).values_list("code", flat=True).first()
        start = centre_of(city) or (DEFAULT_CENTRE, 10)
    (lat, lng), zoom = start
    return {
        "basemap": basemap(), "centre": [round(lat, 6), round(lng, 6)], "zoom": zoom,
        "leaflet": {"js": static("anmin/vendor/leaflet/leaflet-1.9.4.js"),
                    "css": static("anmin/vendor/leaflet/leaflet-1.9.4.css"),
                    "words": static("anmin/leaflet-words.js")},
        "text": {k: str(v) for k, v in LOCATION_TEXT.items()},
    }


def enhance_location(form: forms.BaseForm) -> None:
    """A latitude/longitude pair: both checked for range (the message names the field), marked for
    ``forms.js`` (``data-location``), which adds 获取当前位置 (GPS, with its accuracy) and 在地图上选点
    (a tap on the vendored Leaflet map). Without JavaScript the two inputs stay as they are."""
    pair = location_pair(form)
    if pair is None:
        return
    lat, lng, acc = pair
    for name, low, high in ((lat, -90, 90), (lng, -180, 180)):
        field = form.fields[name]
        field.validators.append(CoordinateValidator(field.label or name, low, high))
        if not isinstance(field.widget, forms.HiddenInput):
            field.widget.attrs.setdefault("inputmode", "decimal")
    lat_attrs = form.fields[lat].widget.attrs
    form.fields[lng].widget.attrs["data-location"] = "lng"
    lat_attrs["data-location"] = "lat"
    lat_attrs["data-location-lng"] = form.add_prefix(lng)
    if acc:
        lat_attrs["data-location-accuracy"] = form.add_prefix(acc)
    lat_attrs["data-location-map"] = json.dumps(location_config(form), ensure_ascii=False)


def check_location_pair(form: forms.BaseForm) -> None:
    """Both coordinates or neither: the missing one is named."""
    pair = location_pair(form)
    if pair is None or not hasattr(form, "cleaned_data"):
        return
    lat, lng, _acc = pair
    if lat in form.errors or lng in form.errors or lat not in form.cleaned_data or lng not in form.cleaned_data:
        return
    has_lat = form.cleaned_data[lat] not in (None, "")
    has_lng = form.cleaned_data[lng] not in (None, "")
    if has_lat != has_lng:
        missing = lng if has_lat else lat
        form.add_error(missing, _("「%(lng)s」和「%(lat)s」须同时填写，或都不填")
                       % {"lng": form.fields[lng].label, "lat": form.fields[lat].label})


# -- grouped pickers ------------------------------------------------------------------------------------


class GroupedSelect(QuickSelect):
    """A ``<select>`` whose option groups may carry a key (``data-group``): the unit of a person, so
    ``forms.js`` can narrow the list to the unit chosen in the field named by ``narrow_by``."""

    def __init__(self, attrs=None, *, group_keys: dict | None = None, narrow_by: str = ""):
        super().__init__(attrs)
        self.group_keys = group_keys or {}
        if narrow_by:
            self.attrs["data-narrow-by"] = narrow_by

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}

        def option(key, label):
            selected = mark_safe(" selected") if str(key) in chosen else ""
            return format_html('<option value="{}"{}>{}</option>', "" if key is None else key, selected, label)

        parts = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                inner = mark_safe("".join(option(k, lb) for k, lb in label))
                group = self.group_keys.get(key)
                data = format_html(' data-group="{}"', group) if group is not None else ""
                parts.append(format_html('<optgroup label="{}"{}>{}</optgroup>', key, data, inner))
            else:
                parts.append(option(key, label))
        return format_html('<select name="{}"{}>{}</select>', name,
                           flatatt(self.build_attrs(self.attrs, attrs)), mark_safe("".join(parts)))


def grouped_code_choices(table_key: str, *, pick_group: bool = False) -> list:
    """A two-level code table (GB/T 31000: 2-digit groups, 4-digit items) as option groups in code
    order, only the items one may choose; a top-level item without children is its own group. With
    ``pick_group`` (filters) each group starts with an option for the whole group ("…（全部）")."""
    from .codes import in_language
    from .models import CodeItem

    items = in_language(f"grouped:{table_key}", lambda: list(
        CodeItem.objects.of(table_key).values_list("code", "name", "parent__code")),
        lambda rows: [(code, gettext(name), parent) for code, name, parent in rows])
    names = {code: name for code, name, _p in items}
    parents = {p for _c, _n, p in items if p}
    groups: dict[str, list] = {}
    for code, name, parent in sorted(items):
        if code in parents:
            if pick_group:
                groups.setdefault(code, []).insert(0, (code, _("%(name)s（全部）") % {"name": name}))
            continue
        groups.setdefault(parent or code, []).append((code, name))
    return [(names.get(g, g), opts) for g, opts in sorted(groups.items())]


class CodeChoiceField(forms.ChoiceField):
    """A category from a two-level code table: grouped by the parent, in code order, searchable."""

    def __init__(self, *args, table: str, **kwargs):
        kwargs.setdefault("widget", GroupedSelect(attrs={"data-filter": FILTER_HINT}))
        super().__init__(*args, choices=lambda: [("", CHOOSE), *grouped_code_choices(table)], **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    """A person picker grouped by unit (``org_unit``); with ``narrow_by`` the list narrows to the unit
    chosen in that field of the same form (``forms.js``); without JavaScript the groups remain."""

    def __init__(self, *args, narrow_by: str = "", **kwargs):
        kwargs.setdefault("widget", GroupedSelect(narrow_by=narrow_by))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return str(obj)

    def _grouped(self):
        if self.empty_label is not None:
            yield ("", CHOOSE)
        groups: dict = {}
        keys: dict = {}
        for user in self.queryset:
            org = user.org_unit
            label = str(org) if org else str(_("未分配单位"))
            groups.setdefault(label, []).append((user.pk, self.label_from_instance(user)))
            keys[label] = org.pk if org else ""
        self.widget.group_keys = keys
        yield from groups.items()

    def _get_choices(self):
        return list(self._grouped())

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


# -- sections -----------------------------------------------------------------------------------------


def sections(form: forms.BaseForm) -> list[dict]:
    """The form's fields in its sections: ``form.sections`` is a list of ``(title, field names)`` or
    ``(title, field names, "folded")``; fields named in no section come first, untitled. A folded
    section is open when one of its fields has an error or (on a bound form) a value."""
    polish(form)
    declared = getattr(form, "sections", ()) or ()
    named = {n for s in declared for n in s[1]}
    out = [{"title": "", "fields": [form[n] for n in form.fields if n not in named], "folded": False,
            "open": True}]
    for spec in declared:
        title, names = spec[0], [n for n in spec[1] if n in form.fields]
        if not names:
            continue
        folded = len(spec) > 2 and spec[2] == "folded"
        bound = [form[n] for n in names]
        is_open = any(b.errors for b in bound) or (form.is_bound and any(
            form.data.get(form.add_prefix(n)) not in (None, "") for n in names))
        out.append({"title": title, "fields": bound, "folded": folded, "open": is_open})
    return out


class PhoneField(forms.CharField):
    """A phone number (mobile or landline), checked on the form — beside every other field's error, not
    after them by the action — and given back normalised; blank when not required."""

    def __init__(self, *, mobile_only: bool = False, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.mobile_only = mobile_only

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        from .protected.phones import validate_phone_number

        return validate_phone_number(value, label=f"「{self.label}」", mobile_only=self.mobile_only)


class IdNumberField(forms.CharField):
    """A 公民身份号码 checked on the form (length, birth date against the business clock, check digit),
    given back as the 18-digit number; blank when not required."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        from .protected.idnumbers import parse_id_number

        try:
            return parse_id_number(value, label=f"「{self.label}」").number
        except ValidationError as exc:
            label = f"「{self.label}」"
            raise ValidationError([m if label in m else f"{label}{m}" for m in exc.messages]) from None


class PastDateField(forms.DateField):
    """A day that has happened (a dispute found, a visit made): not after the business date, told on the
    form beside the other fields' errors."""

    def clean(self, value):
        value = super().clean(value)
        from . import clock

        if value and value > clock.today():
            raise ValidationError(_("「%(label)s」不能晚于今天（%(today)s）") % {
                "label": self.label, "today": clock.today().isoformat()}, code="future")
        return value
