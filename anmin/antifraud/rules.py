"""Grading and routing of a warning lead, both by rules held as data (``GradeRule``, ``RoutingRule``).

Grade: every active rule whose conditions all hold (fraud type, amount at risk, victim profile) raises
the lead at least to its grade; the highest wins, no match is 低. The default rules (``DEFAULT_GRADE_RULES``,
loaded with the reference data, editable in the admin) follow the practice of the warning centres.

Route: the nearest ``RoutingRule`` up the victim's region; without one, the active police station
whose unit sits in the victim's township (the organisation register is data too).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from anmin.core import scopecache
from anmin.core.models import OrgUnit, Region
from anmin.core.models.orgs import OrgKind
from anmin.workflow.rules import CentreFinder, region_chain

from .models import GRADE_RANK, Grade, GradeRule, RoutingRule, VictimProfile

# (name, fraud type or "", minimum amount or None, profile, grade, order)
DEFAULT_GRADE_RULES = (
    ("冒充公检法一律特高", "04", None, "", Grade.CRITICAL, 10),
    ("涉及金额50万元以上", "", Decimal("500000"), "", Grade.CRITICAL, 20),
    ("老年人涉及金额5万元以上", "", Decimal("50000"), VictimProfile.ELDERLY, Grade.CRITICAL, 30),
    ("涉及金额5万元以上", "", Decimal("50000"), "", Grade.HIGH, 40),
    ("虚假投资理财", "02", None, "", Grade.HIGH, 50),
    ("杀猪盘", "06", None, "", Grade.HIGH, 60),
    ("60岁以上老人", "", None, VictimProfile.ELDERLY, Grade.HIGH, 70),
    ("涉及金额1万元以上", "", Decimal("10000"), "", Grade.MEDIUM, 80),
    ("刷单返利", "01", None, "", Grade.MEDIUM, 90),
    ("冒充客服", "03", None, "", Grade.MEDIUM, 100),
    ("25岁以下青年/学生", "", None, VictimProfile.YOUNG, Grade.MEDIUM, 110),
)


def ensure_default_grade_rules() -> dict[str, int]:
    """Create the default rules when the table is empty (a city's edits are never overwritten)."""
    if GradeRule.objects.exists():
        return {"grade_rules": 0}
    GradeRule.objects.bulk_create([
        GradeRule(name=name, fraud_type=ft, min_amount=amount, profile=profile, grade=grade, order=order)
        for name, ft, amount, profile, grade, order in DEFAULT_GRADE_RULES
    ])
    scopecache.bump(None, reference=True)
    return {"grade_rules": len(DEFAULT_GRADE_RULES)}


def profile_of(age: int | None) -> str:
    if age is None:
        return ""
    if age >= 60:
        return VictimProfile.ELDERLY
    if age <= 25:
        return VictimProfile.YOUNG
    return ""


@dataclass(frozen=True)
class Graded:
    grade: str
    reason: str


class Grader:
    """Grades leads with the active rules (read once per instance: a batch asks the table once)."""

    def __init__(self) -> None:
        self.rules = list(GradeRule.objects.filter(is_active=True).order_by("order", "pk"))

    def grade(self, *, fraud_type: str, amount: Decimal | None, age: int | None) -> Graded:
        profile = profile_of(age)
        best, reasons = Grade.LOW, []
        for rule in self.rules:
            if rule.fraud_type and rule.fraud_type != fraud_type:
                continue
            if rule.min_amount is not None and (amount is None or amount < rule.min_amount):
                continue
            if rule.profile and rule.profile != profile:
                continue
            if GRADE_RANK[Grade(rule.grade)] > GRADE_RANK[Grade(best)]:
                best, reasons = rule.grade, [rule.name]
            elif rule.grade == best:
                reasons.append(rule.name)
        reason = "；".join(reasons) if reasons else "未命中定级规则，默认低"
        return Graded(best, reason[:200])


class Router:
    """Finds the police station for a region (cached per instance)."""

    def __init__(self) -> None:
        self.rules = {r.region_id: r.org for r in RoutingRule.objects.select_related("org")}
        self.stations: dict[str, OrgUnit] = {}
        for org in OrgUnit.objects.filter(kind=OrgKind.POLICE_STATION, is_active=True).order_by("pk"):
            self.stations.setdefault(org.region_id, org)

    def route(self, region_code: str) -> tuple[OrgUnit | None, str]:
        """(the station, why) — or (None, why not)."""
        chain = region_chain(region_code)
        for code in chain:
            if code in self.rules:
                return self.rules[code], f"分派规则：{code} → {self.rules[code].name}"
        for code in chain:
            station = self.stations.get(code)
            if station is not None:
                return station, f"辖区派出所：{station.name}"
        return None, "未找到辖区派出所，待乡镇综治中心人工分派"


class IntakeRules:
    """Everything taking in a lead reads besides the lead itself — the grading rules, the routing
    rules and stations, the intake centres, the places named — read once per process and kept until
    reference data changes (``intake_rules``): a lead pushed alone costs no query for any of them."""

    def __init__(self) -> None:
        self.grader = Grader()
        self.router = Router()
        self.centres = CentreFinder()
        self.centres.preload()
        self._places: dict[str, Region | None] = {}

    def place(self, code: str) -> Region | None:
        """The region with this code (its parents loaded, for its full name), or None."""
        if code not in self._places:
            self._places[code] = (Region.objects.select_related("parent__parent__parent").filter(pk=code).first()
                                  if code else None)
        return self._places[code]


def intake_rules() -> IntakeRules:
    """This process's ``IntakeRules``, new after any write to reference data — regions, units, or
    the grading and routing rules (``bump_on_rule_change``) — committed in any process."""
    return scopecache.reference_object("antifraud.intake_rules", IntakeRules)


def bump_on_rule_change(sender, **kwargs) -> None:
    """A grading or routing rule was saved or deleted: every process reads the rules again."""
    scopecache.bump(None, reference=True)
