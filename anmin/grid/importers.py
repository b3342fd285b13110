"""The 网格事件台账 as an Excel ledger on the kit (``workflow.kit.case_ledger.CaseLedger``): export,
template, and import with a dry run — every row's errors together, places by short or former names,
categories by code or name with "did you mean". Each new row is reported through ``report_event``
(the grid's own guarded action: audited, routed to the township centre, on the clock); a row whose
编号 is an event the user sees (an earlier export) is recognised and left alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from anmin.core import clock, ledgers
from anmin.workflow.kit.case_ledger import CaseLedger

from . import actions
from .categories import CATEGORIES
from .models import EventSource, GridEvent
from .workflows import GRID_EVENT


def _found_at(event: GridEvent):
    return timezone.localtime(event.found_at).date()


class GridEventLedger(CaseLedger):
    key = "grid.events"
    title = "网格事件台账"
    model = GridEvent
    columns = (
        *CaseLedger.place_columns(),
        ledgers.Column("事件标题", "title", ledgers.text(max_length=200), export="case.title", width=30,
                       aliases=("事件名称",),
                       help="不填按情况描述生成"),
        ledgers.Column("事件类别", "category", "parse_category", required=True, width=20,
                       aliases=("事件类型", "事件分类", "类别", "类型"),
                       export=lambda e: CATEGORIES.name(e.category), help="类别代码或名称，如“治安隐患”"),
        ledgers.Column("情况描述", "description", ledgers.text(max_length=5000), required=True,
                       aliases=("事件描述", "事件内容", "事件情况", "基本情况", "情况简述", "简要情况", "主要内容"),
                       export="case.description", width=40),
        ledgers.Column("发现日期", "found_on", ledgers.date(), export=_found_at, width=12,
                       help="一年以内；不填为今天"),
        CaseLedger.priority_column(GRID_EVENT.workflow),
        ledgers.Column("来源", "source", ledgers.choice(EventSource.choices), default=EventSource.PATROL),
        ledgers.Column("详细地址", "address", ledgers.text(max_length=200), width=24,
                       aliases=("地址", "事发地点", "发生地点", "事件地点")),
        ledgers.Column("反映群众姓名", "resident_name", ledgers.text(max_length=64),
                       aliases=("反映人", "反映人姓名", "群众姓名", "反映群众")),
        ledgers.Column("反映群众联系电话", "resident_phone", ledgers.phone(label="反映群众联系电话"), width=16,
                       aliases=("反映人电话", "反映人联系电话", "群众联系电话", "联系电话")),
    )
    unique = ("number",)

    def prepare(self) -> None:
        super().prepare()
        self.parse_category = ledgers.code(dict(CATEGORIES.choices()), what=CATEGORIES.what, suffixes=("类", "问题"))

    def check_case_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        found = values.get("found_on")
        if found and found < ledgers.today_and_horizon()[0] - dt.timedelta(days=365):
            raise ValidationError({"found_on": "发现日期：不能早于一年前（更早的事件请按历史事项导入）"})
        if values.get("resident_phone") and not values.get("resident_name"):
            raise ValidationError({"resident_name": "反映群众姓名：填写了联系电话时必填"})

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        today = clock.today()  # the business date: the demo world stands on 2020-12-10
        for r in rows:
            found = r.values.get("found_on")  # an earlier day: found at 9 o'clock; today: now
            found_at = timezone.make_aware(dt.datetime.combine(found, dt.time(9))) if found and found < today else None
            actions.report_event(actor=self.user, found_at=found_at, **self.given(
                r.values, "region", "category", "description", "title", "priority", "source", "address",
                "resident_name", "resident_phone"))
        return len(rows)
