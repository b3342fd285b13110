"""The dispute ledger in Excel: an export re-imports as nothing new; bad rows are reported one
message per row and field, and nothing is written until the user chooses."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.disputes.importers import DisputeLedger
from anmin.disputes.models import Dispute

from .test_disputes import _mediate, report


def workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in DisputeLedger.columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(**kw) -> list:
    values = {
        "number": None, "title": "王某与赵某宅基地纠纷", "category": "0902", "township": "古城镇",
        "village": "古城村委会",
        "grid": "第1网格", "found_on": "2020-05-06", "occurred_on": None, "source": "排查", "people_involved": 2,
        "amount": None, "assessed_colour": "黄", "applicant": "王某",
        "applicant_id": make_id_number(birth_date=dt.date(1965, 3, 1), sequence=11), "applicant_phone": "13700001111",
        "respondent": "赵某", "respondent_id": None, "respondent_phone": None, "outcome": None, "concluded_on": None,
        "agreement": None,
    }
    values.update(kw)
    return [values[c.field] for c in DisputeLedger.columns]


def test_an_exported_ledger_dry_runs_with_nothing_new_and_no_errors(client, world):
    report(world)
    report(world, title="第二件", parties=[{"name": "甲", "phone": "13911112222"}])
    _mediate(world, report(world, title="第三件"))
    user = world.user(Role.TOWNSHIP_CENTER)
    client.force_login(user)
    resp = client.get("/disputes/?export=xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.content)).active
    cells = [c for r in sheet.iter_rows(values_only=True) for c in r if c]
    assert "13911112222" not in cells  # exports are masked
    assert "139****2222" in cells
    ledger = DisputeLedger(user=user)
    dry = ledger.dry_run(resp.content)
    assert dry.errors == []
    assert dry.total == 3
    assert [r for r in dry.valid_rows if ledger.is_new(r)] == []


def test_bad_rows_get_one_chinese_message_per_row_and_field_and_nothing_is_imported_until_chosen(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    data = workbook([
        row(title="好的一行"),
        row(title="校验位错", applicant_id="411081196503010112"),
        row(title="类别错", category="0999x"),
        row(title="村错", village="不存在村"),
        row(title="日期倒置", outcome="调解成功", concluded_on="2020-05-01", agreement="已和解"),
        row(title="另一行好的", outcome="撤回", concluded_on="2020-05-08"),
    ])
    ledger = DisputeLedger(user=user)
    dry = ledger.dry_run(data)
    got = sorted((e.row, e.field) for e in dry.errors)
    assert got == [(3, "applicant_id"), (4, "category"), (5, "village"), (6, "concluded_on")]
    messages = {e.field: e.message for e in dry.errors}
    assert "校验位" in messages["applicant_id"]
    assert messages["category"].startswith("纠纷类别")
    assert "不存在村" in messages["village"]
    assert "调结日期" in messages["concluded_on"]
    assert Dispute.objects.count() == 0  # a dry run writes nothing

    with pytest.raises(ledgers.LedgerImportError, match="4行有错误"):
        ledger.run_import(dry, mode=ledgers.ALL_OR_NOTHING)
    assert Dispute.objects.count() == 0

    result = DisputeLedger(user=user).run_import(dry, mode=ledgers.VALID_ONLY)
    assert result.imported == 2
    assert set(Dispute.objects.values_list("case__title", flat=True)) == {"好的一行", "另一行好的"}
    done = Dispute.objects.get(case__title="另一行好的")
    assert done.outcome == "withdrawn"
    assert done.case.status == "closed"
