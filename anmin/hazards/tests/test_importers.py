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
from anmin.core.testing import sheets
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


def _waters_file(rows: list[list]) -> bytes:
    return sheets.xlsx([["乡镇(街道)", "村(社区)", "水域名称", "水域类型", "责任人", "责任人电话"], *rows])


def _water_rows() -> list[list]:
    return [["古城镇", "古城村委会", "QA东坑塘", "坑塘", "张某", "13837416001"],
            ["古城镇", "古城村委会", "QA西坑塘", "坑塘", "李某", "4.11081E+17"]]  # a phone Excel made a number


def test_a_waters_dry_run_refuses_the_phone_the_import_would_refuse_naming_row_and_column(world):
    from anmin.hazards.models import Water
    from anmin.hazards.registries import WATERS

    ledger = WATERS.ledger_class(user=world.user(Role.CITY_OFFICE))
    report = ledger.dry_run(_waters_file(_water_rows()))
    assert [(e.row, e.field) for e in report.errors] == [(3, "responsible_phone")]
    assert report.errors[0].message.startswith("责任人电话")
    assert report.new_count == 1
    assert ledger.run_import(report, mode=ledgers.VALID_ONLY).imported == 1
    assert list(Water.objects.filter(name__startswith="QA").values_list("name", flat=True)) == ["QA东坑塘"]


def test_a_registry_rows_own_field_checks_run_in_the_dry_run(world, monkeypatch):
    """Whatever a column's parser lets through, the record's own checks (those the import's action
    makes) refuse in the dry run, on the row and the column — here the phone read as plain text."""
    from anmin.hazards.registries import WATERS

    parser = ledgers.Ledger._parser
    monkeypatch.setattr(ledgers.Ledger, "_parser", lambda self, col: ledgers.text() if col.field ==
                        "responsible_phone" else parser(self, col))
    rows = _water_rows()
    rows[1][5] = "138374"  # plain text passes ledgers.text() (which refuses 4.11081E+17 itself: digits lost)
    report = WATERS.ledger_class(user=world.user(Role.CITY_OFFICE)).dry_run(_waters_file(rows))
    assert [(e.row, e.field) for e in report.errors] == [(3, "responsible_phone")]
    assert "11位手机号码" in report.errors[0].message
    assert report.errors[0].message.startswith("责任人电话")


def test_the_waters_ledgers_own_export_imports_again_and_a_masked_phone_is_refused_on_a_new_water(world):
    """危险水域台账: 导出 Excel, then 导入 the same file — every row with a responsible person's phone was
    an error (the export masks it, 138****8000, and the column took full numbers only)."""
    from anmin.hazards.models import Water
    from anmin.hazards.registries import WATERS

    city = world.user(Role.CITY_OFFICE)
    ledger = WATERS.ledger_class(user=city)
    ledger.run_import(ledger.dry_run(_waters_file(_water_rows()[:1])), mode=ledgers.VALID_ONLY)
    exported = WATERS.ledger_class(user=city).workbook(Water.objects.visible_to(city).filter(name__startswith="QA"))
    again = WATERS.ledger_class(user=city).dry_run(exported)
    assert again.errors == []
    assert (again.new_count, again.existing_count) == (0, 1)

    new = WATERS.ledger_class(user=city).dry_run(_waters_file([["古城镇", "古城村委会", "QA北坑塘", "坑塘", "王某",
                                                                "138****6001"]]))
    assert [(e.row, e.field) for e in new.errors] == [(2, "responsible_phone")]
    assert new.errors[0].message == "责任人电话：是脱敏值，新增记录须填写完整号码"
    assert new.new_count == 0
