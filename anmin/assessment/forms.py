"""The assessment's forms on a unit's page: the office scores a manual item and reviews an appeal.
The range of a score is the action's rule (0 to the item's points), told at the field."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core import registry
from anmin.core.formkit import KitForm, unchosen

from .models import IndicatorKind, Scheme, UnitType


class ScoreForm(KitForm):
    """One manual item's score; ``version`` is the score the reviewer saw (0: none yet)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    score = forms.DecimalField(label=_("得分"), max_digits=6, decimal_places=2,
                               widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    note = forms.CharField(label=_("评分依据"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AppealReviewForm(KitForm):
    decision = forms.CharField(label=_("复核意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    new_score = forms.DecimalField(label=_("复核后得分"), required=False, max_digits=6, decimal_places=2,
                                   widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                                   help_text=_("采纳时填写，替换该指标原得分"))


POINTS = {"max_digits": 6, "decimal_places": 2, "min_value": 0, "max_value": 1000,
          "widget": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})}


class SchemeForm(KitForm):
    """A new year's scheme, usually from last year's (its items, grade lines and units copied)."""

    copy_from = forms.ModelChoiceField(label=_("沿用方案"), queryset=None, required=False,
                                       help_text=_("复制所选方案的指标体系、等次分数线和考核对象；不选则新建空方案"))
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    unit_type = forms.ChoiceField(label=_("考核对象类型"), choices=UnitType.choices, required=False,
                                  help_text=_("沿用方案时与所沿用的方案相同"))
    name = forms.CharField(label=_("方案名称"), max_length=120)
    excellent_quota = forms.IntegerField(label=_("优秀单位名额"), required=False, min_value=0, max_value=999,
                                         help_text=_("空：沿用方案的名额；新建方案时等次为优秀的全部评为优秀单位"))

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = schemes if schemes is not None else Scheme.objects.none()

    def clean(self):
        data = super().clean()
        source = data.get("copy_from")
        if not source and not data.get("unit_type"):
            self.add_error("unit_type", _("不沿用方案时请选择考核对象类型"))
        if source and data.get("unit_type") and data["unit_type"] != source.unit_type:
            self.add_error("unit_type", _("沿用方案的考核对象类型为%(t)s，新方案与之相同")
                           % {"t": source.get_unit_type_display()})
        return data


class IndicatorForm(KitForm):
    """One item of a draft scheme's tree; a data item or a veto takes an indicator a domain offers."""

    code = forms.CharField(label=_("编号"), max_length=16)
    name = forms.CharField(label=_("指标名称"), max_length=120, required=False,
                           help_text=_("数据指标、一票否决项不填时用所选数据指标的名称"))
    kind = forms.ChoiceField(label=_("类型"), choices=unchosen(IndicatorKind.choices))
    parent = forms.ModelChoiceField(label=_("上级指标"), queryset=None, required=False)
    max_score = forms.DecimalField(label=_("分值"), initial=0, help_text=_("扣分项、加分项为最多扣、加的分数"),
                                   **POINTS)
    offered = forms.ChoiceField(label=_("数据指标"), required=False,
                                help_text=_("数据指标、一票否决项必选；扣分项选了则按记录自动扣分，不选则人工登记"))
    description = forms.CharField(label=_("评分说明"), required=False, max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = scheme.indicators.filter(kind=IndicatorKind.GROUP).order_by("order", "code")
        self.fields["offered"].choices = [("", "—")] + [
            (i.key, f"{i.label}（{i.kind_label}）") for i in offered_indicators(scheme.unit_type)]

    def clean(self):
        data = super().clean()
        item = registry.assessment_indicators.get(data["offered"]) if data.get("offered") else None
        kind = data.get("kind")
        if kind in (IndicatorKind.KPI, IndicatorKind.VETO) and item is None:
            self.add_error("offered", _("数据指标和一票否决项须选择数据指标"))
        if not data.get("name") and item is None:
            self.add_error("name", _("请填写指标名称"))
        data["item"] = item
        return data


class TargetForm(KitForm):
    name = forms.CharField(label=_("单位名称"), max_length=120)


class AdjustmentForm(KitForm):
    """扣分 or 加分 for one occurrence, registered by the office with its ground."""

    indicator = forms.ModelChoiceField(label=_("扣分/加分项"), queryset=None)
    points = forms.DecimalField(label=_("分值"), help_text=_("本次扣（加）的分数，填正数"), **POINTS)
    reason = forms.CharField(label=_("事由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label=_("依据记录"), max_length=200, required=False,
                                help_text=_("如通报文号、督办单号"))

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = scheme.indicators.filter(
            kind__in=(IndicatorKind.DEDUCTION, IndicatorKind.BONUS)).order_by("order", "code")


_KIND_LABELS = {"score": _("计分"), "deduction": _("扣分"), "veto": _("一票否决")}


@dataclass(frozen=True)
class Offered:
    key: str
    label: str
    kind_label: str


def offered_indicators(unit_type: str) -> list[Offered]:
    """The indicators today's domains offer for this kind of unit, in the order they were registered."""
    return [Offered(i.key, str(i.label), str(_KIND_LABELS.get(i.kind, i.kind)))
            for i in registry.assessment_indicators if unit_type in i.unit_types]
