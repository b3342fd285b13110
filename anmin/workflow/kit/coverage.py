"""Coverage rules as data: "every village has ≥ 1 team of ≥ 10 members", "every school meets all five".

A rule names a registry model, the level of place it is counted at (乡镇(街道) or 村(社区)), which
records count (``where``: field lookups; only records on the register), how many a place needs
(``minimum``) and, optionally, a size each record must reach (``size``: a relation or expression
counted per record, ``size_where`` filtering it, ``min_size``). Apps register rules in
``coverage_rules`` in ``ready()``; analytics and assessment read the gaps from here, never from a
domain::

    coverage_rules.register("prevention.village_patrol", CoverageRule(
        "prevention.village_patrol", "每个村(社区)至少一支不少于10人的巡逻队", app="prevention",
        model="prevention.PatrolTeam", level=3, where={"kind": "village"},
        size="members", size_where={"members__is_active": True}, min_size=10))

    gaps("prevention.village_patrol", within="410881100")   # [Gap(region, found, needed, reason)]
    summary("prevention.village_patrol")                    # Summary(places=678, covered=671, gaps=[...])

A rule's ``minimum`` and ``min_size`` are the declaration's; a city may change them in settings
(``ANMIN_COVERAGE = {"prevention.village_patrol": {"min_size": 8}}``) without touching code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q

from anmin.core.models import Region
from anmin.core.models.regions import level_of, prefix_for
from anmin.core.registry import Registry as KeyedRegistry


@dataclass(frozen=True)
class CoverageRule:
    key: str
    label: str
    app: str
    model: str  # "app_label.ModelName"
    level: int = 3  # 2 乡镇(街道), 3 村(社区): the places that must be covered
    where: dict[str, Any] = field(default_factory=dict)
    minimum: int = 1  # records a place needs
    size: str | None = None  # counted per record (a relation), e.g. "members"
    size_where: dict[str, Any] = field(default_factory=dict)
    min_size: int = 0
    places: dict[str, Any] = field(default_factory=dict)  # which regions must be covered (lookups on Region)
    unit: str = "个"

    def effective(self) -> CoverageRule:
        """The rule with the city's overrides (settings ``ANMIN_COVERAGE``) applied."""
        override = getattr(settings, "ANMIN_COVERAGE", {}).get(self.key)
        return replace(self, **{k: v for k, v in override.items() if k in ("minimum", "min_size")}) \
            if override else self

    def describe_need(self) -> str:
        size = f"（每{self.unit}不少于 {self.min_size} 人）" if self.size and self.min_size else ""
        return f"至少 {self.minimum} {self.unit}{size}"


coverage_rules: KeyedRegistry[CoverageRule] = KeyedRegistry("coverage rules")


@dataclass(frozen=True)
class Gap:
    region: str  # the place's code
    name: str
    township: str  # its township's name ("" for a township)
    found: int  # qualifying records there
    needed: int
    reason: str


@dataclass(frozen=True)
class Summary:
    rule: CoverageRule
    places: int
    covered: int
    gaps: list[Gap]

    @property
    def rate(self) -> float:
        return round(100 * self.covered / self.places, 1) if self.places else 100.0


def _rule(rule: CoverageRule | str) -> CoverageRule:
    return (coverage_rules.get(rule) if isinstance(rule, str) else rule).effective()


def _scope_prefix(within: str | None) -> str:
    return prefix_for(within, level_of(within)) if within else ""


def qualifying(rule: CoverageRule | str, *, within: str | None = None, user=None):
    """The records that count towards the rule (on the register, matching ``where``, big enough)."""
    rule = _rule(rule)
    model = apps.get_model(rule.model)
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    qs = qs.filter(is_active=True, **rule.where)
    if within:
        qs = qs.filter(region__code__startswith=_scope_prefix(within))
    if rule.size and rule.min_size:
        qs = qs.annotate(_size=Count(rule.size, filter=Q(**rule.size_where) if rule.size_where else None,
                                     distinct=True)).filter(_size__gte=rule.min_size)
    return qs


def summary(rule: CoverageRule | str, *, within: str | None = None, user=None) -> Summary:
    """Places at the rule's level inside ``within`` (a region code; None: the whole city), how many
    are covered, and the gap list (places short of the rule, with what they have)."""
    rule = _rule(rule)
    found = Counter(prefix_for(code, rule.level)[: 9 if rule.level == 2 else 12]
                    for code in qualifying(rule, within=within, user=user).values_list("region_id", flat=True))
    places = Region.objects.filter(level=rule.level, **rule.places)
    if within:
        places = places.filter(code__startswith=_scope_prefix(within))
    if user is not None:
        places = places.visible_to(user)
    gaps, covered, total = [], 0, 0
    for code, name, township in places.order_by("code").values_list("code", "name", "parent__name"):
        total += 1
        n = found.get(code[: 9 if rule.level == 2 else 12], 0)
        if n >= rule.minimum:
            covered += 1
            continue
        reason = f"现有 {n} {rule.unit}，应{rule.describe_need()}"
        gaps.append(Gap(code, name, township if rule.level > 2 else "", n, rule.minimum, reason))
    return Summary(rule, total, covered, gaps)


def gaps(rule: CoverageRule | str, *, within: str | None = None, user=None) -> list[Gap]:
    return summary(rule, within=within, user=user).gaps


def rules_for(model) -> list[CoverageRule]:
    """The rules counted on a model (for its ledger page)."""
    label = f"{model._meta.app_label}.{model.__name__}".lower()
    return [r for r in coverage_rules if r.model.lower() == label]
