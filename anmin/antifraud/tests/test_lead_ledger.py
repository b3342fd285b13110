"""The 预警线索台账 import as offices' files have it: ID numbers in number cells, an upstream id
repeated in one file, the column names offices use, and choice columns by label, code or the
code with its leading zero dropped by Excel; a village by its short name."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from anmin.antifraud.importers import LeadLedger
from anmin.antifraud.models import Lead
from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.core.testing import sheets


def _xlsx(header: list[str], rows: list[list]) -> bytes:
    return sheets.xlsx([header, *rows])


def _idn(seq: int, born: dt.date = dt.date(1980, 3, 5)) -> str:
    return make_id_number(birth_date=born, region_code="411081", sequence=seq)


def _run(world, data: bytes):
    dry = LeadLedger(user=world.user(Role.CITY_OFFICE)).dry_run(data)
    return dry, (LeadLedger(user=world.user(Role.CITY_OFFICE)).run_import(dry, mode=ledgers.VALID_ONLY)
                 if dry.new_count else None)


TEMPLATE = ["上游线索编号", "受害人所在区划代码", "潜在受害人姓名", "联系电话", "身份证号码", "诈骗类型代码",
            "线索来源", "涉及金额(元)"]


def test_an_id_number_in_a_number_cell_says_the_last_digits_are_lost(world):
    dry, _result = _run(world, _xlsx(TEMPLATE, [
        ["QA-1", world.gc_village.code, "赵一", "", int(_idn(1)), "01", "", 100],
        ["QA-2", world.gc_village.code, "赵二", 13837416002, _idn(2), "01", "", 100],  # phone as a number: fine
    ]))
    assert [(e.row, e.column) for e in dry.errors] == [(2, "身份证号码")]
    message = dry.errors[0].message
    assert "单元格是数值格式，末位已丢失" in message
    assert "校验位" not in message
    assert dry.new_count == 1


def test_a_repeated_upstream_id_is_an_error_on_the_later_row_and_the_counts_agree(world):
    data = _xlsx(TEMPLATE, [
        ["QA-AF3-001", world.gc_village.code, "赵一", "13837416001", "", "04", "", 50000],
        ["QA-AF3-002", world.gc_village.code, "赵二", "13837416002", "", "02", "", 1000],
        ["QA-AF3-003", world.gc_village2.code, "赵三", "13837416003", "", "01", "", 2000],
        ["QA-AF3-003", world.gc_village2.code, "赵三b", "13837416004", "", "01", "", 2000],
    ])
    dry, result = _run(world, data)
    assert [(e.row, e.column, e.message) for e in dry.errors] == [
        (5, "上游线索编号", "上游线索编号：与第4行重复")]
    assert dry.new_count == 3
    assert result.imported == 3
    assert result.skipped_rows == (5,)
    assert result.message == "已导入3行，跳过有错误的1行"
    assert Lead.objects.filter(upstream_id="QA-AF3-003").get().victim_name == "赵三"


@pytest.mark.parametrize(("phone", "idn", "source"), [
    ("手机号", "身份证号", "来源"), ("手机号码", "身份证号", "线索来源"), ("联系方式", "公民身份号码", "来源"),
    ("受害人电话", "身份证号", "来源"),
])
def test_the_column_names_offices_use_are_recognised(world, phone, idn, source):
    header = ["线索编号", "区划代码", "受害人姓名", phone, idn, "诈骗类型", source, "涉及金额（元）"]
    dry, result = _run(world, _xlsx(header, [
        ["QA-H-1", world.gc_village.code, "刘一", "138 3741 5001", _idn(11), "01", "银行", "5000"],
    ]))
    assert dry.errors == []
    assert {"victim_phone", "victim_id_number", "source", "victim_name"} <= set(dry.mapping)
    assert result.imported == 1
    lead = Lead.objects.get(upstream_id="QA-H-1")
    assert (lead.source, lead.victim_phone) == ("bank", "13837415001")


def test_the_warning_time_column_is_the_time_the_lead_came_in(world):
    from django.utils import timezone

    from anmin.core import clock

    when = (clock.now() - dt.timedelta(hours=2)).astimezone(timezone.get_current_timezone()).replace(
        second=0, microsecond=0, tzinfo=None)
    dry, result = _run(world, _xlsx(["线索编号", "区划代码", "受害人姓名", "手机号", "诈骗类型", "预警时间"], [
        ["QA-T-1", world.gc_village.code, "刘一", "13837415001", "01", when],
        ["QA-T-2", world.gc_village.code, "刘二", "13837415002", "01", when.strftime("%Y/%m/%d %H:%M")],
        ["QA-T-3", world.gc_village.code, "刘三", "13837415003", "01", "昨天"],
    ]))
    assert [(e.row, e.column) for e in dry.errors] == [(4, "线索下发时间")]
    assert result.imported == 2
    for up in ("QA-T-1", "QA-T-2"):
        got = Lead.objects.get(upstream_id=up).received_at
        assert timezone.make_naive(got, timezone.get_current_timezone()) == when


def test_choice_columns_take_labels_codes_and_codes_without_their_leading_zero(world):
    header = ["线索编号", "区划代码", "受害人姓名", "手机号", "诈骗类型", "线索来源", "涉及金额", "预警等级",
              "调整等级理由"]
    dry, result = _run(world, _xlsx(header, [
        ["QA-C-1", world.gc_village.code, "刘一", "13837415001", "冒充公检法", "上级推送", 500, "", ""],
        ["QA-C-2", world.gc_village.code, "刘二", "13837415002", 4, "运营商", 500, "特高", ""],
        ["QA-C-3", world.gc_village.code, "刘三", "13837415003", "4", "pushed", 500, "红色", ""],
        ["QA-C-4", world.gc_village.code, "刘四", "13837415004", "04 冒充公检法", "群众举报", 500, "一级", ""],
        ["QA-C-5", world.gc_village.code, "刘五", "13837415005", "刷单返利", "", 500, "橙色", "老人独居"],
        ["QA-C-6", world.gc_village.code, "刘六", "13837415006", "01", "", 500, "high", "老人独居"],
        ["QA-C-7", world.gc_village.code, "刘七", "13837415007", "X9", "火星", 500, "超高", ""],
    ]))
    errors = [(e.row, e.column) for e in dry.errors]
    assert errors == [(8, "诈骗类型代码"), (8, "线索来源"), (8, "预警等级")]
    messages = " ".join(e.message for e in dry.errors)
    for said in ("“X9”不是", "“火星”不是可选值", "“超高”不是可选值"):
        assert said in messages
    assert result.imported == 6
    got = {lead.upstream_id: (lead.fraud_type, lead.source, lead.case.priority)
           for lead in Lead.objects.select_related("case").filter(upstream_id__startswith="QA-C-")}
    assert got == {"QA-C-1": ("04", "pushed", "critical"), "QA-C-2": ("04", "carrier", "critical"),
                   "QA-C-3": ("04", "pushed", "critical"), "QA-C-4": ("04", "public", "critical"),
                   "QA-C-5": ("01", "pushed", "high"), "QA-C-6": ("01", "pushed", "high")}


def test_a_village_by_its_short_name_is_its_region(world):
    header = ["线索编号", "所在乡镇", "区划代码", "受害人姓名", "手机号", "诈骗类型"]
    dry, result = _run(world, _xlsx(header, [
        ["QA-V-1", "", "大北村", "刘一", "13837415001", "01"],
        ["QA-V-2", "古城镇", "古城村", "刘二", "13837415002", "01"],
        ["QA-V-3", "", world.gc_grid.code, "刘三", "13837415003", "01"],
        ["QA-V-4", "", int(world.gc_village.code), "刘四", "13837415004", "01"],
        ["QA-V-5", "", "火星村", "刘五", "13837415005", "01"],
        ["QA-V-6", "无梁镇", "古城村", "刘六", "13837415006", "01"],
    ]))
    assert [(e.row, e.column) for e in dry.errors] == [(6, "受害人所在区划代码"), (7, "受害人所在区划代码")]
    assert "“火星村”不是本市的村(社区)" in dry.errors[0].message
    assert result.imported == 4
    got = dict(Lead.objects.filter(upstream_id__startswith="QA-V-").values_list("upstream_id", "case__region_id"))
    assert got == {"QA-V-1": world.gc_village2.code, "QA-V-2": world.gc_village.code, "QA-V-3": world.gc_grid.code,
                   "QA-V-4": world.gc_village.code}


def test_a_row_outside_the_importers_area_is_an_error_in_the_dry_run_not_a_silent_skip(world):
    dry = LeadLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(_xlsx(TEMPLATE, [
        ["QA-A-1", world.gc_village.code, "赵一", "13837416001", "", "01", "", 100],
        ["QA-A-2", world.wl_village.code, "赵二", "13837416002", "", "01", "", 100],
    ]))
    assert [(e.row, e.column) for e in dry.errors] == [(3, "受害人所在区划代码")]



def _lead(world, **kw):
    from anmin.antifraud import actions

    fields = {"victim_name": "张桂兰", "fraud_type": "04", "victim_phone": "13812345002", **kw}
    region = fields.pop("region", world.gc_grid)
    return actions.report_lead(actor=world.user(Role.CITY_OFFICE), region=region, **fields)


def _page_export(client, user, *, background: bool) -> bytes:
    """``/antifraud/?export=xlsx`` as the page answers it: at once, or (over
    ``ANMIN_EXPORT_BACKGROUND_ROWS``) written by the worker through the page's ``write_export``."""
    from anmin.core.ledgers import export_jobs

    client.force_login(user)
    resp = client.get("/antifraud/", {"export": "xlsx"})
    if not background:
        assert resp.status_code == 200
        return resp.content
    assert resp.status_code == 302
    token = resp["Location"].split("export_job=")[1]
    export_jobs.run(token, user.pk, "/antifraud/", {"export": ["xlsx"]})
    return client.get("/antifraud/", {"export_job": token, "download": "1"}).content


def _three_leads(world):
    _lead(world, upstream_id="QA-RT-1", victim_phone="13800005002")
    _lead(world, upstream_id="QA-RT-2", region=world.gc_village2, victim_id_number=_idn(21), victim_phone="")
    _lead(world, victim_name="李四", region=world.wl_village, amount_at_risk=3000)  # typed in: no upstream id


@pytest.mark.parametrize("background", [True, False])
def test_the_page_export_dry_runs_as_all_registered_with_no_errors(client, world, settings, upload_dir, background):
    _three_leads(world)
    user = world.user(Role.CITY_OFFICE)
    settings.ANMIN_EXPORT_BACKGROUND_ROWS = 0 if background else 20_000
    data = _page_export(client, user, background=background)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    cells = [c for r in rows for c in r if c]
    assert "13800005002" not in cells  # still masked
    assert "138****5002" in cells
    assert {world.gc_grid.code, world.gc_village2.code, world.wl_village.code} <= set(cells)  # the region
    assert {"QA-RT-1", "QA-RT-2"} <= set(cells)  # the upstream id
    report = LeadLedger(user=user).dry_run(data)
    assert report.errors == []
    assert (report.new_count, report.existing_count) == (0, 3)


def test_new_rows_in_an_exported_file_are_new_and_need_full_numbers(world):
    _three_leads(world)
    user = world.user(Role.CITY_OFFICE)
    ledger = LeadLedger(user=user)
    out = io.BytesIO()
    ledger.write_workbook(out, ledger.export_queryset(user))
    rows = [list(r) for r in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True)]
    col = {str(h).rstrip("*"): i for i, h in enumerate(rows[0])}

    def new(up, phone, idn=None):
        r = [None] * len(rows[0])
        r[col["上游线索编号"]], r[col["受害人所在区划代码"]], r[col["潜在受害人姓名"]] = up, "大北村", "新人"
        r[col["联系电话"]], r[col["身份证号码"]], r[col["诈骗类型代码"]] = phone, idn, "04"
        return r

    added = [new("QA-NEW-1", "13800005010"), new("QA-NEW-2", "138****5011"), new(None, "138****5012"),
             new(None, None, "411***********0735")]
    dry = LeadLedger(user=user).dry_run(_xlsx(rows[0], [*rows[1:], *added]))
    first = len(rows) + 1
    assert sorted((e.row, e.field) for e in dry.errors) == [
        (first + 1, "victim_phone"), (first + 2, "victim_phone"), (first + 3, "victim_id_number")]
    assert all("是脱敏值，新增线索须填写完整号码" in e.message for e in dry.errors)
    assert (dry.new_count, dry.existing_count) == (1, 3)
    assert LeadLedger(user=user).run_import(dry, mode=ledgers.VALID_ONLY).imported == 1
    assert Lead.objects.get(upstream_id="QA-NEW-1").case.region_id == world.gc_village2.code


def test_a_platform_number_or_upstream_id_the_user_does_not_see_is_an_error(world):
    _three_leads(world)
    ledger = LeadLedger(user=world.user(Role.TOWNSHIP_CENTER))  # 古城镇: not 无梁镇's lead
    wuliang = Lead.objects.get(victim_name="李四")
    header = ["上游线索编号", "受害人所在区划代码", "潜在受害人姓名", "联系电话", "诈骗类型代码", "平台线索编号"]
    dry = ledger.dry_run(_xlsx(header, [
        [None, world.wl_village.code, "李四", "138****5002", "04", wuliang.case.number],
        ["QA-RT-1", world.gc_grid.code, "张桂兰", "138****5002", "04", None],
        ["QA-RT-2", world.gc_grid.code, "张桂兰", "138****5002", "04",
         Lead.objects.get(upstream_id="QA-RT-1").case.number],
    ]))
    assert sorted((e.row, e.field) for e in dry.errors) == [(2, "number"), (4, "upstream_id")]
    assert dry.existing_count == 1
