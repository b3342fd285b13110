"""The form kit every app's forms use: one wording for errors, "请选择" placeholders, a sole choice
pre-selected, the ``version`` field hidden, photos from the camera, two-level category pickers in code
order and people pickers narrowed by the chosen unit.

A form gets it by subclassing ``KitForm`` / ``KitModelForm`` (or ``KitFormMixin``): the kit is applied
once, after the form's own ``__init__`` has set its querysets and choices, the first time the form is
validated or drawn. ``polish(form)`` applies it to any form (filter forms get ``filter_polish``).
The pickers' type-to-filter and unit narrowing are enhancements in ``static/anmin/anmin.js``; without
JavaScript the grouped ``<select>`` works as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .forms import QuickSelect

REQUIRED = _("「%(label)s」为必填项")
CHOOSE = _("请选择")
ALL = _("全部")
FILTER_HINT = _("输入名称筛选")
#: Labels Django and older forms give the empty choice; the kit replaces them.
BLANK_LABELS = {"---------", "——", "—", "--", "-", ""}
#: A select with more options than this gets the type-to-filter box.
FILTER_FROM = 12


def name_the_field(form: forms.BaseForm) -> None:
    """Errors say which field and which rule, in one wording: 「办理结果」为必填项."""
    for field in form.fields.values():
        label = field.label or ""
        field.error_messages["required"] = REQUIRED % {"label": label}
        if "invalid_choice" in field.error_messages:
            field.error_messages["invalid_choice"] = _("「%(label)s」的选项无效") % {"label": label}
        if "invalid_list" in field.error_messages:
            field.error_messages["invalid_list"] = _("「%(label)s」的选项无效") % {"label": label}
        if isinstance(field, forms.IntegerField):
            field.error_messages["invalid"] = _("「%(label)s」须为整数") % {"label": label}
        elif isinstance(field, forms.DecimalField | forms.FloatField):
            field.error_messages["invalid"] = _("「%(label)s」须为数字") % {"label": label}
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.error_messages["invalid"] = _("「%(label)s」的日期格式不正确") % {"label": label}


def _blank_first(choices: list, label) -> list:
    if choices and not isinstance(choices[0][1], list | tuple) and choices[0][0] in ("", None):
        return [("", label), *choices[1:]]
    return choices


def _has_many(choices: Iterable) -> int:
    n = 0
    for key, label in choices:
        n += len(label) if isinstance(label, list | tuple) else int(key not in ("", None))
    return n


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
        return super().full_clean()

    def __iter__(self):
        self._kit()
        return super().__iter__()

    def __getitem__(self, name):
        self._kit()
        return super().__getitem__(name)

    def render(self, *args, **kwargs):
        self._kit()
        return super().render(*args, **kwargs)


class KitForm(KitFormMixin, forms.Form):
    pass


class KitModelForm(KitFormMixin, forms.ModelForm):
    pass


class KitFilterForm(KitForm):
    """A filter bar's form (GET): "全部" placeholders, nothing pre-selected."""

    kit_placeholder = ALL
    kit_preselect = False


# -- grouped pickers ------------------------------------------------------------------------------------


class GroupedSelect(QuickSelect):
    """A ``<select>`` whose option groups may carry a key (``data-group``): the unit of a person, so
    ``anmin.js`` can narrow the list to the unit chosen in the field named by ``narrow_by``."""

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
    from .models import CodeItem

    items = list(CodeItem.objects.of(table_key).values_list("code", "name", "parent__code"))
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
    chosen in that field of the same form (``anmin.js``); without JavaScript the groups remain."""

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
