"""Indicators of the grid domain, computed from records by region and year.

``compute(year=, region=, user=)``: ``region`` is a region code (its subtree counts) or None for the
whole installation; ``user`` (when given) limits the figures to what that user may see.

* 上报网格事件: events reported in the year.
* 办结网格事件: events closed (办结, 回访, 归档) in the year.
* 超期未办结网格事件: open events past their limit now.
* 按类别上报: events reported in the year per category.
* 按期办结率: of the events closed in the year, the share that never ran over a limit — one that
  did got an automatic 督办 from the sweep, so "on time" is "closed without an automatic 督办".
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.models.regions import level_of, prefix_for
from anmin.core.registry import Kpi, kpis
from anmin.workflow.models import Case, Supervision

from .categories import category_choices
from .models import GridEvent
from .workflows import GRID_EVENT

CLOSED_STATES = ("closed", "visited", "archived")


def _prefix(region: str | None) -> str:
    return prefix_for(region, level_of(region)) if region else ""


def _cases(region: str | None, user):
    qs = Case.objects.visible_to(user) if user is not None else Case.objects.all()
    qs = qs.of_kind(GRID_EVENT.code)
    return qs.inside(_prefix(region)) if region else qs


def _year_range(year: int):
    tz = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _reported(year: int, region: str | None, user):
    start, end = _year_range(year)
    return _cases(region, user).filter(opened_at__gte=start, opened_at__lt=end)


def _closed(year: int, region: str | None, user):
    start, end = _year_range(year)
    return _cases(region, user).filter(status__in=CLOSED_STATES, closed_at__gte=start, closed_at__lt=end)


def reported(*, year, region=None, user=None) -> int:
    return _reported(year, region, user).count()


def closed(*, year, region=None, user=None) -> int:
    return _closed(year, region, user).count()


def overdue(*, year, region=None, user=None) -> int:
    return _cases(region, user).overdue(clock.now()).count()


def by_category(*, year, region=None, user=None) -> dict[str, int]:
    cases = _reported(year, region, user).values("pk")
    counts = dict(GridEvent.objects.filter(case__in=cases).values_list("category").annotate(n=Count("pk"))
                  .values_list("category", "n"))
    names = dict(category_choices())
    out = {names.get(code, code): n for code, n in sorted(counts.items())}
    return {name: out.get(name, 0) for name in names.values()} | out


def on_time_rate(*, year, region=None, user=None) -> float:
    done = _closed(year, region, user)
    total = done.count()
    if not total:
        return 0.0
    late = Supervision.objects.filter(case=OuterRef("pk"), automatic=True)
    on_time = done.exclude(Exists(late)).count()
    return round(100.0 * on_time / total, 2)


def register() -> None:
    for key, label, fn, unit in (
        ("grid.reported", _("上报网格事件"), reported, "件"),
        ("grid.closed", _("办结网格事件"), closed, "件"),
        ("grid.overdue", _("超期未办结网格事件"), overdue, "件"),
        ("grid.by_category", _("网格事件按类别上报"), by_category, "件"),
        ("grid.on_time_rate", _("网格事件按期办结率"), on_time_rate, "%"),
    ):
        kpis.register(key, Kpi(key, label, fn, unit, "grid"))
