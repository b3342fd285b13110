"""Indicators of the people registers, computed from the records.

``compute(year=, region=, user=None)``: ``region`` is a region code or a Region (its subtree counts)
or None for the whole installation; ``user`` (when given) limits the figures to what that user may
see. Registers (residents, patients by level, teams, special populations) count the records in
force; events (follow-ups, warnings, incidents, subsidy decisions and payments) count the year's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Kpi, kpis

from . import rules
from .models import (
    SPECIAL_MODELS,
    FollowUpWarning,
    GuardianSubsidy,
    House,
    Incident,
    MentalPatient,
    Person,
    SubsidyAward,
    SubsidyPayment,
    Visit,
    region_prefix,
)
from .models.choices import AwardStatus, PersonStatus, RecordStatus, SubsidyStatus, VisitKind, VisitOutcome, WarningKind


def _scoped(model, user):
    return model.objects.visible_to(user) if user is not None else model.objects.all()


def _inside(qs, region, path: str):
    prefix = region_prefix(region)
    return qs.filter(**{f"{path}__code__startswith": prefix}) if prefix else qs


def as_of(year: int) -> dt.date:
    """The day a year's register figures are taken: the year's end, or today within the year."""
    return min(rules.today(), dt.date(year, 12, 31))


# --- residents ------------------------------------------------------------------------------------------


def residents(*, year, region=None, user=None) -> int:
    qs = _scoped(Person, user).filter(status=PersonStatus.ACTIVE, registered_on__lte=dt.date(year, 12, 31))
    return _inside(qs, region, "region").count()


def _flag(flag):
    def compute(*, year, region=None, user=None) -> int:
        qs = _scoped(Person, user).filter(status=PersonStatus.ACTIVE, **{flag: True})
        return _inside(qs, region, "region").count()

    return compute


def houses(*, year, region=None, user=None) -> int:
    return _inside(_scoped(House, user), region, "region").count()


def rented_houses(*, year, region=None, user=None) -> int:
    return _inside(_scoped(House, user).filter(is_rented=True), region, "region").count()


# --- special populations -----------------------------------------------------------------------------------


def _register(model):
    def compute(*, year, region=None, user=None) -> int:
        qs = _scoped(model, user).filter(status=RecordStatus.ACTIVE, registered_on__lte=dt.date(year, 12, 31))
        return _inside(qs, region, "person__region").count()

    return compute


def _patients(region, user):
    qs = _scoped(MentalPatient, user).filter(status=RecordStatus.ACTIVE)
    return _inside(qs, region, "person__region")


def _level(n):
    def compute(*, year, region=None, user=None) -> int:
        return _patients(region, user).filter(risk_level=n).count()

    return compute


def patients_level_3_up(*, year, region=None, user=None) -> int:
    return _patients(region, user).filter(risk_level__gte=3).count()


def level_3_up_team_complete(*, year, region=None, user=None) -> int:
    """Patients at level ≥ 3 whose "五位一体" team has every configured place filled."""
    return _patients(region, user).filter(risk_level__gte=3).team_complete(rules.team_groups()).count()


def teams_complete(*, year, region=None, user=None) -> int:
    return _patients(region, user).team_complete(rules.team_groups()).count()


def teams_incomplete(*, year, region=None, user=None) -> int:
    return _patients(region, user).team_incomplete(rules.team_groups()).count()


# --- follow-ups ------------------------------------------------------------------------------------------


def followups(*, year, region=None, user=None) -> int:
    qs = _scoped(Visit, user).filter(kind=VisitKind.FOLLOW_UP, visited_at__year=year)
    return _inside(qs, region, "person__region").count()


def followup_completion_rate(*, year, region=None, user=None) -> float:
    """Share (%) of patients on the register who had, by the year's end (or today), at least the
    follow-ups the rules ask for (at least N a year, pro rata from registration)."""
    day = as_of(year)
    cfg = rules.current_rules()
    patients = (
        _patients(region, user)
        .filter(registered_on__lte=day)
        .annotate(
            n=Count(
                "visits",
                filter=Q(
                    visits__kind=VisitKind.FOLLOW_UP,
                    visits__visited_at__year=year,
                    visits__outcome__in=(VisitOutcome.SEEN, VisitOutcome.FAMILY),
                ),
            )
        )
        .values_list("registered_on", "n")
    )
    total = done = 0
    for registered_on, n in patients:
        need = rules.required_followups(year=year, registered_on=registered_on, as_of=day, rules=cfg)
        total += 1
        done += n >= need
    return round(100.0 * done / total, 2) if total else 0.0


def followups_overdue(*, year, region=None, user=None) -> int:
    """Patients warned as overdue in the year (the sweep raises one warning per due date)."""
    qs = _scoped(FollowUpWarning, user).filter(kind=WarningKind.OVERDUE, due_on__year=year)
    return _inside(qs, region, "patient__person__region").values("patient").distinct().count()


def overdue_now(*, year, region=None, user=None) -> int:
    """Patients whose follow-up date has passed as of the year's end (or today)."""
    return _patients(region, user).filter(next_followup_on__lt=as_of(year)).count()


# --- guardian subsidy and incidents ------------------------------------------------------------------------


def subsidy_enrolled(*, year, region=None, user=None) -> int:
    qs = _scoped(GuardianSubsidy, user).exclude(status=SubsidyStatus.ENDED).filter(enrolled_on__lte=as_of(year))
    return _inside(qs, region, "patient__person__region").count()


def subsidy_approved(*, year, region=None, user=None) -> int:
    qs = _scoped(SubsidyAward, user).filter(year=year, status=AwardStatus.APPROVED)
    return _inside(qs, region, "subsidy__patient__person__region").count()


def subsidy_paid(*, year, region=None, user=None) -> Decimal:
    qs = _scoped(SubsidyPayment, user).filter(paid_on__year=year)
    total = _inside(qs, region, "award__subsidy__patient__person__region").aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0")


def subsidy_reset(*, year, region=None, user=None) -> int:
    qs = _scoped(GuardianSubsidy, user).filter(status=SubsidyStatus.RESET)
    return _inside(qs, region, "patient__person__region").count()


def incidents(*, year, region=None, user=None) -> int:
    qs = _scoped(Incident, user).filter(occurred_at__year=year)
    return _inside(qs, region, "patient__person__region").count()


def major_incidents(*, year, region=None, user=None) -> int:
    qs = _scoped(Incident, user).filter(occurred_at__year=year, severity="disaster")
    return _inside(qs, region, "patient__person__region").count()


def register() -> None:
    items = [
        ("people.residents", _("实有人口"), residents, "人"),
        ("people.migrants", _("流动人口"), _flag("is_migrant"), "人"),
        ("people.left_behind", _("留守人员"), _flag("is_left_behind"), "人"),
        ("people.foreign", _("境外人员"), _flag("is_foreign"), "人"),
        ("people.houses", _("实有房屋"), houses, "处"),
        ("people.rented_houses", _("出租房屋"), rented_houses, "处"),
    ]
    for model in SPECIAL_MODELS:
        items.append((f"people.{model.kind_key}_count", model._meta.verbose_name, _register(model), "人"))
    items += [
        (f"people.patients_level_{n}", _("严重精神障碍患者（%(n)d级）") % {"n": n}, _level(n), "人") for n in range(6)
    ]
    items += [
        ("people.patients_level_3_up", _("3级及以上严重精神障碍患者"), patients_level_3_up, "人"),
        ("people.level_3_up_team_complete", _("3级及以上患者中管理小组完整的"), level_3_up_team_complete, "人"),
        ("people.teams_complete", _("管理小组完整的患者"), teams_complete, "人"),
        ("people.teams_incomplete", _("管理小组不全的患者"), teams_incomplete, "人"),
        ("people.followups", _("随访次数"), followups, "次"),
        ("people.followup_completion_rate", _("随访完成率"), followup_completion_rate, "%"),
        ("people.followups_overdue", _("随访逾期预警患者"), followups_overdue, "人"),
        ("people.overdue_now", _("当前随访逾期患者"), overdue_now, "人"),
        ("people.subsidy_enrolled", _("纳入以奖代补的监护人"), subsidy_enrolled, "人"),
        ("people.subsidy_approved", _("以奖代补年度批准"), subsidy_approved, "人"),
        ("people.subsidy_paid", _("以奖代补发放金额"), subsidy_paid, "元"),
        ("people.subsidy_reset", _("因肇事肇祸重新计算资格"), subsidy_reset, "人"),
        ("people.incidents", _("患者肇事肇祸"), incidents, "起"),
        ("people.major_incidents", _("患者肇祸"), major_incidents, "起"),
    ]
    for key, label, fn, unit in items:
        kpis.register(key, Kpi(key, label, fn, unit, "people"))
