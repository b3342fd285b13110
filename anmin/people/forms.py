"""Forms of the people pages. They only parse input; every write goes through ``people.actions``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anmin.core.codes import code_choices
from anmin.core.formkit import KitForm, KitModelForm
from anmin.core.forms import DateInput
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel

from .calendar import today
from .models import House, Person
from .models.choices import ResidenceRelation

DATE = DateInput()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's ValidationError onto the form (on the field it names, if the form has it)."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(key if key in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.full_name


def place_field(user, *, label=None, required=True) -> RegionChoiceField:
    """Villages and grids inside the user's own jurisdiction (a grid worker: their grids)."""
    prefixes = user.scope.prefixes
    qs = Region.objects.filter(level__in=(RegionLevel.VILLAGE, RegionLevel.GRID)).select_related("parent__parent")
    from django.db.models import Q

    cond = Q()
    for p in prefixes:
        cond |= Q(code__startswith=p)
    qs = qs.filter(cond) if prefixes else qs.none()
    return RegionChoiceField(
        queryset=qs.order_by("code"), label=label or _("所属区划"), required=required, help_text=_("最细到网格")
    )


PERSON_FORM_FIELDS = [
    "name",
    "former_name",
    "id_number",
    "sex",
    "birth_date",
    "ethnicity",
    "phone",
    "hukou_address",
    "current_address",
    "native_place",
    "marital_status",
    "education",
    "occupation",
    "workplace",
    "is_migrant",
    "migrant_reason",
    "migrant_since",
    "migrant_residence_kind",
    "is_left_behind",
    "left_behind_type",
    "left_behind_health",
    "left_behind_family",
    "left_behind_needs",
    "is_foreign",
    "foreign_surname",
    "foreign_given_name",
    "nationality",
    "foreign_document_type",
    "foreign_document_no",
    "visit_purpose",
    "arrived_on",
    "expected_departure_on",
    "notes",
]


class PersonForm(KitForm):
    """登记/修改实有人口. Sex and birth date may be left blank: the ID number gives them."""

    def __init__(self, *args, user, instance: Person | None = None, **kwargs):
        if instance is not None:
            initial = {f: getattr(instance, f) for f in PERSON_FORM_FIELDS}
            initial.update(region=instance.region_id, version=instance.version)
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.instance = instance
        fields = forms.fields_for_model(Person, fields=PERSON_FORM_FIELDS)
        for name, f in fields.items():
            if isinstance(f.widget, forms.DateInput):
                f.widget = DATE
            self.fields[name] = f
        self.fields["id_number"].required = False
        self.fields["sex"].required = False
        self.fields["region"] = place_field(user)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        order = ["name", "id_number", "phone", "region", "current_address"]
        self.order_fields(order + [f for f in self.fields if f not in order])

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if self.instance is None:
            return data
        changed = set(self.changed_data)
        return {k: v for k, v in data.items() if k in changed}


class RevealForm(KitForm):
    fields_wanted = forms.MultipleChoiceField(
        label=_("查看内容"),
        choices=[("id_number", _("公民身份号码")), ("phone", _("联系电话"))],
        widget=forms.CheckboxSelectMultiple,
        initial=["id_number"],
    )
    reason = forms.CharField(
        label=_("查看事由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("必填；查看记录写入审计日志"),
    )


class LookupForm(KitForm):
    value = forms.CharField(
        label=_("按身份证号码/电话精确查找"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    def clean_value(self):
        from .models.persons import is_protected_query

        value = self.cleaned_data["value"].strip()
        if not is_protected_query(value):
            raise ValidationError(_("按身份证号码/电话精确查找：请输入完整的18位（或15位）身份证号码或电话号码"))
        return value


class ExportRevealForm(KitForm):
    reason = forms.CharField(label=_("导出完整号码的事由"), max_length=200)


def special_form_class(model):
    """A form for a special-population record's own items (the person and status are set apart)."""
    exclude = ["person", "status", "closed_on", "closed_reason", "created_by", "version", "created_at"]
    # the kit's form: errors name their field (「登记日期」为必填项), not Django's bare 该字段是必填项
    form_class = forms.modelform_factory(model, form=KitModelForm, exclude=exclude, formfield_callback=_formfield)
    if model._meta.model_name == "youthofconcern":
        form_class.base_fields["youth_type"] = forms.ChoiceField(
            label=_("人员类型"), choices=lambda: code_choices("youth_type")
        )
        form_class.base_fields["concern_level"] = forms.ChoiceField(
            label=_("关注程度"), choices=lambda: code_choices("youth_concern")
        )
    return form_class


def _formfield(db_field, **kwargs):
    f = db_field.formfield(**kwargs)
    if isinstance(f, forms.DateField):
        f.widget = DATE
    return f


class CloseForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = forms.DateField(label=_("解除日期"), widget=DATE)
    reason = forms.CharField(label=_("解除原因"), max_length=200)


class HouseForm(KitForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in forms.fields_for_model(
            House, fields=["address", "use", "is_rented", "owner_name", "floor_area", "rental_use", "notes"]
        ).items():
            self.fields[name] = f
        self.fields["region"] = place_field(user)
        self.order_fields(["address", "region", "use", "is_rented"])


class ResidenceForm(KitForm):
    id_number = forms.CharField(
        label=_("居住人员的公民身份号码"), max_length=32, help_text=_("按身份证号码查找已登记的人员")
    )
    relation = forms.ChoiceField(label=_("居住关系"), choices=ResidenceRelation.choices)
    since = forms.DateField(label=_("入住日期"), required=False, widget=DATE)


class EndResidenceForm(KitForm):
    residence = forms.IntegerField(widget=forms.HiddenInput)
    until = forms.DateField(label=_("迁出日期"), widget=DATE)


def default_today():
    return today()
