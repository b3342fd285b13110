"""Figures of the case engine, for every case kind at once (future domains' kinds included): one
query on ``Case`` through ``visible_to(user)`` ("everything overdue in 古城镇").

``user=None`` means the platform itself (reports run by the system, commands)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.registry import Kpi, kpis, volatile
from anmin.workflow.models import Case, Supervision
from anmin.workflow.registry import case_kinds

from .figures import region_prefix


def _cases(user, region: str | None):
    qs = Case.objects.visible_to(user) if user is not None else Case.objects.all()
    return qs.inside(region_prefix(region)) if region else qs


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def kind_labels() -> dict[str, str]:
    return {k.code: str(k.display_label) for k in case_kinds}


def monthly(user, region: str | None, year: int) -> dict[str, dict[str, list[int]]]:
    """{kind: {"opened": [12], "closed": [12]}} for the year."""
    start, end = year_range(year)
    out: dict[str, dict[str, list[int]]] = {}
    base = _cases(user, region)
    for field, name in (("opened_at", "opened"), ("closed_at", "closed")):
        rows = (base.filter(**{f"{field}__gte": start, f"{field}__lt": end}).order_by()
                .annotate(m=ExtractMonth(field)).values_list("kind", "m").annotate(n=Count("pk")))
        for kind, month, n in rows:
            out.setdefault(kind, {"opened": [0] * 12, "closed": [0] * 12})[name][month - 1] = n
    return out


def child_code_length(region: str | None) -> int:
    """How long the code of the next level down is: city → townships (9 + "000"), township →
    villages (12), village → grids (14)."""
    prefix = region_prefix(region)
    return {6: 9, 9: 12}.get(len(prefix), 14)


def _area_code(area: str, n: int) -> str:
    return area + "000" if n == 9 else area


def opened_by_area(user, region: str | None, year: int) -> dict[str, dict[str, int]]:
    """Per child area: cases opened in the year and 督办 issued in it (they move only with records)."""
    n = child_code_length(region)
    start, end = year_range(year)
    out: dict[str, dict[str, int]] = {}
    rows = (_cases(user, region).filter(opened_at__gte=start, opened_at__lt=end).order_by()
            .annotate(area=Substr("region_id", 1, n)).values_list("area").annotate(c=Count("pk")))
    for area, count in rows:
        out.setdefault(_area_code(area, n), {"opened": 0, "supervised": 0})["opened"] = count
    sup = Supervision.objects.visible_to(user) if user is not None else Supervision.objects.all()
    sup = sup.filter(issued_at__gte=start, issued_at__lt=end)
    if region:
        sup = sup.filter(case__region__code__startswith=region_prefix(region))
    for area, count in (sup.order_by().annotate(area=Substr("case__region_id", 1, n)).values_list("area")
                        .annotate(c=Count("pk")).values_list("area", "c")):
        out.setdefault(_area_code(area, n), {"opened": 0, "supervised": 0})["supervised"] = count
    return out


def open_by_area(user, region: str | None) -> dict[str, dict[str, int]]:
    """Per child area, now: open cases, those past their limit and those warned (they move with the
    clock; a query over the open cases alone)."""
    n = child_code_length(region)
    now = clock.now()
    rows = _cases(user, region).filter(is_open=True).order_by().annotate(area=Substr("region_id", 1, n)).values(
        "area").annotate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lte=now, paused_since__isnull=True)),
        warning=Count("pk", filter=Q(warn_at__lte=now, due_at__gt=now, paused_since__isnull=True)),
    )
    return {_area_code(row.pop("area"), n): row for row in rows}


EMPTY_AREA = {"opened": 0, "open": 0, "overdue": 0, "warning": 0, "supervised": 0}


def by_area(opened: dict, now: dict) -> dict[str, dict[str, int]]:
    """Per child area, from the two halves (``opened_by_area``, ``open_by_area``): opened in the year,
    open now, overdue now, warned now, 督办 in the year."""
    return {code: {**EMPTY_AREA, **opened.get(code, {}), **now.get(code, {})} for code in {*opened, *now}}


def overdue_list(user, region: str | None, limit: int = 20):
    return list(_cases(user, region).overdue(clock.now()).select_related("region").order_by("due_at")[:limit])


def newest_list(user, region: str | None, limit: int = 20):
    return list(_cases(user, region).select_related("region").order_by("-opened_at", "-pk")[:limit])


def supervised_list(user, region: str | None, limit: int = 20):
    sup = Supervision.objects.visible_to(user) if user is not None else Supervision.objects.all()
    if region:
        sup = sup.filter(case__region__code__startswith=region_prefix(region))
    return list(sup.unreplied().select_related("case", "to_org").order_by("-issued_at")[:limit])


# --- KPIs of the case engine (registered by analytics: the engine's own figures, all kinds) -------
def supervised(*, year, region=None, user=None) -> int:
    start, end = year_range(year)
    sup = Supervision.objects.visible_to(user) if user is not None else Supervision.objects.all()
    sup = sup.filter(issued_at__gte=start, issued_at__lt=end)
    if region:
        sup = sup.filter(case__region__code__startswith=region_prefix(region))
    return sup.count()


def opened(*, year, region=None, user=None) -> int:
    start, end = year_range(year)
    return _cases(user, region).filter(opened_at__gte=start, opened_at__lt=end).count()


@volatile
def overdue_now(*, year, region=None, user=None) -> int:
    return _cases(user, region).overdue(clock.now()).count()


def register() -> None:
    for key, label, fn, unit in (
        ("cases.opened", _("登记事项（各类）"), opened, "件"),
        ("cases.overdue", _("超期未办结事项（各类）"), overdue_now, "件"),
        ("cases.supervised", _("督办事项"), supervised, "件"),
    ):
        kpis.register(key, Kpi(key, label, fn, unit, "analytics"))
