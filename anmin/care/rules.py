"""The configurable care rules for severe mental disorders, and the computations that use them.

The rules are data (``CareConfig``, editable by the system administrator); what is not configured
falls back to ``DEFAULT_RULES``, taken from national practice (domain_notes):

* follow-ups: unstable (level 3–5) every 2 weeks; basically stable (level 1–2) 2 weeks, then 3
  months if better or 1 month if not; stable (level 0) 3 months; and at least 4 a year whatever
  the level (no interval longer than a year divided by that number);
* the "五位一体" care team: a township/village cadre, the grid worker, a police officer, a
  mental-health or village doctor, and the guardian;
* the guardian subsidy "以奖代补": a patient at level ≥ 3 with a history of incidents; the village
  checks the care log every quarter; the township approves once a year if no incident occurred; an
  incident starts the period over.
"""

from __future__ import annotations

import copy
import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from anmin.people.calendar import today  # noqa: F401  (care's schedule reads the platform's date)
from anmin.people.models.choices import CONDITION_SEVERITY, Condition

DEFAULT_RULES: dict[str, Any] = {
    "condition_by_level": {
        "0": "stable",
        "1": "basic",
        "2": "basic",
        "3": "unstable",
        "4": "unstable",
        "5": "unstable",
    },
    "followup_days": {"unstable": 14, "basic_first": 14, "basic_improved": 90, "basic_not_improved": 30, "stable": 90},
    "min_followups_per_year": 4,
    "due_soon_days": 3,
    # Each inner list is one place on the team; any of its roles fills it.
    "care_team": [["cadre"], ["grid_worker"], ["police"], ["psychiatrist", "village_doctor"], ["guardian"]],
    "subsidy": {"min_level": 3, "require_incident_history": True, "annual_amount": "2000", "checks_per_year": 4},
    # Reading the diagnosis and follow-up notes (care.actions.notes): must the reader give a reason?
    # "team": the patient's care team; "office": holders of care.read_care_notes (the township centre).
    "notes": {"reason_required": {"team": False, "office": True}},
}

_CACHE_SECONDS = 30
_cache: dict[str, tuple[float, dict]] = {}


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in (override or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def validate_rules(rules: dict) -> None:
    """Refuse a configuration the computations cannot use (message names the item and the rule)."""
    merged = _merge(DEFAULT_RULES, rules)
    for key, days in merged["followup_days"].items():
        if not isinstance(days, int) or days < 1:
            raise ValidationError(f"随访间隔 {key}：须为正整数天数")
    if not isinstance(merged["min_followups_per_year"], int) or not 1 <= merged["min_followups_per_year"] <= 52:
        raise ValidationError("每年最少随访次数：须为 1 至 52 的整数")
    for level, cond in merged["condition_by_level"].items():
        if cond not in Condition.values:
            raise ValidationError(f"等级 {level} 对应的病情：须为 {', '.join(Condition.values)} 之一")
    from .models.choices import TeamRole

    team = merged["care_team"]
    if not team or any(not group or any(r not in TeamRole.values for r in group) for group in team):
        raise ValidationError(f"管理小组组成：每一项须为 {', '.join(TeamRole.values)} 中的一个或多个")
    needs = (merged.get("notes") or {}).get("reason_required")
    if not isinstance(needs, dict) or any(
            k not in ("team", "office") or not isinstance(v, bool) for k, v in needs.items()):
        raise ValidationError("查看诊断和随访记录须填事由：须为 {\"team\": true/false, \"office\": true/false}")
    try:
        Decimal(str(merged["subsidy"]["annual_amount"]))
    except ArithmeticError:
        raise ValidationError("以奖代补年度标准：须为金额") from None


def current_rules() -> dict[str, Any]:
    """The rules in force: the ``default`` CareConfig row over the defaults, cached briefly."""
    hit = _cache.get("default")
    now = time.monotonic()
    if hit is not None and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    from .models import CareConfig

    row = CareConfig.objects.filter(key="default").values_list("rules", flat=True).first()
    rules = _merge(DEFAULT_RULES, row or {})
    _cache["default"] = (now, rules)
    return rules


def clear_cache() -> None:
    _cache.clear()


# --- follow-up schedule -------------------------------------------------------------------------


def condition_for_level(level: int, rules: dict | None = None) -> str:
    rules = rules or current_rules()
    return rules["condition_by_level"].get(str(level), Condition.UNSTABLE)


def effective_condition(level: int, observed: str | None, rules: dict | None = None) -> str:
    """The more severe of what the level implies and what was observed at the visit."""
    by_level = condition_for_level(level, rules)
    if observed and CONDITION_SEVERITY.get(observed, 0) > CONDITION_SEVERITY.get(by_level, 0):
        return observed
    return by_level


@dataclass(frozen=True)
class Due:
    on: dt.date
    days: int
    reason: str  # Chinese, for the form's help text and error messages


def next_followup(
    *,
    level: int,
    on: dt.date,
    observed: str | None = None,
    previous: str | None = None,
    improved: bool = False,
    rules: dict | None = None,
) -> Due:
    """When the next follow-up is due after one on ``on`` (the latest date the rules allow)."""
    rules = rules or current_rules()
    days_for = rules["followup_days"]
    condition = effective_condition(level, observed, rules)
    if condition == Condition.UNSTABLE:
        days, reason = days_for["unstable"], f"病情不稳定（{level}级），每{days_for['unstable']}天随访"
    elif condition == Condition.BASIC:
        if previous != Condition.BASIC:
            days, reason = days_for["basic_first"], f"病情基本稳定，{days_for['basic_first']}天后复查"
        elif improved:
            days, reason = days_for["basic_improved"], f"基本稳定且好转，{days_for['basic_improved']}天后随访"
        else:
            days, reason = days_for["basic_not_improved"], f"基本稳定未好转，{days_for['basic_not_improved']}天后随访"
    else:
        days, reason = days_for["stable"], f"病情稳定，每{days_for['stable']}天随访"
    cap = 365 // rules["min_followups_per_year"]
    if days > cap:
        days, reason = cap, f"每年至少随访{rules['min_followups_per_year']}次，间隔不超过{cap}天"
    return Due(on + dt.timedelta(days=days), days, reason)


def required_followups(*, year: int, registered_on: dt.date | None, as_of: dt.date, rules: dict | None = None) -> int:
    """How many follow-ups a patient should have had in ``year`` by ``as_of`` (pro rata, at least 1
    once a whole interval has passed): the basis of the completion rate."""
    rules = rules or current_rules()
    start = max(dt.date(year, 1, 1), registered_on or dt.date(year, 1, 1))
    end = min(dt.date(year, 12, 31), as_of)
    if end < start:
        return 0
    span = (end - start).days + 1
    return int(rules["min_followups_per_year"] * span // 365)


# --- care team ------------------------------------------------------------------------------------


def team_groups(rules: dict | None = None) -> list[list[str]]:
    return (rules or current_rules())["care_team"]


def missing_team_roles(roles_present: set[str], rules: dict | None = None) -> list[list[str]]:
    return [group for group in team_groups(rules) if not roles_present.intersection(group)]


# --- guardian subsidy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]  # why not (Chinese), empty when eligible


def subsidy_eligibility(
    *,
    patient,
    year: int,
    incident_dates: list[dt.date],
    subsidy=None,
    passed_checks: int | None = None,
    rules: dict | None = None,
) -> Eligibility:
    """Whether the guardian's reward for ``year`` may be approved.

    ``incident_dates``: the dates of the patient's recorded incidents (all of them). Rules: level at
    least ``min_level``; an incident history (before the period, or declared at registration) when
    required; no incident in the year or since the period started; and, when ``passed_checks`` is
    given, the village's quarterly care-log checks of the year all passed.
    """
    rules = rules or current_rules()
    cfg = rules["subsidy"]
    reasons = []
    if patient.risk_level < cfg["min_level"]:
        reasons.append(f"危险性评估等级为{patient.risk_level}级，须不低于{cfg['min_level']}级")
    period_start = subsidy.period_start if subsidy is not None else None
    if cfg["require_incident_history"]:
        before = [d for d in incident_dates if period_start is None or d < period_start]
        if not (patient.has_incident_history or before):
            reasons.append("无肇事肇祸史")
    in_year = [d for d in incident_dates if d.year == year]
    if in_year:
        reasons.append(f"{year}年内发生肇事肇祸{len(in_year)}次，资格重新计算")
    elif period_start is not None and period_start > dt.date(year, 1, 1):
        # An incident (or a later enrolment) started the period within the year: not a whole year.
        reasons.append(f"本期自{period_start:%Y-%m-%d}起算，未满{year}年全年")
    if passed_checks is not None and passed_checks < cfg["checks_per_year"]:
        reasons.append(f"{year}年看护记录检查合格{passed_checks}次，须满{cfg['checks_per_year']}次")
    return Eligibility(not reasons, tuple(reasons))
