"""Indicators of severe-mental-disorder care, computed from the records (keys ``care.*``, as the
year-end report and the assessment read them).

``compute(year=, region=, user=None)`` as people's: ``region`` a code or a Region (its subtree) or None,
``user`` limits to what that user may see. The register (patients by level, teams) counts what is in
force now; events (follow-ups, warnings, incidents, subsidy decisions and payments) count the year's.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from anmin.core.areas import bucket
from anmin.core.registry import Kpi, kpis
from anmin.people.kpis import as_of, inside, register_count, scoped
from anmin.people.models.choices import AwardStatus, RecordStatus, SubsidyStatus, VisitKind, VisitOutcome, WarningKind

from . import rules
from .models import FollowUpWarning, GuardianSubsidy, Incident, MentalPatient, SubsidyAward, SubsidyPayment, Visit


def _patients(region, user):
    qs = scoped(MentalPatient, user).filter(status=RecordStatus.ACTIVE)
    return inside(qs, region, "person__region")


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
    qs = scoped(Visit, user).filter(kind=VisitKind.FOLLOW_UP, visited_at__year=year)
    return inside(qs, region, "person__region").count()


def _followup_counts(year: int, region, user):
    """(the person's region, registered on, the year's follow-ups that count) of every patient on the
    register by the year's end."""
    return (
        _patients(region, user)
        .filter(registered_on__lte=as_of(year))
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
        .values_list("person__region", "registered_on", "n")
    )


def _completion_rate(year: int, rows) -> float:
    day, cfg = as_of(year), rules.current_rules()
    total = done = 0
    for registered_on, n in rows:
        need = rules.required_followups(year=year, registered_on=registered_on, as_of=day, rules=cfg)
        total += 1
        done += n >= need
    return round(100.0 * done / total, 2) if total else 0.0


def followup_completion_rate(*, year, region=None, user=None) -> float:
    """Share (%) of patients on the register who had, by the year's end (or today), at least the
    follow-ups the rules ask for (at least N a year, pro rata from registration)."""
    return _completion_rate(year, ((on, n) for _r, on, n in _followup_counts(year, region, user)))


def followup_completion_rate_by_area(*, year, region=None, codes, user=None) -> dict[str, float]:
    rows = bucket(((r, (on, n)) for r, on, n in _followup_counts(year, region, user)), codes)
    return {code: _completion_rate(year, items) for code, items in rows.items()}


def followups_overdue(*, year, region=None, user=None) -> int:
    """Patients warned as overdue in the year (the sweep raises one warning per due date)."""
    qs = scoped(FollowUpWarning, user).filter(kind=WarningKind.OVERDUE, due_on__year=year)
    return inside(qs, region, "patient__person__region").values("patient").distinct().count()


def overdue_now(*, year, region=None, user=None) -> int:
    """Patients whose follow-up date has passed as of the year's end (or today)."""
    return _patients(region, user).filter(next_followup_on__lt=as_of(year)).count()


# --- guardian subsidy and incidents ------------------------------------------------------------------------


def subsidy_enrolled(*, year, region=None, user=None) -> int:
    qs = scoped(GuardianSubsidy, user).exclude(status=SubsidyStatus.ENDED).filter(enrolled_on__lte=as_of(year))
    return inside(qs, region, "patient__person__region").count()


def subsidy_approved(*, year, region=None, user=None) -> int:
    qs = scoped(SubsidyAward, user).filter(year=year, status=AwardStatus.APPROVED)
    return inside(qs, region, "subsidy__patient__person__region").count()


def subsidy_paid(*, year, region=None, user=None) -> Decimal:
    qs = scoped(SubsidyPayment, user).filter(paid_on__year=year)
    total = inside(qs, region, "award__subsidy__patient__person__region").aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0")


def subsidy_reset(*, year, region=None, user=None) -> int:
    qs = scoped(GuardianSubsidy, user).filter(status=SubsidyStatus.RESET)
    return inside(qs, region, "patient__person__region").count()


def incidents(*, year, region=None, user=None) -> int:
    qs = scoped(Incident, user).filter(occurred_at__year=year)
    return inside(qs, region, "patient__person__region").count()


def major_incidents(*, year, region=None, user=None) -> int:
    qs = scoped(Incident, user).filter(occurred_at__year=year, severity="disaster")
    return inside(qs, region, "patient__person__region").count()


def register() -> None:
    items = [("care.mental_count", MentalPatient._meta.verbose_name, register_count(MentalPatient), "人")]
    items += [
        (f"care.patients_level_{n}", _("严重精神障碍患者（%(n)d级）") % {"n": n}, _level(n), "人") for n in range(6)
    ]
    items += [
        ("care.patients_level_3_up", _("3级及以上严重精神障碍患者"), patients_level_3_up, "人"),
        ("care.level_3_up_team_complete", _("3级及以上患者中管理小组完整的"), level_3_up_team_complete, "人"),
        ("care.teams_complete", _("管理小组完整的患者"), teams_complete, "人"),
        ("care.teams_incomplete", _("管理小组不全的患者"), teams_incomplete, "人"),
        ("care.followups", _("随访次数"), followups, "次"),
        ("care.followup_completion_rate", _("随访完成率"), followup_completion_rate, "%"),
        ("care.followups_overdue", _("随访逾期预警患者"), followups_overdue, "人"),
        ("care.overdue_now", _("当前随访逾期患者"), overdue_now, "人"),
        ("care.subsidy_enrolled", _("纳入以奖代补的监护人"), subsidy_enrolled, "人"),
        ("care.subsidy_approved", _("以奖代补年度批准"), subsidy_approved, "人"),
        ("care.subsidy_paid", _("以奖代补发放金额"), subsidy_paid, "元"),
        ("care.subsidy_reset", _("因肇事肇祸重新计算资格"), subsidy_reset, "人"),
        ("care.incidents", _("患者肇事肇祸"), incidents, "起"),
        ("care.major_incidents", _("患者肇祸"), major_incidents, "起"),
    ]
    by_area = {"care.followup_completion_rate": followup_completion_rate_by_area}
    for key, label, fn, unit in items:
        kpis.register(key, Kpi(key, label, fn, unit, "care", by_area=by_area.get(key)))
