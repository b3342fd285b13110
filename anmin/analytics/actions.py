"""Writes of analytics: asking for a report (generated in the background) and recording its progress."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max

from anmin.core import audit, clock
from anmin.core.actors import as_user
from anmin.core.errors import Invalid
from anmin.core.guards import action

from .models import ReportKind, ReportRun, RunStatus

PERIOD = {"monthly": re.compile(r"^\d{4}-(0?[1-9]|1[0-2])$"), "quarterly": re.compile(r"^\d{4}-[Qq][1-4]$")}


@action(perm="analytics.add_reportrun", what="生成报告")
def request_report(*, actor, kind: str, year, region, period: str = "", want_pdf: bool = True,
                   enqueue: bool = True) -> ReportRun:
    """Queue a report; the worker generates it (``tasks.generate_report_task``). Every request is a
    new version, kept. A monthly or quarterly bulletin is of its ``period`` (2020-11, 2020-Q4), whose
    year ``year`` may leave out but must not contradict; an annual report is of ``year`` and has no
    period."""
    if kind not in ReportKind.values:
        raise Invalid("「报告类型」无效", field="kind")
    today = clock.today()  # a report of what has not happened yet is a report of zeros
    period = (period or "").strip()
    text = str(year if year is not None else "").strip()
    if not text and kind in PERIOD and period:
        text = period[:4]  # the period's year: nothing to disagree with
    if not text:
        raise Invalid("「年度」为必填项", field="year")
    if not re.fullmatch(r"\d{4}", text):
        raise Invalid(f"「年度」请填写四位数字的年份，如 {today.year}", field="year")
    year = int(text)
    if not 2000 <= year <= 2100:
        raise Invalid("「年度」应在 2000 至 2100 之间", field="year")
    if kind in PERIOD:
        if not PERIOD[kind].match(period):
            example = "2020-11" if kind == "monthly" else "2020-Q4"
            raise Invalid(f"「期间」{ReportKind(kind).label}请填写如 {example} 的期间", field="period")
    elif period:
        raise Invalid("「期间」只用于月度、季度通报；年度工作总结请留空", field="period")
    if kind in PERIOD:
        part = int(period[5:]) if kind == "monthly" else int(period[-1])
        now = today.month if kind == "monthly" else (today.month - 1) // 3 + 1
        if (int(period[:4]), part) > (today.year, now):
            raise Invalid("「期间」不能晚于" + ("本月" if kind == "monthly" else "本季度"), field="period")
    elif year > today.year:
        raise Invalid(f"「年度」不能晚于今年（{today.year}年）", field="year")
    if kind in PERIOD and int(period[:4]) != year:
        raise Invalid(f"「期间」{period} 与「年度」{year} 不一致：通报的年份以期间为准，请改正其中一项", field="period")
    if region is None:
        raise Invalid("您的账号没有所属区域，不能生成报告", field="region")
    with transaction.atomic():
        last = ReportRun.objects.filter(kind=kind, year=year, period=period, region=region).aggregate(
            v=Max("version"))["v"] or 0
        run = ReportRun.objects.create(kind=kind, year=year, period=period, region=region, version=last + 1,
                                       want_pdf=want_pdf, created_by=as_user(actor), created_at=clock.now(),
                                       message="排队等待生成")
        audit.record(actor=actor, action="create", obj=run, after={"kind": kind, "year": year, "period": period})
        if enqueue:
            from .tasks import generate_report_task

            transaction.on_commit(lambda: generate_report_task.enqueue(run.pk))
    return run


def progress(run_id: int, *, status: str | None = None, percent: int | None = None, message: str = "",
             **fields) -> None:
    """The generator's progress, written at once (its own short transaction) so the page sees it."""
    values = dict(fields)
    if status:
        values["status"] = status
    if percent is not None:
        values["progress"] = percent
    if message:
        values["message"] = message[:200]
    ReportRun.objects.filter(pk=run_id).update(**values)


__all__ = ["RunStatus"]
