"""Filter bars of the case ledger, the inbox and the supervision ledger."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.filters import DayFromFilter, DayToFilter, FilterSet, township_choices
from anmin.core.i18n import one_language
from anmin.core.models import Region

from .models import Case, Supervision
from .registry import case_kinds, kind_choices, priority_choices


def village_choices(request):
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).villages()


def status_choices():
    """Each status's name once, however many kinds' states carry it: 待验收 is a rectification's
    ``rectified`` and a camera repair's ``repaired``. A choice's value is its states' codes joined by
    commas (``rectified,repaired``), a single code where one state has the name (``?status=pending``)."""
    by_label: dict[str, tuple[object, list[str]]] = {}
    with one_language():  # some eighty states' labels, each asking for the language (core.i18n)
        for kind in case_kinds:
            for state in kind.workflow.states:
                label = state.display_label
                _label, codes = by_label.setdefault(str(label), (label, []))
                if state.code not in codes:
                    codes.append(state.code)
    return [(",".join(codes), label) for label, codes in by_label.values()]


def status_codes() -> set[str]:
    return {state.code for kind in case_kinds for state in kind.workflow.states}


class StatusField(django_filters.fields.ChoiceField):
    """A status picked by its name (every code carrying it) or named by one code (a link made with
    it, the API's vocabulary): both are valid."""

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or (bool(value) and set(str(value).split(",")) <= status_codes())


class StatusFilter(django_filters.ChoiceFilter):
    field_class = StatusField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": str(value).split(",")})


SLA_CHOICES = (("overdue", _("已逾期")), ("warning", _("临期预警")), ("paused", _("暂停计时")), ("ontime", _("未超期")))


class CaseFilter(FilterSet):
    q = django_filters.CharFilter(label=_("编号/标题"), method="search")
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="inside")
    village = django_filters.ModelChoiceFilter(label=_("村(社区)"), queryset=village_choices, method="inside")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=kind_choices)
    status = StatusFilter(label=_("状态"), choices=status_choices)
    priority = django_filters.ChoiceFilter(label=_("紧急程度"), choices=priority_choices)
    sla = django_filters.ChoiceFilter(label=_("时限"), choices=SLA_CHOICES, method="filter_sla")
    opened_from = DayFromFilter(label=_("上报日期起"), field_name="opened_at")
    opened_to = DayToFilter(label=_("上报日期止"), field_name="opened_at")

    class Meta:
        model = Case
        fields = ["q", "township", "village", "kind", "status", "priority", "sla", "opened_from", "opened_to"]

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(number__icontains=value) | Q(title__contains=value)) if value else qs

    def inside(self, qs, name, value):
        return qs.inside(value.prefix) if value else qs

    def filter_sla(self, qs, name, value):
        now = clock.now()
        if value == "overdue":
            return qs.overdue(now)
        if value == "warning":
            return qs.warning(now)
        if value == "paused":
            return qs.filter(is_open=True, paused_since__isnull=False)
        if value == "ontime":
            return qs.filter(is_open=True).exclude(pk__in=qs.overdue(now).values("pk"))
        return qs


class SupervisionFilter(FilterSet):
    q = django_filters.CharFilter(label=_("事项编号"), field_name="case__number", lookup_expr="icontains")
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="inside")
    replied = django_filters.ChoiceFilter(
        label=_("回复"), choices=(("no", _("待回复")), ("yes", _("已回复"))), method="filter_replied"
    )
    automatic = django_filters.ChoiceFilter(
        label=_("方式"), choices=(("1", _("逾期自动")), ("0", _("人工"))), method="filter_automatic"
    )

    class Meta:
        model = Supervision
        fields = ["q", "township", "replied", "automatic"]

    def inside(self, qs, name, value):
        return qs.filter(case__region__code__startswith=value.prefix) if value else qs

    def filter_replied(self, qs, name, value):
        return qs.filter(replied_at__isnull=value != "yes") if value else qs

    def filter_automatic(self, qs, name, value):
        return qs.filter(automatic=value == "1") if value else qs


class InboxFilter(CaseFilter):
    """The inbox's filters, plus whose inbox (the view reads ``who``; the filter keeps it in the form)."""

    who = django_filters.ChoiceFilter(label=_("范围"), choices=(("me", _("我的待办")), ("org", _("本单位待办"))),
                                      method="keep", empty_label=None)

    class Meta(CaseFilter.Meta):
        fields = ["who", *CaseFilter.Meta.fields]

    def keep(self, qs, name, value):
        return qs
