"""The 预警线索台账 as an Excel ledger (``anmin.core.ledgers``): import with a dry run. A row whose
上游线索编号 is already registered is that lead (counted as 已存在, skipped); the others are checked
as the API checks them (``actions.intake.clean_lead``) and taken in through ``intake_leads``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from anmin.core import clock, ledgers
from anmin.core.codes import code_names
from anmin.core.errors import Invalid

from . import actions
from .actions.intake import clean_lead
from .models import Lead
from .rules import intake_rules

C = ledgers.Column


class LeadLedger(ledgers.Ledger):
    key = "antifraud_leads"
    title = "预警线索台账"
    model = Lead
    columns = (
        C("上游线索编号", "upstream_id", ledgers.text(max_length=64), aliases=("线索编号",)),
        C("受害人所在区划代码", "region", ledgers.text(max_length=16), required=True, aliases=("区划代码",)),
        C("潜在受害人姓名", "victim_name", ledgers.text(max_length=64), required=True, aliases=("姓名",)),
        C("联系电话", "victim_phone", ledgers.text(max_length=20)),
        C("身份证号码", "victim_id_number", ledgers.text(max_length=18)),
        C("诈骗类型代码", "fraud_type", ledgers.text(max_length=8), required=True, aliases=("诈骗类型",)),
        C("线索来源", "source", ledgers.text(max_length=16), help="pushed/bank/carrier/public/own"),
        C("涉及金额(元)", "amount_at_risk", ledgers.decimal(min_value=0)),
        C("涉诈电话", "suspect_number", ledgers.text(max_length=40)),
        C("涉诈账户", "suspect_account", ledgers.text(max_length=40)),
        C("涉诈网址", "suspect_url", ledgers.text(max_length=2000)),
        C("预警等级", "grade", ledgers.text(max_length=16), help="空：按规则研判；critical/high/medium/low"),
        C("调整等级理由", "grade_reason", ledgers.text(max_length=200)),
    )

    def prepare(self) -> None:
        self.rules, self.fraud_types = intake_rules(), code_names("fraud_type")
        self.now = clock.now()

    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        try:
            clean_lead({k: v for k, v in values.items() if v not in (None, "")}, rules=self.rules, now=self.now,
                       fraud_types=self.fraud_types)
        except Invalid as exc:
            raise ValidationError({exc.field or "region": exc.message}) from exc

    def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
        ids = {r.values.get("upstream_id") for r in rows if r.values.get("upstream_id")}
        known = set(Lead.objects.filter(upstream_id__in=ids).values_list("upstream_id", flat=True))
        for r in rows:
            if r.values.get("upstream_id") in known:
                r.existing = True
        return ()

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        items = [self.given(r.values) for r in rows if r.is_new]
        return len(actions.intake_leads(actor=self.user, items=items).created)
