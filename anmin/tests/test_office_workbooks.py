# ruff: noqa: E501  (rows of a real ledger read best one to a line)
"""Workbooks as offices keep them beyond one plain table: rows grouped under section headings (一、古城村
merged across the table, （二）大北村, 古城村小计), one sheet per village or per month (with a 汇总 sheet
pasted together from the others, a hidden old sheet, a 填表说明), rows hidden by a filter. Before
this, a heading row was a row of 必填 errors, only one sheet was read, and hidden rows went unsaid."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.testing import sheets
from anmin.tests.test_office_ledgers import ident

# What these files test is reading an office's workbook (headers, sheets, cells, notes), the same code
# on either database; they run in the SQLite pass of make test (the importers' writes on PostgreSQL,
# COPY included, are tested by each app's importer tests). ANMIN_LEDGER_FILES_PG=1 runs them there too.
pytestmark = [*globals().get("pytestmark", []), pytest.mark.sqlite_pass, pytest.mark.skipif(
    connection.vendor == "postgresql" and not os.environ.get("ANMIN_LEDGER_FILES_PG"),
    reason="office files are read in the SQLite pass of make test")]


HEAD = ["序号", "姓名", "性别", "公民身份号码", "民族", "所属乡镇", "所在村", "现住址"]


def person(n: int, sex: str = "女", township=None, village=None):
    return [n, f"居民{n}", sex, ident(n, sex), "汉", township, village, "古城镇"]


def sectioned():
    """The resident register grouped by village: headings merged across, a 小计 row after each group."""
    width = len(HEAD)
    grid = [["禹州市古城镇实有人口登记表"], HEAD,
            ["一、古城村"], person(1), person(2, "男"), ["古城村小计", None, None, None, None, None, None, "2人"],
            ["（二）大北村"], person(3, township="古城镇"),
            ["三、流入人员"], person(4, village="无梁村")]
    merges = [(0, 0, 0, width - 1), (2, 0, 2, width - 1), (6, 0, 6, width - 1), (8, 0, 8, width - 1)]
    return grid, merges


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_section_headings_are_skipped_and_fill_the_empty_village_below(world, kind):
    from anmin.people.importers import ResidentLedger
    from anmin.people.models import Person

    user = world.user(Role.CITY_OFFICE)
    grid, merges = sectioned()
    data = {"xlsx": lambda: sheets.xlsx(grid, merges), "xls": lambda: sheets.xls(grid, merges),
            "csv": lambda: sheets.csv_bytes(grid)}[kind]()
    report = ResidentLedger(user=user).dry_run(data, filename=f"台账.{kind}")
    assert [(e.row, e.message) for e in report.errors] == []  # before: rows 3, 7 and 9 were 必填 errors
    assert report.total == 4
    notes = "\n".join(report.notes)
    assert "第3行（一、古城村）、第7行（（二）大北村）、第9行（三、流入人员）是分组标题" in notes
    assert "已按标题填为乡镇(街道)“古城镇”、村(社区)“古城村委会”" in notes  # both empty under 古城村
    assert "分组标题“（二）大北村”（第7行）下有1行没有填写地点，已按标题填为村(社区)“大北村委会”" in notes
    assert "第6行（古城村小计）" in notes
    ResidentLedger(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    placed = dict(Person.objects.values_list("name", "region_id"))
    assert placed["居民1"].startswith(world.gc_village.code)
    assert placed["居民2"].startswith(world.gc_village.code)
    assert placed["居民3"].startswith(world.gc_village2.code)
    assert placed["居民4"].startswith(world.wl_village.code)  # its own village, not a heading's


def test_a_heading_never_overwrites_what_a_row_says(world):
    from anmin.people.importers import ResidentLedger

    grid = [HEAD, ["一、古城村"], person(1, township="无梁镇", village="无梁村")]
    report = ResidentLedger(user=world.user(Role.CITY_OFFICE)).dry_run(sheets.xlsx(grid))
    assert report.errors == []
    assert report.rows[0].values["village"] == "无梁村"
    assert not any("已按标题填为" in n for n in report.notes)


CAMERA_HEAD = ["序号", "点位名称", "建设项目", "视频路数", "建成时间"]


def camera_sheet(*rows):
    grid = [["禹州市视频监控点位台账"], CAMERA_HEAD, *rows]
    return grid, [(0, 0, 0, len(CAMERA_HEAD) - 1)]


def camera_book(kind="xlsx", *, bad=False):
    gc = [[1, "古城村口", "平安乡镇", "4路", "2020.5.3"], [2, "古城小学门口", "平安乡镇", 2, "2020.5.4"]]
    db = [[1, "大北村委会门口", "雪亮工程" if not bad else "", "2路", "2020.6.1"]]
    books = {"填表说明": ([["填表说明"], ["每个村一张表"]], []), "古城村": camera_sheet(*gc), "大北村": camera_sheet(*db),
             "汇总": camera_sheet(*[[i + 1, *r[1:]] for i, r in enumerate(gc + db)])}
    if kind == "xlsx":  # a sheet of old points, hidden (xlwt writes no hidden sheet)
        books["旧表"] = camera_sheet([1, "旧点位", "平安乡镇", "1路", "2019.1.1"])
    return sheets.workbook(books, kind=kind, hidden_sheets=("旧表",))


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_one_sheet_per_village_is_read_whole_and_the_sheet_names_the_village(world, kind):
    from anmin.prevention.models import Camera

    CameraLedger = ledgers.find_ledger("prevention.camera")

    user = world.user(Role.TOWNSHIP_CENTER)
    report = CameraLedger(user=user).dry_run(camera_book(kind), filename=f"台账.{kind}")
    assert [e.message for e in report.errors] == []  # before: 乡镇(街道)、村(社区) 必填 on every row
    assert [(r.row.sheet, r.row.line) for r in report.rows] == [("古城村", 3), ("古城村", 4), ("大北村", 3)]
    notes = "\n".join(report.notes)
    assert "读取了2个工作表：“古城村”（2行）、“大北村”（1行）" in notes
    assert "工作表“古城村”有2行没有填写地点，已按工作表名填为乡镇(街道)“古城镇”、村(社区)“古城村委会”" in notes
    assert "“填表说明”没有本台账的表头" in notes
    assert "“汇总”从名称看是汇总" in notes  # its rows are the others': never imported twice
    if kind == "xlsx":
        assert "“旧表”是隐藏的工作表，未读取" in notes
    CameraLedger(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert sorted(Camera.objects.values_list("name", "region_id")) == [
        ("古城小学门口", world.gc_village.code), ("古城村口", world.gc_village.code),
        ("大北村委会门口", world.gc_village2.code)]


def test_an_error_on_one_sheet_names_the_sheet_and_nothing_is_imported(world):
    from anmin.prevention.models import Camera

    CameraLedger = ledgers.find_ledger("prevention.camera")

    user = world.user(Role.TOWNSHIP_CENTER)
    report = CameraLedger(user=user).dry_run(camera_book(bad=True))
    [error] = report.errors
    assert (error.sheet, error.row.line, error.as_dict()["row"], error.as_dict()["sheet"]) == ("大北村", 3, 3, "大北村")
    assert error.message.startswith("建设项目")
    with pytest.raises(ledgers.LedgerImportError):
        CameraLedger(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert not Camera.objects.exists()
    import io

    from openpyxl import load_workbook

    errors_xlsx = CameraLedger(user=user).errors_workbook(report)
    ws = load_workbook(io.BytesIO(errors_xlsx)).active
    assert ws.cell(2, 1).value == "大北村 第3行"


def test_monthly_sheets_share_the_checks_of_one_file(world):
    """1月 and 2月: a person on both sheets is a repeat naming the other sheet's row."""
    from anmin.people.importers import ResidentLedger

    head = ["序号", "姓名", "性别", "公民身份号码", "所属乡镇", "所在村"]
    jan = [head, [1, "居民1", "女", ident(1, "女"), "古城镇", "古城村"], [2, "居民2", "男", ident(2, "男"), "古城镇", "古城村"]]
    feb = [head, [1, "居民1", "女", ident(1, "女"), "古城镇", "古城村"], [2, "居民5", "女", ident(5, "女"), "古城镇", "大北村"]]
    data = sheets.workbook({"1月": (jan, []), "2月": (feb, [])})
    report = ResidentLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(data)
    assert report.total == 4
    [error] = report.errors
    assert (error.sheet, error.row.line) == ("2月", 2)
    assert "与工作表“1月”第2行重复" in error.message


def test_the_row_limit_holds_across_the_sheets(world, settings):
    from anmin.people.importers import ResidentLedger

    settings.ANMIN_LEDGER_MAX_ROWS = 3
    head = ["姓名", "公民身份号码", "所属乡镇", "所在村"]
    book = {f"{m}月": ([head, *[[f"居民{m}{i}", ident(m * 10 + i, "女"), "古城镇", "古城村"] for i in range(2)]], [])
            for m in (1, 2)}
    report = ResidentLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(sheets.workbook(book))
    assert [e.message for e in report.file_errors] == ["台账超过3行，请分批导入"]


def test_rows_hidden_by_a_filter_are_imported_and_said(world):
    """An office filtered its ledger to 本月 and uploaded it: the whole ledger is meant, and the note says
    how many rows Excel hid and that they are imported too."""
    from anmin.people.importers import ResidentLedger

    grid = [HEAD, person(1, township="古城镇", village="古城村"), person(2, "男", "古城镇", "古城村"),
            person(3, township="古城镇", village="大北村")]
    data = sheets.workbook({"台账": (grid, [])}, hidden_rows={"台账": [1, 3]}, filters={"台账": "A1:H4"})
    report = ResidentLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(data)
    assert report.total == 3
    assert report.errors == []
    assert any("有2行数据在Excel里被筛选隐藏（第2行、第4行）" in n and "一并导入" in n for n in report.notes)


def test_a_row_of_one_of_several_sheets_reads_as_its_own_row():
    row = ledgers.SheetRow("古城村", 5, 2)
    assert (f"第{row}行", str(row), ledgers.where(row), ledgers.where(5)) == ("第5行", "5", "工作表“古城村”第5行", "第5行")
    assert row > ledgers.SheetRow("大北村", 900, 1)
    assert row != 5
    assert row.__reduce__() == (ledgers.SheetRow, ("古城村", 5, 2))


REGISTRIES = {
    "prevention.team": (["所属乡镇", "所在村", "队伍名称", "队伍类型", "队长"],
                        [["古城镇", "古城村村委会", "古城村治安巡逻队", "村(社区)治安巡逻队", "张三"]]),
    "hazards.water": (["所属乡镇", "所在村", "水域名称", "水域类型", "位置描述", "警示牌(块)"],
                      [["古城镇", "大北村民委员会", "大北坑塘", "坑塘", "村东", "2块"]]),
    "prevention.point": (["乡镇（街道）", "村（社区）", "布点名称", "视频路数", "计划建成日期"],
                         [["古城", "古城村", "古城村西口", "4路", "2020年5月3日"]]),
}


@pytest.mark.parametrize("key", sorted(REGISTRIES))
def test_registry_ledgers_read_an_office_file(world, key):
    """The registries that had no office file of their own (patrol teams among them): title, 填报单位,
    two-row merged header, 序号, office column names, 合计 and footer, a 填表说明 sheet first."""
    from anmin.tests.test_office_ledgers import UNIT

    ledger_cls = ledgers.find_ledger(key)
    user = world.user(Role.TOWNSHIP_CENTER)
    head, rows = REGISTRIES[key]
    grid, merges, _numbers = sheets.office_grid(f"禹州市{ledger_cls.title}", UNIT, head, rows)
    report = ledger_cls(user=user).dry_run(sheets.xlsx(grid, merges, cover=[["填表说明"], ["按村填写"]]))
    assert not report.needs_mapping, report.file_errors
    assert [e.message for e in report.errors] == []
    assert ledger_cls(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING).imported == len(rows)
