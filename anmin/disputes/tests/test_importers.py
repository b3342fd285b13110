"""The dispute ledger in Excel: an export re-imports as nothing new; bad rows are reported one
message per row and field, and nothing is written until the user chooses."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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
        "number": None, "title": "王某与赵某宅基地纠纷", "category": "0902", "scale": None, "township": "古城镇",
        "village": "古城村委会",
        "grid": "第1网格", "found_on": "2020-05-06", "occurred_on": None, "source": "排查", "people_involved": 2,
        "amount": None, "assessed_colour": "黄", "applicant": "王某",
        "applicant_id": make_id_number(birth_date=dt.date(1965, 3, 1), sequence=11), "applicant_phone": "13700001111",
        "respondent": "赵某", "respondent_id": None, "respondent_phone": None, "outcome": None, "concluded_on": None,
        "agreement": None,
    }
    values.update(kw)
    return [values.get(c.field) for c in DisputeLedger.columns]


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
    assert (dry.new_count, dry.existing_count) == (0, 3)


def test_an_export_from_the_english_page_is_still_the_chinese_ledger_and_re_imports(client, world):
    _mediate(world, report(world, title="英文界面导出"))
    user = world.user(Role.TOWNSHIP_CENTER)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    page = client.get("/disputes/").content.decode()
    assert ">All</option>" in page  # the yes/no filters follow the language
    assert ">Yes</option>" in page
    resp = client.get("/disputes/?export=xlsx")
    header = next(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert any(str(h).startswith("纠纷类别") for h in header)
    dry = DisputeLedger(user=user).dry_run(resp.content)
    assert dry.errors == []
    assert (dry.new_count, dry.existing_count) == (0, 1)
    upload = client.get("/disputes/?import=1").content.decode()
    assert "<title>Import: " in upload  # the page's title, in the reader's language
    assert "导入矛盾纠纷" not in upload


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


def test_the_scale_is_exported_by_name_and_imported_by_name_or_code_with_a_message_for_anything_else(client, world):
    report(world, title="个体的")
    report(world, title="群体的", scale="02")
    user = world.user(Role.TOWNSHIP_CENTER)
    client.force_login(user)
    exported = load_workbook(io.BytesIO(client.get("/disputes/?export=xlsx").content)).active
    rows = list(exported.iter_rows(values_only=True))
    column = rows[0].index("事件规模")
    assert {r[1]: r[column] for r in rows[1:]} == {"个体的": "个体性事件", "群体的": "一般群体性事件"}

    data = workbook([
        row(title="按名称", scale="重大群体性事件"),
        row(title="按代码", scale="02"),
        row(title="数值单元格", scale=3),
        row(title="代码加名称", scale="01 个体性事件"),
        row(title="不填"),
        row(title="规模错", scale="特大事件"),
        row(title="代码错", scale="02 重大群体性事件"),
        row(title="已调结", scale="一般群体性事件", outcome="撤回", concluded_on="2020-05-08"),
    ])
    ledger = DisputeLedger(user=user)
    dry = ledger.dry_run(data)
    assert [(e.row, e.column, e.field) for e in dry.errors] == [(7, "事件规模", "scale"), (8, "事件规模", "scale")]
    message = dry.errors[0].message
    assert message.startswith("事件规模：“特大事件”不是 GB/T 31000 的事件规模")
    assert "个体性事件（01）" in message
    assert "重大群体性事件（03）" in message
    assert (dry.new_count, dry.existing_count, dry.invalid_count) == (6, 0, 2)

    assert DisputeLedger(user=user).run_import(dry, mode=ledgers.VALID_ONLY).imported == 6
    scales = dict(Dispute.objects.values_list("case__title", "scale"))
    assert {t: scales[t] for t in ("按名称", "按代码", "数值单元格", "代码加名称", "不填", "已调结")} == {
        "按名称": "03", "按代码": "02", "数值单元格": "03", "代码加名称": "01", "不填": "01", "已调结": "02",
    }
    # What was imported exports and dry-runs again as nothing new.
    again = DisputeLedger(user=user).dry_run(client.get("/disputes/?export=xlsx").content)
    assert (again.new_count, again.existing_count, again.errors) == (0, 8, [])


# --- the import page: new, existing and bad rows counted apart -----------------------------------------------------


@pytest.fixture
def uploads(settings, tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path / "uploads"


def upload(client, data: bytes):
    f = SimpleUploadedFile("台账.xlsx", data, content_type=ledgers.XLSX_CONTENT_TYPE)
    return client.post("/disputes/", {"ledger_step": "upload", "file": f})


def summary(body: str) -> dict[str, str]:
    return dict(re.findall(r"<dd data-(total|new|existing|invalid|errors)>(\d+)</dd>", body))


def test_dry_running_an_exported_ledger_on_the_page_shows_nothing_new_and_offers_no_import(client, world, uploads):
    for title in ("一", "二", "三"):
        report(world, title=title)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    exported = client.get("/disputes/?export=xlsx").content
    resp = upload(client, exported)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert summary(body) == {"total": "3", "new": "0", "existing": "3", "invalid": "0", "errors": "0"}
    assert "新增" in body
    assert "已存在，跳过" in body
    assert 'name="mode"' not in body  # no import button
    assert "data-import-nothing" in body
    # Confirming anyway imports nothing.
    token = resp.context["token"]
    refused = client.post("/disputes/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    assert refused.status_code == 422
    assert "没有需要导入的新增行" in refused.content.decode()
    assert Dispute.objects.count() == 3


def test_the_page_counts_new_existing_and_bad_rows_apart_and_imports_only_the_new(client, world, uploads):
    report(world, title="已登记一")
    report(world, title="已登记二")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    sheet_file = load_workbook(io.BytesIO(client.get("/disputes/?export=xlsx").content))
    sheet = sheet_file.active
    sheet.append(row(title="新的一件", scale="一般群体性事件"))
    sheet.append(row(title="新的两件"))
    sheet.append(row(title="新的三件", outcome="调解成功", concluded_on="2020-05-09", agreement="已和解"))
    sheet.append(row(title="规模错", scale="特大事件"))  # row 7
    sheet.append(row(title="类别错", category="0999x"))  # row 8
    buf = io.BytesIO()
    sheet_file.save(buf)

    resp = upload(client, buf.getvalue())
    body = resp.content.decode()
    assert summary(body) == {"total": "7", "new": "3", "existing": "2", "invalid": "2", "errors": "2"}
    assert 'data-row="7" data-field="scale"' in body  # the per-row errors are still listed
    assert 'data-row="8" data-field="category"' in body
    assert "只导入无误的新增 3 行，跳过有错误的 2 行" in body
    assert "有 2 行是已登记的记录，将跳过，不会重复导入。" in body
    assert Dispute.objects.count() == 2

    done = client.post("/disputes/", {"ledger_step": "confirm", "token": resp.context["token"], "mode": "valid_only"})
    assert done.status_code == 200
    assert "已导入3行，跳过已存在的2行，跳过有错误的2行" in done.content.decode()
    assert Dispute.objects.count() == 5
    assert Dispute.objects.get(case__title="新的一件").scale == "02"


def test_an_office_ledger_imported_again_creates_no_dispute_twice(world):
    """A ledger without 编号 sent twice (or sent up by the village and the township): the second dry run
    counts its disputes as 已存在 — same 纠纷名称, place, 登记日期 and 申请人 — and imports nothing; the same
    dispute twice in one file is an error on the second row naming the first."""
    centre = world.user(Role.TOWNSHIP_CENTER)
    data = workbook([row(), row(title="李某与孙某借贷纠纷", applicant="李某", applicant_id=None)])
    first = DisputeLedger(user=centre).dry_run(data)
    assert (first.new_count, first.existing_count, first.errors) == (2, 0, [])
    DisputeLedger(user=centre).run_import(first, mode=ledgers.VALID_ONLY)
    assert Dispute.objects.count() == 2
    again = DisputeLedger(user=centre).dry_run(data)
    assert (again.new_count, again.existing_count, again.errors) == (0, 2, [])
    with pytest.raises(ledgers.LedgerImportError, match="已存在"):
        DisputeLedger(user=centre).run_import(again, mode=ledgers.VALID_ONLY)
    assert Dispute.objects.count() == 2
    # Another applicant, another day or another title is another dispute.
    others = DisputeLedger(user=centre).dry_run(workbook([row(applicant="周某"), row(found_on="2020-05-07"),
                                                          row(title="王某与赵某宅基地纠纷（二）")]))
    assert (others.new_count, others.existing_count) == (3, 0)
    twice = DisputeLedger(user=centre).dry_run(workbook([row(title="吴某与郑某相邻纠纷", applicant="吴某"),
                                                         row(title="吴某与郑某相邻纠纷", applicant="吴某")]))
    assert [(e.row, e.field) for e in twice.errors] == [(3, "title")]
    assert "与第2行是同一纠纷" in twice.errors[0].message
