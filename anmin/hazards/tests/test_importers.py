"""The drunk-driving ledger in Excel: bad rows get one message per row and field, nothing is written
until the user chooses, and an exported ledger dry-runs as nothing new."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.hazards.importers import DrunkDrivingLedger
from anmin.hazards.models import DrunkDriving


def workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in DrunkDrivingLedger.columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good(name="张某", township="古城镇", **kw) -> list:
    v = {"day": "2020-05-06", "township": township, "name": name,
         "id": make_id_number(birth_date=dt.date(1980, 3, 1), sequence=11), "offence": "醉酒驾驶",
         "penalty": "刑事处罚", "accident": "否", "unit": "交警大队", **kw}
    return [v["day"], v["township"], v["name"], v["id"], v["offence"], v["penalty"], v["accident"], v["unit"]]


def test_bad_rows_get_one_message_per_row_and_field_and_nothing_is_imported_until_chosen(world):
    police = world.user(Role.POLICE)
    data = workbook([
        good(),
        good(name="李某", penalty="罚款"),                       # row 3: unknown penalty
        good(name="王某", township="无梁镇"),                     # row 4: outside 古城镇
        good(name="赵某", offence="饮酒驾驶"),                    # row 5: drink driving is not a crime
        good(name="钱某", day="2031-01-01", id="123"),           # row 6: a future day and a bad ID number
    ])
    ledger = DrunkDrivingLedger(user=police)
    report = ledger.dry_run(data)
    assert not DrunkDriving.objects.exists()
    got = sorted((e.row, e.field) for e in report.errors)
    assert got == [(3, "penalty"), (4, "township"), (5, "penalty"), (6, "caught_on"), (6, "id_number")]
    assert all(e.message for e in report.errors)
    assert report.new_count == 1
    result = ledger.run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == 1
    assert DrunkDriving.objects.get().driver_name == "张某"


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(world):
    ledger = DrunkDrivingLedger(user=world.user(Role.POLICE))
    report = ledger.dry_run(workbook([good(), good(name="李某", penalty="罚款")]))
    with pytest.raises(ledgers.LedgerImportError):
        ledger.run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert not DrunkDriving.objects.exists()


def test_an_exported_ledger_dry_runs_with_nothing_new_and_no_errors(world):
    police = world.user(Role.POLICE)
    ledger = DrunkDrivingLedger(user=police)
    ledger.run_import(ledger.dry_run(workbook([good(), good(name="孙某", penalty="行政处罚", offence="饮酒驾驶")])),
                      mode=ledgers.VALID_ONLY)
    exported = DrunkDrivingLedger(user=police).workbook(DrunkDriving.objects.visible_to(police))
    again = DrunkDrivingLedger(user=police).dry_run(exported)
    assert again.errors == []
    assert again.new_count == 0
    assert again.existing_count == 2
