"""What a user notices when a real office's workbook is read: a stray cell far below the ledger, empty
rows numbered in advance, the ledger on the second sheet, formulas without a saved result, and a
sparse sheet that must not cost memory (the defects a QA run found, each reproduced here)."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from anmin.core.codes import load_code_tables
from anmin.core.ledgers import files
from anmin.core.models import Role
from anmin.core.testing import sheets
from anmin.disputes.importers import DisputeLedger

HEADER = ["纠纷名称", "纠纷类别", "村(社区)", "登记日期", "申请人", "调解结果", "调结日期", "调解协议"]


def row(title: str, **kw) -> list:
    values = {"纠纷名称": title, "纠纷类别": "邻里纠纷", "村(社区)": "古城村", "登记日期": "2020.8.1",
              "申请人": "周一"}
    values.update(kw)
    return [values.get(h) for h in HEADER]


def save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_file(rows: list[list], header: list[str] = HEADER) -> bytes:
    return sheets.xlsx([header, *rows])


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML changed (what other programs write)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            zout.writestr(item, body)
    return out.getvalue()


def with_cell(data: bytes, ref: str, cell_xml: str) -> bytes:
    number = re.sub(r"[A-Z]", "", ref)
    return rewrite_sheet(data, lambda x: x.replace("</sheetData>", f'<row r="{number}">{cell_xml}</row></sheetData>'))


THREE = [row("甲乙宅基地纠纷"), row("丙丁邻里纠纷", 申请人="周二"), row("戊己债务纠纷", 申请人="周三")]


@pytest.fixture
def ledger(world):
    load_code_tables()
    return DisputeLedger(user=world.user(Role.TOWNSHIP_CENTER))


def messages(report) -> list[str]:
    return [f"第{e.row}行 {e.message}" if e.row else e.message for e in report.errors]


# --- 1. a stray cell far below the ledger ---------------------------------------------------------------


def test_a_value_in_the_last_row_of_the_sheet_is_named_as_a_stray_cell_not_as_too_many_rows(ledger):
    data = with_cell(ledger_file(THREE), "A1048576", '<c r="A1048576" t="inlineStr"><is><t>x</t></is></c>')
    started = time.monotonic()
    report = ledger.dry_run(data, filename="台账.xlsx")
    assert time.monotonic() - started < 5
    [error] = report.file_errors
    assert "超过200000行" not in error.message
    assert "第1048576行有一个孤立的单元格（A1048576）" in error.message
    assert "到第4行" in error.message


@pytest.mark.parametrize("cell", [
    '<c r="A300000" t="inlineStr"><is><t></t></is></c>',  # an empty text
    '<c r="A300000" t="inlineStr"><is><t/></is></c>',
    '<c r="A300000" s="0"/>',  # a formatted, empty cell
    '<c r="GQ300000" t="inlineStr"><is><t></t></is></c>',  # … far to the right as well
], ids=["empty-text", "empty-text-short", "formatted", "empty-text-column-199"])
def test_empty_cells_far_below_do_not_count_as_rows(ledger, cell):
    data = with_cell(ledger_file(THREE), "A300000", cell)
    report = ledger.dry_run(data, filename="台账.xlsx")
    assert report.file_errors == []
    assert (report.total, report.invalid_count) == (3, 0), messages(report)


def test_only_rows_with_content_count_towards_the_row_limit(ledger, settings):
    settings.ANMIN_LEDGER_MAX_ROWS = 5
    data = with_cell(ledger_file(THREE), "A3000", '<c r="A3000" t="inlineStr"><is><t></t></is></c>')
    assert ledger.dry_run(data).file_errors == []
    report = ledger.dry_run(ledger_file(THREE * 3))
    assert "台账超过5行" in report.file_errors[0].message


# --- 2. a sparse sheet costs no memory --------------------------------------------------------------------


def _measured_dry_run(ledger, data):
    """The dry run's report, its seconds and the peak of Python's memory while it ran."""
    tracemalloc.start()
    started = time.monotonic()
    report = ledger.dry_run(data, filename="台账.xlsx")
    took = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return report, took, peak


def test_a_lone_cell_at_gq150000_is_refused_quickly_without_filling_the_area(ledger):
    data = with_cell(ledger_file(THREE), "GQ150000", '<c r="GQ150000" t="inlineStr"><is><t>x</t></is></c>')
    assert len(data) < 10_000
    report, took, peak = _measured_dry_run(ledger, data)
    assert took < 3, took
    assert peak < 20 * 1024 * 1024, peak
    assert "第150000行有一个孤立的单元格（GQ150000）" in report.file_errors[0].message


def test_an_empty_cell_at_gq150000_is_read_without_filling_the_area(ledger):
    data = with_cell(ledger_file(THREE), "GQ150000", '<c r="GQ150000" t="inlineStr"><is><t></t></is></c>')
    # calamine (Rust, unseen by tracemalloc) would fill 199 × 150,000 cells: the sheet is streamed instead
    assert files._scan_sheet(data, "xl/worksheets/sheet1.xml").sparse
    report, took, peak = _measured_dry_run(ledger, data)
    assert took < 3, took
    assert peak < 20 * 1024 * 1024, peak
    assert (report.total, report.invalid_count, report.file_errors) == (3, 0, [])
    assert [r.values["title"] for r in report.rows] == ["甲乙宅基地纠纷", "丙丁邻里纠纷", "戊己债务纠纷"]


def test_the_sparse_reader_gives_the_same_values_as_the_usual_one():
    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "日期", "时间", "数", "小数", "是否"])
    ws.append(["甲", dt.date(2020, 5, 1), dt.datetime(2020, 5, 1, 8, 30), 3, 2.5, True])
    ws.merge_cells("A3:B3")
    ws["A3"] = "合并"
    plain = save(wb)
    sparse = with_cell(plain, "GQ150000", '<c r="GQ150000" t="inlineStr"><is><t></t></is></c>')
    a, b = files.read_sheet(plain), files.read_sheet(sparse)
    assert a.rows == b.rows
    assert a.merged == b.merged == [((2, 0), (2, 1))]


def test_bombs_and_limits_are_still_refused(ledger):
    data = with_cell(ledger_file(THREE), "XFD1", '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c>')
    assert "超过200列" in ledger.dry_run(data).file_errors[0].message
    declared = rewrite_sheet(ledger_file(THREE), lambda x: re.sub(r'<dimension ref="[^"]+"/>',
                                                                  '<dimension ref="A1:XFD1048576"/>', x))
    report = ledger.dry_run(declared)
    assert (report.total, report.file_errors) == (3, [])


# --- 3. rows numbered in advance ----------------------------------------------------------------------------


def test_rows_holding_only_their_number_are_skipped_like_empty_rows(ledger):
    data = ledger_file([[1, *row("甲乙宅基地纠纷")], [2, *row("丙丁邻里纠纷")], [3], [4], [5], [6]],
                       header=["序号", *HEADER])
    report = ledger.dry_run(data)
    assert (report.total, report.invalid_count) == (2, 0), messages(report)


def test_a_number_alone_in_the_first_column_is_skipped_but_a_row_with_more_is_checked(ledger):
    data = ledger_file([row("甲乙宅基地纠纷"), [7], ["8"], [None, "邻里纠纷"]])
    report = ledger.dry_run(data)
    assert report.total == 2
    assert "第5行 纠纷名称：必填" in messages(report)


# --- 4. the ledger on the second sheet -------------------------------------------------------------------------


def test_the_ledger_on_the_second_sheet_is_found(ledger):
    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active["A1"] = "填表说明：1. 日期格式为2020-01-01；2. 身份证号码请设为文本格式。"
    ws = wb.create_sheet("台账")
    ws.append(HEADER)
    ws.append(row("第二个工作表上的纠纷"))
    report = ledger.dry_run(save(wb))
    assert report.file_errors == []
    assert [r.values["title"] for r in report.rows] == ["第二个工作表上的纠纷"]


def test_no_header_on_any_sheet_names_the_sheet_read_and_the_others(ledger):
    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active["A1"] = "填表说明"
    wb.create_sheet("图表数据")["B2"] = 5
    [error] = ledger.dry_run(save(wb)).file_errors
    assert "工作表“填表说明”" in error.message
    assert "图表数据" in error.message


# --- 5. formulas without a saved result ------------------------------------------------------------------------


def test_a_formula_without_a_saved_result_is_an_error_naming_row_and_column(ledger):
    data = ledger_file([row("甲乙宅基地纠纷"), row("=1+1"),
                        row("戊己债务纠纷", 调解结果="已化解", 调结日期="2020.8.2",
                            调解协议='=HYPERLINK("http://evil.example/x","点击查看")')])
    report = ledger.dry_run(data)
    found = messages(report)
    assert ("第3行 纠纷名称：单元格是公式，但文件里没有保存计算结果；请在Excel中打开并保存后再导入（或把公式改为数值）"
            in found), found
    assert any(m.startswith("第4行 调解协议：单元格是公式") for m in found), found
    assert not any("必填" in m for m in found)
    assert report.invalid_count == 2


def test_the_result_excel_saved_is_used_and_never_recomputed(ledger):
    data = ledger_file([row("甲乙宅基地纠纷"), row("=1+1")])

    def cached(x: str) -> str:  # what Excel writes: the formula and its last result
        return re.sub(r'<c r="A3"><f>1\+1</f><v\s*/?>(</v>)?', '<c r="A3" t="str"><f>1+1</f><v>保存的结果</v>', x)

    report = ledger.dry_run(rewrite_sheet(data, cached))
    assert report.errors == []
    assert [r.values["title"] for r in report.rows] == ["甲乙宅基地纠纷", "保存的结果"]
