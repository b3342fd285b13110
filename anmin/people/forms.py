"""Forms of the people pages. They only parse input; every write goes through ``people.actions``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core.codes import code_choices
from anmin.core.forms import DateInput
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel

from . import rules
from .models import House, MentalPatient, Person
from .models.choices import (
    Condition,
    IncidentSeverity,
    Medication,
    ResidenceRelation,
    TeamRole,
    TreatmentStatus,
    VisitMethod,
    VisitOutcome,
)
from .models.special import RISK_LEVELS

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


class PersonForm(forms.Form):
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


class RevealForm(forms.Form):
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


class LookupForm(forms.Form):
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


class ExportRevealForm(forms.Form):
    reason = forms.CharField(label=_("导出完整号码的事由"), max_length=200)


class VisitForm(forms.Form):
    """走访/随访 at phone width: when, how, what was found, when to come back."""

    visited_at = forms.DateTimeField(
        label=_("走访时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    method = forms.ChoiceField(label=_("方式"), choices=VisitMethod.choices, initial=VisitMethod.IN_PERSON)
    outcome = forms.ChoiceField(label=_("走访结果"), choices=VisitOutcome.choices, initial=VisitOutcome.SEEN)
    risk_level = forms.TypedChoiceField(
        label=_("危险性等级（本次评估）"),
        choices=[("", _("未评估")), *RISK_LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("与当前等级不同时，须乡镇综治中心审批"),
    )
    condition = forms.ChoiceField(label=_("病情"), choices=[("", "—"), *Condition.choices], required=False)
    improved = forms.BooleanField(label=_("较上次好转"), required=False)
    medication = forms.ChoiceField(label=_("服药情况"), choices=[("", "—"), *Medication.choices], required=False)
    observations = forms.CharField(
        label=_("风险与情况观察"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_on = forms.DateField(
        label=_("下次走访/随访日期"), required=False, widget=DATE, help_text=_("留空则按随访规则自动确定")
    )

    def __init__(self, *args, patient: MentalPatient | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if patient is None:
            for name in ("risk_level", "condition", "improved", "medication"):
                del self.fields[name]
        now = timezone.localtime().replace(second=0, microsecond=0)
        day = rules.today()  # the platform's date (a demo may be frozen at its "today")
        self.fields["visited_at"].initial = now.replace(year=day.year, month=day.month, day=day.day)


class PatientForm(forms.Form):
    """登记严重精神障碍患者."""

    risk_level = forms.TypedChoiceField(label=_("危险性评估等级"), choices=RISK_LEVELS, coerce=int)
    registered_on = forms.DateField(label=_("建档日期"), widget=DATE, required=False)
    diagnosis = forms.CharField(label=_("诊断"), required=False, max_length=200)
    guardian_name = forms.CharField(label=_("监护人姓名"), required=False, max_length=64)
    guardian_relation = forms.CharField(label=_("与患者关系"), required=False, max_length=16)
    guardian_phone = forms.CharField(label=_("监护人联系电话"), required=False, max_length=32)
    has_incident_history = forms.BooleanField(label=_("有肇事肇祸史"), required=False)
    treatment = forms.ChoiceField(label=_("治疗情况"), choices=[("", "—"), *TreatmentStatus.choices], required=False)
    hospital = forms.CharField(label=_("治疗医院"), required=False, max_length=128)


def special_form_class(model):
    """A form for a special-population record's own items (the person and status are set apart)."""
    exclude = ["person", "status", "closed_on", "closed_reason", "created_by", "version", "created_at"]
    form_class = forms.modelform_factory(model, exclude=exclude, formfield_callback=_formfield)
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


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = forms.DateField(label=_("解除日期"), widget=DATE)
    reason = forms.CharField(label=_("解除原因"), max_length=200)


class AssessForm(forms.Form):
    level = forms.TypedChoiceField(label=_("评估等级"), choices=RISK_LEVELS, coerce=int)
    assessed_on = forms.DateField(label=_("评估日期"), widget=DATE)
    note = forms.CharField(label=_("评估说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=200, help_text=_("驳回时必填"))


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("成员类型"), choices=TeamRole.choices)
    name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=32)
    org_name = forms.CharField(label=_("单位"), required=False, max_length=128)


class IncidentForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("发生时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    severity = forms.ChoiceField(label=_("性质"), choices=IncidentSeverity.choices)
    place = forms.CharField(label=_("发生地点"), required=False, max_length=200)
    casualties = forms.IntegerField(label=_("伤亡人数"), min_value=0, initial=0)
    description = forms.CharField(label=_("经过"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(label=_("处置情况"), required=False, max_length=200)


class EnrollForm(forms.Form):
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=64)
    guardian_relation = forms.CharField(label=_("与患者关系"), required=False, max_length=16)
    guardian_phone = forms.CharField(label=_("监护人联系电话"), required=False, max_length=32)
    enrolled_on = forms.DateField(label=_("纳入日期"), widget=DATE)
    annual_amount = forms.DecimalField(
        label=_("年度补助标准(元)"), required=False, min_value=0, help_text=_("留空则按规则的标准")
    )


class CheckForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)], coerce=int)
    checked_on = forms.DateField(label=_("检查日期"), widget=DATE)
    passed = forms.BooleanField(label=_("看护记录合格"), required=False, initial=True)
    note = forms.CharField(label=_("检查情况"), required=False, max_length=200)


class AwardForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("核定金额(元)"), required=False, min_value=0)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=200, help_text=_("不予发放时必填"))


class PaymentForm(forms.Form):
    award = forms.TypedChoiceField(label=_("年度"), coerce=int)
    amount = forms.DecimalField(label=_("发放金额(元)"), min_value=0)
    paid_on = forms.DateField(label=_("发放日期"), widget=DATE)
    voucher_no = forms.CharField(label=_("凭证号"), required=False, max_length=64)

    def __init__(self, *args, awards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [(a.pk, f"{a.year}年度（核定{a.amount}元）") for a in awards]


class HouseForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in forms.fields_for_model(
            House, fields=["address", "use", "is_rented", "owner_name", "floor_area", "rental_use", "notes"]
        ).items():
            self.fields[name] = f
        self.fields["region"] = place_field(user)
        self.order_fields(["address", "region", "use", "is_rented"])


class ResidenceForm(forms.Form):
    id_number = forms.CharField(
        label=_("居住人员的公民身份号码"), max_length=32, help_text=_("按身份证号码查找已登记的人员")
    )
    relation = forms.ChoiceField(label=_("居住关系"), choices=ResidenceRelation.choices)
    since = forms.DateField(label=_("入住日期"), required=False, widget=DATE)


class EndResidenceForm(forms.Form):
    residence = forms.IntegerField(widget=forms.HiddenInput)
    until = forms.DateField(label=_("迁出日期"), widget=DATE)


def default_today():
    return rules.today()
