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

A second shape, ``ChecklistRule``, is counted per record rather than per place: "every school on the
register meets all five 100% items in the term" names the records (``model``), the checks kept
against them (``checks``: one per record and period, holding the codes of the items met) and the
checklist (``items``, data). Its gap list names each record short of an item, with the items it
lacks; ``summary()`` answers both shapes alike (places = records for a checklist).

A rule's ``minimum`` and ``min_size`` are the declaration's; a city may change them in settings
(``ANMIN_COVERAGE = {"prevention.village_patrol": {"min_size": 8}}``) without touching code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Union

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


@dataclass(frozen=True)
class ChecklistRule:
    """Every record of ``model`` on the register meets every item of a checklist in a period."""

    key: str
    label: str
    app: str
    model: str  # the records that must comply, "campus.School"
    checks: str  # the checks kept against them, "campus.SafetyCheck"
    record_field: str  # the check's foreign key to the record, "school"
    items: Callable[[], Sequence[tuple[str, str]]]  # the checklist: (code, name), data
    period_of_year: Callable[[int], str]  # the period a year's figures use ("2020-2")
    items_field: str = "items"  # the check's list of item codes met
    period_field: str = "term"
    where: dict[str, Any] = field(default_factory=dict)
    unit: str = "所"
    level: int = 0  # not counted by place

    def effective(self) -> ChecklistRule:
        return self

    def describe_need(self) -> str:
        return "、".join(name for _c, name in self.items())

    def records(self, *, within: str | None = None, user=None):
        model = apps.get_model(self.model)
        qs = model.objects.visible_to(user) if user is not None else model.objects.all()
        qs = qs.filter(is_active=True, **self.where)
        return qs.filter(region__code__startswith=_scope_prefix(within)) if within else qs

    def missing(self, records, period: str) -> list[tuple[Any, list[str]]]:
        """(record, codes of the items it lacks in ``period``) for each record short of any item
        (no check recorded for the period: all of them)."""
        return self._missing(records, period)[0]

    def _missing(self, records, period: str) -> tuple[list[tuple[Any, list[str]]], int]:
        codes = [c for c, _n in self.items()]
        pks = list(records.values_list("pk", flat=True))
        met: dict[Any, set[str]] = {}
        checks = apps.get_model(self.checks).objects.filter(**{self.period_field: period})
        for i in range(0, len(pks), 5000):
            for pk, items in checks.filter(**{f"{self.record_field}_id__in": pks[i:i + 5000]}).values_list(
                    f"{self.record_field}_id", self.items_field):
                met[pk] = set(items or ())
        short = {pk: [c for c in codes if c not in met.get(pk, set())] for pk in pks}
        short = {pk: lacks for pk, lacks in short.items() if lacks}
        model = apps.get_model(self.model)
        found = model.objects.filter(pk__in=list(short)).select_related("region__parent").order_by("region_id", "pk")
        return [(record, short[record.pk]) for record in found], len(pks)

    def summary(self, *, within: str | None = None, user=None, period: str | None = None) -> Summary:
        from anmin.core import clock

        period = period or self.period_of_year(clock.today().year)
        records = self.records(within=within, user=user)
        names = dict(self.items())
        gaps = []
        missing, count = self._missing(records, period)
        for record, lacks in missing:
            region = record.region
            township = region.parent.name if region.parent is not None and region.level > 2 else ""
            url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
            gaps.append(Gap(region.code, str(record), township, len(names) - len(lacks), len(names),
                            "缺：" + "、".join(names[c] for c in lacks), url=url, missing=tuple(lacks)))
        return Summary(self, count, count - len(gaps), gaps)


AnyRule = Union[CoverageRule, ChecklistRule]  # noqa: UP007 (a runtime alias)

coverage_rules: KeyedRegistry[AnyRule] = KeyedRegistry("coverage rules")


@dataclass(frozen=True)
class Gap:
    region: str  # the place's code
    name: str
    township: str  # its township's name ("" for a township)
    found: int  # qualifying records there (a checklist: items met)
    needed: int
    reason: str
    url: str = ""  # the record short of a checklist (a place's gap has none)
    missing: tuple[str, ...] = ()  # a checklist: codes of the items lacking


@dataclass(frozen=True)
class Summary:
    rule: AnyRule
    places: int
    covered: int
    gaps: list[Gap]

    @property
    def rate(self) -> float:
        return round(100 * self.covered / self.places, 1) if self.places else 100.0


def _rule(rule: AnyRule | str) -> AnyRule:
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


def summary(rule: AnyRule | str, *, within: str | None = None, user=None, period: str | None = None) -> Summary:
    """Places at the rule's level inside ``within`` (a region code; None: the whole city), how many
    are covered, and the gap list (places short of the rule, with what they have). A checklist rule:
    its records, how many meet every item in ``period`` (default: this year's), and those that do not."""
    rule = _rule(rule)
    if isinstance(rule, ChecklistRule):
        return rule.summary(within=within, user=user, period=period)
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


def gaps(rule: AnyRule | str, *, within: str | None = None, user=None, period: str | None = None) -> list[Gap]:
    return summary(rule, within=within, user=user, period=period).gaps


def rules_for(model) -> list[AnyRule]:
    """The rules counted on a model (for its ledger page)."""
    label = f"{model._meta.app_label}.{model.__name__}".lower()
    return [r for r in coverage_rules if r.model.lower() == label]
