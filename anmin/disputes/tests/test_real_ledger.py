# ruff: noqa: E501  (rows of a real ledger read best one to a line)
"""A township's 矛盾纠纷排查化解台账 as it is really kept — two title rows, a two-row merged header
(当事人基本情况 over 姓名 / 身份证号码 / 联系电话 / 住址), 排查时间 / 纠纷类型 / 化解时限 / 化解情况, flat
category names, short village names, every date style, full-width digits, notes under the table —
maps itself, reports exactly the planted errors and imports every good row; saved as .xls and as a
GBK CSV it gives the same result."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.core.testing import sheets
from anmin.core.tests.factories import make_region
from anmin.disputes.importers import DisputeLedger
from anmin.disputes.models import Dispute, DisputeParty, Outcome

ID = [make_id_number(birth_date=dt.date(1960 + i, 1 + i % 12, 3), sequence=100 + i) for i in range(12)]
TITLE = ["古城镇矛盾纠纷排查化解台账"]
UNIT = ["填报单位（盖章）：古城镇综治中心", None, None, None, None, None, None, None, "填报时间：2020年12月31日"]
UPPER = ["序号", "纠纷简要情况", "纠纷类型", "发生地点", "当事人基本情况", None, None, None, "排查时间", "化解时限",
         "化解情况", "化解责任单位", "责任人", "涉及人数", "备注"]
LOWER = [None, None, None, None, "姓名", "身份证号码", "联系电话", "住址", None, None, None, None, None, None, None]
MERGES = [(0, 0, 0, 14), (2, 4, 2, 7)] + [(2, c, 3, c) for c in (0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14)]


def data_rows() -> list[list]:
    """(row, good?) — every date style, short village names, flat categories; five planted errors."""
    d = dt.date
    return [
        [1, "王某与赵某宅基地边界纠纷", "宅基地纠纷", "古城村", "王某", ID[0], "13700001111", "古城镇古城村3组", "2020-03-05",
         "2020-04-05", "已化解", "古城村调委会", "李四", 2, ""],
        [2, "张某与刘某邻里通行纠纷", "邻里纠纷", "大北村", "张某", ID[1], "0374-8123456", "无梁镇无梁村", "2020/3/6",
         "2020/4/6", "正在化解", "大北村调委会", "王五", 3, "跨乡镇当事人"],
        [3, "陈某家庭赡养纠纷", "婚姻家庭", "光明社区", "陈某", ID[2], "13700002222", "古城镇光明社区", "2020.3.7",
         "2020.4.7", "已化解", "光明社区调委会", "赵六", "２", None],
        [4, "孙某车辆损害赔偿纠纷", "损害赔偿", "古城村", "孙某", ID[3], None, None, "２０２０年３月８日", "2020年4月8日",
         "未化解", "古城镇司法所", "钱七", 2, None],
        [5, "周某与吴某借贷纠纷", "民间借贷", "大北村", "周某", ID[4], "13700003333", "古城镇大北村", d(2020, 3, 9),
         d(2020, 4, 9), "已化解", "大北村调委会", "李四", 2, None],
        [6, "郑某土地承包纠纷", "土地承包纠纷", "古城村", "郑某", ID[5], None, None, 43900, 43930, "正在化解",
         "古城村调委会", "王五", 4, None],
        # planted: an unknown category AND a deadline before the day found (both reported)
        [7, "冯某与陈某吵架", "吵架纠纷", "古城村", "冯某", ID[6], None, None, "2020-05-10", "2020-05-01", "已化解",
         "古城村调委会", "李四", 2, None],
        # planted: a village that does not exist
        [8, "褚某劳务纠纷", "劳动争议", "新新村", "褚某", ID[7], None, None, "2020-05-11", "2020-06-11", "正在化解",
         "古城镇司法所", "钱七", 2, None],
        # planted: a date that is not one
        [9, "卫某物业纠纷", "物业纠纷", "光明社区", "卫某", ID[8], None, None, "2020-13-01", None, "正在化解",
         "光明社区调委会", "赵六", 2, None],
        # planted: an ID number typed as a number (last digits lost)
        [10, "蒋某医疗纠纷", "医疗纠纷", "古城村", "蒋某", float(ID[9][:17] + "0"), None, None, "2020-05-13", None,
         "正在化解", "古城镇卫生院", "王五", 2, None],
        # planted: an outcome word that means nothing
        [11, "沈某合同纠纷", "合同纠纷", "大北村", "沈某", ID[10], None, None, "2020-05-14", None, "搞定了",
         "大北村调委会", "李四", 2, None],
    ]


PLANTED = {(11, "category"), (11, "deadline"), (12, "village"), (13, "found_on"), (14, "applicant_id"),
           (15, "outcome")}
GOOD = 6


def grid() -> list[list]:
    notes = [["填表人：张三", None, None, "审核人：李四", None, None, "联系电话：0374-8000000"]]
    return [TITLE, UNIT, UPPER, LOWER, *data_rows(), *notes]


@pytest.fixture
def office(world):
    make_region("411081106001", "光明居委会", world.gucheng)
    return world.user(Role.TOWNSHIP_CENTER)


def check(report: ledgers.DryRun) -> None:
    assert not report.needs_mapping, report.file_errors
    assert report.file_errors == []
    assert report.header_rows == (3, 4)
    assert {"title", "category", "village", "found_on", "deadline", "outcome", "applicant", "applicant_id",
            "applicant_phone", "applicant_address", "people_involved"} <= set(report.mapping)
    assert report.total == 11  # the notes row is not a data row
    found = {(e.row, e.field) for e in report.errors}
    assert found == PLANTED, sorted(found ^ PLANTED)
    for e in report.errors:
        assert e.row
        assert e.field
        assert e.message.startswith(e.column)
    by = {(e.row, e.field): e for e in report.errors}
    assert "是不是" in by[(11, "category")].message
    assert "不能早于登记日期" in by[(11, "deadline")].message
    assert "新新村" in by[(12, "village")].message
    assert "文本" in by[(14, "applicant_id")].message
    assert report.new_count == GOOD


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv-gbk"])
def test_the_real_ledger_maps_itself_reports_the_planted_errors_and_imports_the_rest(office, kind):
    rows = grid()
    data = {"xlsx": lambda: sheets.xlsx(rows, MERGES), "xls": lambda: sheets.xls(rows, MERGES),
            "csv-gbk": lambda: sheets.csv_bytes(rows, encoding="gbk")}[kind]()
    name = {"xlsx": "台账.xlsx", "xls": "台账.xls", "csv-gbk": "台账.csv"}[kind]
    report = DisputeLedger(user=office).dry_run(data, filename=name)
    if kind == "csv-gbk":
        assert report.encoding == "GBK/GB18030"
    check(report)
    result = DisputeLedger(user=office).run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == GOOD
    disputes = {d.case.title: d for d in Dispute.objects.select_related("case__region")}
    assert len(disputes) == GOOD
    first = disputes["王某与赵某宅基地边界纠纷"]
    assert (first.category, first.outcome, first.case.region.name) == ("0902", Outcome.SUCCESS, "古城村委会")
    assert first.concluded_on == dt.date(2020, 4, 5)  # no 调结日期 column: the deadline stands for it
    assert disputes["张某与刘某邻里通行纠纷"].outcome == Outcome.PENDING  # 正在化解: open, on the case engine
    assert disputes["陈某家庭赡养纠纷"].case.region.name == "光明居委会"
    assert disputes["陈某家庭赡养纠纷"].people_involved == 2  # full-width ２
    assert disputes["孙某车辆损害赔偿纠纷"].found_on == dt.date(2020, 3, 8)
    assert disputes["孙某车辆损害赔偿纠纷"].outcome == Outcome.FAILED
    assert disputes["郑某土地承包纠纷"].found_on == dt.date(2020, 3, 10)  # Excel serial 43900
    party = DisputeParty.objects.get(dispute=disputes["张某与刘某邻里通行纠纷"], name="张某")
    assert party.address == "无梁镇无梁村"  # the party's own place, not the dispute's
    assert party.person_id is not None  # linked to the person register


def test_one_bad_cell_hides_no_other_check_and_a_repeated_id_under_two_names_is_a_warning(office):
    rows = [TITLE, UPPER, LOWER,
            [1, "甲乙纠纷", "吵架", "古城村", "甲", ID[0], "123", None, "2020-05-10", "2020-05-01", "已化解", None, None,
             "x", None],
            [2, "丙丁纠纷", "邻里纠纷", "古城村", "丙", ID[0], None, None, "2020-05-10", None, "正在化解", None, None, 2,
             None]]
    report = DisputeLedger(user=office).dry_run(sheets.xlsx(rows, [(1, 4, 1, 7)]))
    assert {e.field for e in report.errors if e.row == 4} == {"category", "applicant_phone", "deadline",
                                                              "people_involved"}
    assert [e.value for e in report.errors if e.field == "applicant_phone"] == ["123"]
    warnings = [w for w in report.warnings if w.field == "applicant_id"]
    assert [(w.row, w.field) for w in warnings] == [(5, "applicant_id")]
    assert "姓名不同" in warnings[0].message
    assert [w.row for w in report.warnings if w.field == "outcome"] == [4]  # 已化解 without a 调结日期 column


def test_an_unknown_layout_asks_once_and_the_confirmed_mapping_is_remembered(office, client, settings, tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path
    rows = [["序号", "事件描述", "纠纷类型", "村(社区)", "当事人", "排查时间"],
            [1, "甲乙宅基地纠纷", "宅基地纠纷", "古城村", "甲", "2020-05-10"],
            [2, "丙丁邻里纠纷", "邻里纠纷", "大北村", "丙", "2020-05-11"]]
    data = sheets.xlsx(rows)
    client.force_login(office)
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post("/disputes/", {"ledger_step": "upload", "file": SimpleUploadedFile("台账.xlsx", data)})
    body = page.content.decode()
    assert "data-mapping-step" in body
    assert "事件描述" in body
    assert "甲乙宅基地纠纷" in body
    token = page.context["token"]
    posted = {"ledger_step": "mapping", "token": token, "map_title": "1"}
    page = client.post("/disputes/", posted)
    assert page.context["report"].needs_mapping is False
    assert page.context["report"].new_count == 2
    done = client.post("/disputes/", {"ledger_step": "confirm", "token": token, "mode": "all_or_nothing"})
    assert done.context["result"].imported == 2
    # next month's file in the same layout: mapped without asking
    rows[1][1], rows[2][1] = "戊己宅基地纠纷", "庚辛邻里纠纷"
    report = DisputeLedger(user=office).dry_run(sheets.xlsx(rows))
    assert not report.needs_mapping
    assert report.matched_by["title"] == "remembered"
    assert report.new_count == 2


def test_places_by_short_and_former_names_and_ambiguity_named(world, settings, tmp_path):
    from django.core.exceptions import ValidationError

    from anmin.core.regions_io import PlaceResolver

    make_region("411081106210", "东村村委会", world.gucheng)
    make_region("411081107210", "东村村委会", world.wuliang)
    former = tmp_path / "former.csv"
    former.write_text("code,former_name\n411081106203,大北庄\n", encoding="utf-8")
    settings.ANMIN_REGION_FORMER_NAMES_FILE = str(former)
    places = PlaceResolver()
    assert places.resolve(village="古城村") == "411081106202"
    assert places.resolve(village="大北庄") == "411081106203"  # a former name
    assert places.resolve(village="东村", within="411081107") == "411081107210"
    with pytest.raises(ValidationError) as e:
        places.resolve(village="东村")
    assert "古城镇东村村委会" in str(e.value)
    assert "无梁镇东村村委会" in str(e.value)
    assert places.find_in_text(["古城镇大北村实有人口登记表"]) == "411081106203"


def test_the_command_line_dry_runs_imports_and_exports_through_the_same_framework(office, tmp_path, capsys):
    import json

    from django.core.management import call_command

    path = tmp_path / "台账.xlsx"
    path.write_bytes(sheets.xlsx(grid(), MERGES))
    with pytest.raises(SystemExit) as stopped:
        call_command("ledger", "import", "disputes", str(path), "--as", office.username, "--dry-run", "--format", "json")
    assert stopped.value.code == 1  # rows with errors
    out = json.loads(capsys.readouterr().out)
    assert out["mapping"]["found_on"]["column"] == "排查时间"
    assert {(e["row"], e["field"]) for e in out["errors"]} == PLANTED
    assert set(out["errors"][0]) >= {"row", "field", "value", "message"}
    assert Dispute.objects.count() == 0
    call_command("ledger", "import", "disputes", str(path), "--as", office.username, "--format", "json")
    assert json.loads(capsys.readouterr().out)["imported"] == GOOD
    assert Dispute.objects.count() == GOOD
    out_file = tmp_path / "导出.xlsx"
    call_command("ledger", "export", "disputes", "--out", str(out_file), "--as", office.username)
    assert f"已导出 {GOOD} 行" in capsys.readouterr().out
    again = DisputeLedger(user=office).dry_run(out_file.read_bytes())
    assert (again.errors, again.existing_count) == ([], GOOD)


def test_a_large_file_is_checked_and_imported_in_the_background_with_progress(office, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anmin.core.ledgers import jobs

    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path
    settings.ANMIN_LEDGER_BACKGROUND_BYTES = 1000  # this small file counts as large
    client.force_login(office)
    data = sheets.xlsx(grid(), MERGES)
    page = client.post("/disputes/", {"ledger_step": "upload", "file": SimpleUploadedFile("台账.xlsx", data)})
    assert page.context["step"] == "job"
    token = page.context["token"]
    assert jobs.state(token, user_id=office.pk, ledger_key="disputes.ledger")["state"] == "queued"
    jobs.run(token, office.pk, "disputes.ledger")  # what `anmin worker` runs
    page = client.get(f"/disputes/?import=job&token={token}")
    body = page.content.decode()
    assert page.context["job"]["state"] == "checked"
    assert page.context["job_report"]["new"] == GOOD
    assert "data-import-errors" in body
    page = client.post("/disputes/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    assert page.context["step"] == "job"
    assert Dispute.objects.count() == 0  # nothing written by the request itself
    jobs.run(token, office.pk, "disputes.ledger", "valid_only")
    page = client.get(f"/disputes/?import=job&token={token}")
    assert page.context["job"]["state"] == "done"
    assert page.context["job"]["imported"] == GOOD
    assert Dispute.objects.count() == GOOD


def test_a_background_job_can_be_cancelled(office, client, settings, tmp_path):
    from anmin.core.ledgers import jobs
    from anmin.core.ledgers.store import UploadStore

    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path
    rows = [TITLE, UPPER, LOWER] + [[i, f"纠纷{i}", "邻里纠纷", "古城村", "甲", None, None, None, "2020-05-10", None,
                                     "正在化解", None, None, 2, None] for i in range(2500)]
    token = UploadStore().put(user_id=office.pk, ledger_key="disputes.ledger", filename="大.xlsx",
                              data=sheets.xlsx(rows, [(1, 4, 1, 7)]))
    jobs.cancel(token)
    assert jobs.run(token, office.pk, "disputes.ledger") == {"cancelled": True}
    assert jobs.state(token, user_id=office.pk, ledger_key="disputes.ledger")["state"] == "cancelled"


def test_the_template_has_the_import_columns_notes_and_drop_down_lists(office, client):
    import io

    from openpyxl import load_workbook

    client.force_login(office)
    resp = client.get("/disputes/?import=template")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["编号", "纠纷名称*", "纠纷类别*"]
    notes = {c.value: c.comment.text for c in ws[1] if c.comment}
    assert "必填" in notes["登记日期*"]
    assert "2020年3月5日" in notes["登记日期*"]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("调解成功" in f for f in lists)
    assert any("个体性事件" in f for f in lists) or any("排查" in f for f in lists)
    # a filled-in template imports
    ws.append([None, "甲乙纠纷", "宅基地纠纷", None, "古城镇", "古城村", None, "2020-05-10", None, None, 2, None, None, "甲"])
    buf = io.BytesIO()
    ws.parent.save(buf)
    report = DisputeLedger(user=office).dry_run(buf.getvalue())
    assert (report.errors, report.new_count) == ([], 1)


def test_a_large_file_in_an_unknown_layout_gets_the_mapping_step_then_goes_back_to_the_background(
        office, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anmin.core.ledgers import jobs

    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path
    settings.ANMIN_LEDGER_BACKGROUND_BYTES = 1000
    client.force_login(office)
    rows = [["序号", "事件描述", "纠纷类型", "村(社区)", "当事人", "排查时间"],
            [1, "甲乙宅基地纠纷", "宅基地纠纷", "古城村", "甲", "2020-05-10"]]
    page = client.post("/disputes/", {"ledger_step": "upload", "file": SimpleUploadedFile("a.xlsx", sheets.xlsx(rows))})
    token = page.context["token"]
    jobs.run(token, office.pk, "disputes.ledger")
    page = client.get(f"/disputes/?import=job&token={token}")
    assert page.context["step"] == "report"
    assert page.context["report"].needs_mapping
    page = client.post("/disputes/", {"ledger_step": "mapping", "token": token, "map_title": "1"})
    assert page.context["step"] == "job"
    jobs.run(token, office.pk, "disputes.ledger")
    assert jobs.state(token, user_id=office.pk, ledger_key="disputes.ledger")["report"]["new"] == 1


def _ledger_of(n: int, start: int) -> bytes:
    """``n`` good rows, open and concluded, each party with their own ID number (new to the register)."""
    rows = []
    for k in range(n):
        number = make_id_number(birth_date=dt.date(1950 + k % 40, 1 + k % 12, 1 + k % 28), sequence=start + k)
        outcome = ("正在化解", "已化解", "未化解")[k % 3]
        rows.append([k + 1, f"第{start + k}号纠纷", ("宅基地纠纷", "邻里纠纷", "婚姻家庭")[k % 3],
                     ("古城村", "大北村", "光明社区")[k % 3], f"当事人{k}", number, "13700001111", "古城镇",
                     "2020-03-05", "2020-04-05", outcome, None, None, 2, None])
    return sheets.xlsx([TITLE, UNIT, UPPER, LOWER, *rows], MERGES)


@pytest.mark.parametrize("n", [10, 60])
def test_importing_more_rows_runs_no_more_queries(office, n, django_assert_max_num_queries):
    """The import is set-based: cases, events, parties, people and audit entries are written per
    batch, so 60 rows need no more queries than 10 (the bound is the same for both sizes)."""
    report = DisputeLedger(user=office).dry_run(_ledger_of(n, 300 + n * 10))
    assert (report.errors, report.new_count) == ([], n)
    with django_assert_max_num_queries(60):
        result = DisputeLedger(user=office).run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == n
    assert Dispute.objects.filter(outcome="").count() == n // 3 + (n % 3 > 0)  # 正在化解 rows: still open
    linked = DisputeParty.objects.filter(dispute__case__title__startswith="第", person__isnull=False)
    assert linked.count() == n  # every party linked to the (new) person in the register


def test_dry_run_queries_do_not_grow_per_row(office, django_assert_max_num_queries):
    for n in (10, 60):
        data = _ledger_of(n, 900 + n * 10)
        with django_assert_max_num_queries(25):
            report = DisputeLedger(user=office).dry_run(data)
        assert report.new_count == n


def test_the_bulk_import_refuses_a_dispute_outside_the_users_area_and_writes_nothing(office, world):
    from anmin.core.errors import ActionError
    from anmin.disputes import actions
    from anmin.workflow import actions as case_actions

    def item(title, region):
        case = case_actions.PastCase(kind="MD", title=title, region_id=region.code,
                                     opened_at=dt.datetime(2020, 5, 10, 8, tzinfo=dt.UTC), reporter=office)
        return actions.PastDispute(case=case, category="0902", found_on=dt.date(2020, 5, 10),
                                   parties=[{"name": "甲", "id_number": ID[0]}])

    with pytest.raises(ActionError) as refused:
        actions.import_past_disputes([item("古城纠纷", world.gc_grid), item("无梁纠纷", world.wl_grid)], actor=office)
    assert "不在您负责的网格或辖区内" in str(refused.value)
    assert Dispute.objects.count() == 0
    assert actions.import_past_disputes([item("古城纠纷", world.gc_grid)], actor=office) == 1


def _titled(title: str, rows: list[list]) -> bytes:
    header = ["纠纷名称", "纠纷类别", "乡镇(街道)", "村(社区)", "登记日期", "申请人"]
    return sheets.xlsx([[title], header, *rows])


def test_a_township_ledger_is_not_read_as_the_register_of_the_village_its_name_contains(office):
    """古城镇's name holds 古城, the short name of 古城村委会: a 古城镇 ledger's row that leaves 村(社区)
    empty was put in 古城村 without a word; it is told that the village is missing."""
    data = _titled("古城镇矛盾纠纷排查化解台账（2020年12月）", [
        ["王某与赵某宅基地边界纠纷", "0902", "", "", "2020-12-05", "王某"],
        ["张某与刘某邻里通行纠纷", "0902", "", "大北村", "2020-12-05", "张某"],
    ])
    report = DisputeLedger(user=office).dry_run(data, filename="古城镇台账.xlsx")
    assert [(e.row, e.field, e.message) for e in report.errors] == [(3, "village", "村(社区)：必填")]
    assert report.new_count == 1
    # A ledger that does name the village is still that village's register.
    data = _titled("古城镇古城村矛盾纠纷台账", [["孙某与李某相邻纠纷", "0902", "", "", "2020-12-05", "孙某"]])
    report = DisputeLedger(user=office).dry_run(data, filename="古城村台账.xlsx")
    assert report.errors == []
    assert report.new_count == 1
    DisputeLedger(user=office).run_import(report, mode=ledgers.VALID_ONLY)
    assert Dispute.objects.get().case.region.name == "古城村委会"


def test_a_village_taken_from_the_title_is_named_not_shown_as_its_code(office):
    data = _titled("古城镇古城村矛盾纠纷台账", [["吴某与郑某纠纷", "0902", "无梁镇", "", "2020-12-05", "吴某"]])
    report = DisputeLedger(user=office).dry_run(data, filename="台账.xlsx")
    messages = [e.message for e in report.errors]
    assert "村(社区)：“古城村委会”不在“无梁镇”" in messages, messages
    assert not any("411081" in m for m in messages)


def test_both_parties_under_their_own_header_groups_lose_nothing(office):
    """Another office's layout: 申请人 and 被申请人 each over 姓名 / 身份证号码 / 联系电话 / 住址. Every
    column is read (none listed as ignored) and both parties keep their number, phone and address."""
    header = ["纠纷名称", "纠纷类型", "发生地点", "申请人/姓名", "申请人/身份证号码", "申请人/联系电话", "申请人/住址",
              "被申请人/姓名", "被申请人/身份证号码", "被申请人/联系电话", "被申请人/住址", "排查时间", "化解情况"]
    rows = [["王某与赵某宅基地边界纠纷", "宅基地纠纷", "古城村", "王某", ID[0], "13700001111", "古城镇古城村3组",
             "赵某", ID[1], "13700002222", "古城镇古城村4组", "2020-03-05", "正在化解"]]
    grid_, merges, _numbers = sheets.office_grid("古城镇矛盾纠纷排查化解台账", "填报单位：古城镇综治中心", header, rows)
    report = DisputeLedger(user=office).dry_run(sheets.xlsx(grid_, merges), filename="台账.xlsx")
    assert not report.needs_mapping, report.mapping
    assert report.columns_ignored == ["序号"]  # the row numbers only
    assert report.errors == []
    DisputeLedger(user=office).run_import(report, mode=ledgers.VALID_ONLY)
    parties = {p.role: p for p in DisputeParty.objects.all()}
    respondent = parties["respondent"]
    assert (respondent.name, respondent.phone, respondent.address) == ("赵某", "13700002222", "古城镇古城村4组")
    assert respondent.id_number.reveal() == ID[1]
    assert parties["applicant"].address == "古城镇古城村3组"
