"""The indicators every case kind has, computed from its cases by region and year, with the kind's own
done states: found (reported), closed, overdue now, on-time rate.

    CaseKpis(GRID_EVENT).register("grid", {"reported": _("上报网格事件"), "closed": …, "overdue": …,
                                           "on_time_rate": …})

``compute(year=, region=, user=)``: ``region`` is a region code (its subtree counts) or None for the
whole installation; ``user`` (when given) limits the figures to what that user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from anmin.core import clock
from anmin.core.areas import count_by_area
from anmin.core.models.regions import level_of, prefix_for
from anmin.core.registry import Kpi, kpis, volatile

from ..models import Case, Supervision
from .filters import NOT_HANDLED

UNITS = {"reported": "件", "closed": "件", "overdue": "件", "on_time_rate": "%"}


def region_prefix(region: str | None) -> str:
    return prefix_for(region, level_of(region)) if region else ""


def year_range(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def rate(num: int, den: int) -> float:
    """num / den in percent, two decimals (0 when there is nothing to divide by)."""
    return round(100.0 * num / den, 2) if den else 0.0


class CaseKpis:
    def __init__(self, kind) -> None:
        self.kind = kind

    @property
    def closed_states(self) -> tuple[str, ...]:
        """The kind's done states that mean "handled" (not rejected or a duplicate)."""
        return tuple(s.code for s in self.kind.workflow.states if s.done and s.code not in NOT_HANDLED)

    def cases(self, region: str | None = None, user=None):
        qs = Case.objects.visible_to(user) if user is not None else Case.objects.all()
        qs = qs.of_kind(self.kind.code)
        return qs.inside(region_prefix(region)) if region else qs

    def reported_in(self, year: int, region=None, user=None):
        start, end = year_range(year)
        return self.cases(region, user).filter(opened_at__gte=start, opened_at__lt=end)

    def closed_in(self, year: int, region=None, user=None):
        start, end = year_range(year)
        return self.cases(region, user).filter(status__in=self.closed_states, closed_at__gte=start, closed_at__lt=end)

    def reported(self, *, year, region=None, user=None) -> int:
        return self.reported_in(year, region, user).count()

    def closed(self, *, year, region=None, user=None) -> int:
        return self.closed_in(year, region, user).count()

    @volatile
    def overdue(self, *, year, region=None, user=None) -> int:
        """Open cases past their limit now (``year`` is not used: overdue is a state of today)."""
        return self.cases(region, user).overdue(clock.now()).count()

    def on_time_rate(self, *, year, region=None, user=None) -> float:
        """Of the cases closed in the year, the share that never ran over a limit — one that did got an
        automatic 督办 from the sweep, so "on time" is "closed without an automatic 督办"."""
        done = self.closed_in(year, region, user)
        total = done.count()
        if not total:
            return 0.0
        late = Supervision.objects.filter(case=OuterRef("pk"), automatic=True)
        return rate(done.exclude(Exists(late)).count(), total)

    # The same indicators for sibling areas at once (``Kpi.by_area``; ``core.areas``).
    def reported_by_area(self, *, year, region=None, codes, user=None) -> dict[str, int]:
        return _counts(count_by_area(self.reported_in(year, region, user), "region", codes, n=Count("pk")))

    def closed_by_area(self, *, year, region=None, codes, user=None) -> dict[str, int]:
        return _counts(count_by_area(self.closed_in(year, region, user), "region", codes, n=Count("pk")))

    def overdue_by_area(self, *, year, region=None, codes, user=None) -> dict[str, int]:
        return _counts(count_by_area(self.cases(region, user).overdue(clock.now()), "region", codes, n=Count("pk")))

    def on_time_rate_by_area(self, *, year, region=None, codes, user=None) -> dict[str, float]:
        late = Supervision.objects.filter(case=OuterRef("pk"), automatic=True)
        rows = count_by_area(self.closed_in(year, region, user), "region", codes,
                             total=Count("pk"), on_time=Count("pk", filter=~Q(Exists(late))))
        return {code: rate(row["on_time"], row["total"]) for code, row in rows.items()}

    def kpi(self, key: str, label, name: str) -> Kpi:
        """The indicator ``name`` (reported, closed, overdue, on_time_rate) as ``key``, with its
        by-area form."""
        return Kpi(key, label, getattr(self, name), UNITS[name], key.partition(".")[0],
                   by_area=getattr(self, f"{name}_by_area"))

    def count_by(self, model, field: str, choices: Callable[[], list]) -> Callable[..., dict[str, int]]:
        """An indicator: the cases reported in the year counted by a field of the detail ``model``, named
        by ``choices()`` ((code, name) in order; every name, 0 when none, then codes no longer listed)."""

        def compute(*, year, region=None, user=None) -> dict[str, int]:
            cases = self.reported_in(year, region, user).values("pk")
            counts = dict(model.objects.filter(case__in=cases).values_list(field).annotate(n=Count("pk"))
                          .values_list(field, "n"))
            names = dict(choices())
            out = {names.get(code, code): n for code, n in sorted(counts.items())}
            return {name: out.get(name, 0) for name in names.values()} | out

        return compute

    def register(self, prefix: str, labels: dict[str, str]) -> None:
        """Register ``<prefix>.<name>`` for each named indicator (reported, closed, overdue,
        on_time_rate) under the given label."""
        for name, label in labels.items():
            key = f"{prefix}.{name}"
            kpis.register(key, self.kpi(key, label, name))


def _counts(rows: dict[str, dict[str, int]]) -> dict[str, int]:
    return {code: row["n"] for code, row in rows.items()}
