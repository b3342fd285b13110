# ruff: noqa: E501  (rows of a real ledger read best one to a line)
"""The registry ledgers and the records kept against them (the kit's ``make_ledger`` and
``record_import``) and the 涉诈黑名单, given the file a county office really keeps
(``sheets.office_grid``): a title row, a 填报单位 row, a two-row merged header with a 序号 column,
the office's own column names (所属乡镇 / 所在村, 姓名 under 基本信息, 服务时间, 巡查人员, 是否办结 …),
dates as 2020.5.3, 2020年5月3日 and Excel dates, √ and 是/否, a 备注 and a 联系电话 the ledger does not
keep, an empty row, a 合计 row and a 填表人 footer — as .xlsx, and several as .xls and GBK CSV. Each
maps itself, names the rows that cannot be trusted by row and column, reads the 合计 and the footer
past with a note, and imports the rest with the right values at the right places."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from anmin.core import ledgers
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.tests.test_office_ledgers import dry, errors, ident

# What these files test is reading an office's workbook (headers, sheets, cells, notes), the same code
# on either database; they run in the SQLite pass of make test (the importers' writes on PostgreSQL,
# COPY included, are tested by each app's importer tests). ANMIN_LEDGER_FILES_PG=1 runs them there too.
pytestmark = [*globals().get("pytestmark", []), pytest.mark.sqlite_pass, pytest.mark.skipif(
    connection.vendor == "postgresql" and not os.environ.get("ANMIN_LEDGER_FILES_PG"),
    reason="office files are read in the SQLite pass of make test")]


@dataclass
class Case:
    """One office's file: who imports it, what must exist first, its columns and rows, the rows that are
    errors (index in ``rows`` → field), its 合计 row, and what the import wrote."""

    role: str
    head: list[str]
    rows: Callable[[], list[list[Any]]]
    bad: dict[int, str]
    check: Callable[[Any], None]
    setup: Callable[[Any], None] = lambda world: None
    total: Any = ("合计",)
    kinds: tuple[str, ...] = ("xlsx",)
    messages: dict[int, str] = field(default_factory=dict)  # index → what the error message says


def school(world, name="古城小学", region=None):
    from anmin.campus import actions

    return actions.create_school(actor=SYSTEM, region=region or world.gc_village.code, name=name, kind="primary")


# -- campaigns -------------------------------------------------------------------------------------


def check_households(world):
    from anmin.campaigns.models import InsuredHousehold

    got = {h.householder: h for h in InsuredHousehold.objects.all()}
    assert set(got) == {"张三", "李四", "赵六"}
    assert (got["张三"].region_id, got["张三"].insured_on, got["张三"].premium) == (world.gc_village.code, dt.date(2020, 3, 5), Decimal(100))
    assert (got["李四"].region_id, got["李四"].insured_on, got["李四"].premium) == (world.gc_village2.code, dt.date(2020, 3, 5), Decimal(120))
    assert got["赵六"].region_id == world.gc_village2.code  # 古城 for 古城镇
    assert {h.year for h in got.values()} == {2020}


def check_designations(world):
    from anmin.campaigns.models import Designation

    got = {d.subject: d for d in Designation.objects.all()}
    assert set(got) == {"古城村", "古城镇中心小学", "大北村"}
    assert (got["古城村"].kind, got["古城村"].region_id, got["古城村"].score) == ("safe_village", world.gc_village.code, Decimal("95.5"))
    assert got["古城村"].decided_on == dt.date(2020, 6, 1)
    assert (got["古城镇中心小学"].kind, got["古城镇中心小学"].region_id) == ("safe_campus", world.gucheng.code)  # a township's
    assert got["大北村"].kind == "petition_village"


def check_counsellors(world):
    from anmin.campaigns.models import Counsellor

    got = {c.name: c for c in Counsellor.objects.all()}
    assert set(got) == {"刘敏", "王芳", "赵强"}
    assert (got["刘敏"].kind, got["刘敏"].full_time, got["刘敏"].crisis_team) == ("counsellor", True, "古城镇心理危机干预小组")
    assert (got["王芳"].kind, got["王芳"].full_time, got["王芳"].workplace) == ("school", False, "古城镇中心小学")
    assert (got["赵强"].region_id, got["赵强"].full_time) == (world.wuliang.code, True)  # √


def check_reports(world):
    from anmin.campaigns.models import PracticeReport

    got = {r.issue: r for r in PracticeReport.objects.all()}
    assert set(got) == {"2020年第5期", "第6期"}
    assert (got["2020年第5期"].region_id, got["2020年第5期"].published_on) == (world.gucheng.code, dt.date(2020, 5, 3))
    assert (got["第6期"].region_id, got["第6期"].reprinted_in) == (world.wuliang.code, "“学习强国”")


def counsellor(world):
    from anmin.campaigns import actions

    actions.create_counsellor(actor=SYSTEM, region=world.gucheng.code, name="刘敏", kind="counsellor")


def check_sessions(world):
    from anmin.campaigns.models import CounsellingSession

    got = sorted(CounsellingSession.objects.values_list("held_on", "topic", "people", "counsellor__name", "region_id"))
    assert got == [(dt.date(2020, 5, 3), "留守儿童心理健康讲座", 30, "刘敏", world.gucheng.code),
                   (dt.date(2020, 5, 10), "个体心理疏导", 1, "刘敏", world.gucheng.code)]


# -- campus ------------------------------------------------------------------------------------------


def check_incidents(world):
    from anmin.campus.models import CampusIncident

    got = {i.occurred_on: i for i in CampusIncident.objects.all()}
    assert set(got) == {dt.date(2020, 9, 1), dt.date(2020, 9, 8), dt.date(2020, 10, 8)}
    assert (got[dt.date(2020, 9, 1)].kind, got[dt.date(2020, 9, 1)].resolved) == ("traffic", True)
    assert (got[dt.date(2020, 9, 8)].kind, got[dt.date(2020, 9, 8)].resolved) == ("violence", True)  # 打架斗殴, √
    assert (got[dt.date(2020, 10, 8)].kind, got[dt.date(2020, 10, 8)].resolved) == ("intrusion", False)
    assert {i.region_id for i in got.values()} == {world.gc_village.code}  # the school's


def check_posts(world):
    from anmin.campus.models import GuardPost

    got = sorted(GuardPost.objects.values_list("place", "peak", "on_duty", "unit", "region_id"))
    assert got == [("南侧路口", "noon", "王辅警", "古城派出所", world.gc_village.code),
                   ("校门口", "evening", "张警官、李辅警", "古城派出所", world.gc_village.code),
                   ("校门口", "morning", "张警官、李辅警", "古城派出所", world.gc_village.code)]


def schools(world):
    school(world)
    school(world, "大北小学", world.gc_village2.code)


def check_checks(world):
    from anmin.campus.models import SafetyCheck

    got = {c.school.name: c for c in SafetyCheck.objects.select_related("school")}
    assert set(got) == {"古城小学", "大北小学"}
    assert (got["古城小学"].term, got["古城小学"].checked_on) == ("2020-2", dt.date(2020, 9, 15))
    assert got["古城小学"].items == ["guard", "alarm", "video", "closed", "post"]
    assert (got["大北小学"].term, got["大北小学"].items) == ("2020-2", ["guard", "post"])
    assert got["大北小学"].region_id == world.gc_village2.code


# -- hazards, prevention ----------------------------------------------------------------------------


def water(world):
    from anmin.hazards import actions

    actions.create_water(actor=SYSTEM, region=world.gc_village.code, name="古城坑塘", kind="pond")


def check_inspections(world):
    from anmin.hazards.models import WaterInspection

    got = sorted(WaterInspection.objects.values_list("inspected_on", "inspector", "signs_ok", "equipment_ok", "findings", "region_id"))
    assert got == [(dt.date(2020, 7, 1), "张三", True, True, "", world.gc_village.code),
                   (dt.date(2020, 7, 8), "李四", False, True, "警示牌被风刮倒", world.gc_village.code)]


def check_liaisons(world):
    from anmin.prevention.models import Liaison

    got = sorted(Liaison.objects.values_list("name", "kind", "org_name", "region_id"))
    assert got == [("张警官", "police", "古城派出所", world.gc_village.code),
                   ("李律师", "lawyer", "河南守正律师事务所", world.gc_village2.code)]


def team(world):
    from anmin.prevention import actions

    actions.create_team(actor=SYSTEM, region=world.gc_village, name="古城村治安巡逻队", kind="village")


def check_members(world):
    from anmin.prevention.models import PatrolMember

    got = sorted(PatrolMember.objects.values_list("name", "role", "team__name", "region_id"))
    assert got == [("张三", "villager", "古城村治安巡逻队", world.gc_village.code),
                   ("李四", "cadre", "古城村治安巡逻队", world.gc_village.code),
                   ("王五", "police", "古城村治安巡逻队", world.gc_village.code)]


def check_platforms(world):
    from anmin.prevention.models import Platform

    got = sorted(Platform.objects.values_list("name", "place_kind", "address", "region_id"))
    assert got == [("古城村综治视联网平台", "new_community", "古城村委会院内", world.gc_village.code),
                   ("大北村监控平台", "other", "村委会二楼", world.gc_village2.code)]


def check_blacklist(world):
    from anmin.antifraud.models import BlacklistEntry

    got = {e.kind: e for e in BlacklistEntry.objects.all()}
    assert set(got) == {"phone", "account", "url"}
    assert (got["phone"].value, got["phone"].source, got["phone"].listed_on) == ("13800001111", "市反诈中心", dt.date(2020, 11, 3))
    assert got["account"].value == "6222020012345678901"
    assert got["account"].listed_on == dt.date(2020, 11, 4)
    assert {e.region_id for e in got.values()} == {world.gucheng.code}  # the importing station's


CASES: dict[str, Case] = {
    "campaigns.household": Case(
        Role.TOWNSHIP_CENTER,
        ["所属乡镇", "所在村", "户主姓名", "身份证号码", "家庭人口", "联系电话", "保单号", "参保时间", "保费（元）", "参保年度", "备注"],
        lambda: [["古城镇", "古城村", "张三", ident(0, "女"), 4, "13700001111", "PICC2020-0001", dt.date(2020, 3, 5), 100, 2020, None],
                 ["古城镇", "大北村民委员会", "李四", ident(1, "男"), "3人", None, "PICC2020-0002", "2020.3.5", "120元", "2020年", "新参保"],
                 ["古城镇", "古城村", "王五", ident(3, "男"), 2, None, None, "2020年3月5日", 100, 2020, "保单未出"],
                 ["古城", "大北村", "赵六", ident(2, "女"), 5, None, "PICC2020-0003", "2020年3月5日", "100.00", 2020, None]],
        {2: "policy_no"}, check_households, total=["合计", None, None, None, None, "14", None, None, None, "420", None, None],
        kinds=("xlsx", "xls", "csv"), messages={2: "保单号"}),
    "campaigns.designation": Case(
        Role.TOWNSHIP_CENTER,
        ["乡镇（街道）", "村（社区）", "创建对象", "创建类别", "年度", "申报时间", "考核得分", "命名时间", "备注"],
        lambda: [["古城镇", "古城村", "古城村", "平安村", "2020年", "2020.3.1", "95.5", "2020年6月1日", None],
                 ["古城镇", None, "古城镇中心小学", "平安校园", 2020, dt.date(2020, 3, 2), 92, None, "待命名"],
                 ["古城镇", "大北村", "大北村", "平安村", 2020, "2020.2.30", None, None, None],
                 ["古城镇", "大北村", "大北村", "信访稳定红旗村", 2020, "2020/3/1", None, None, None]],
        {2: "applied_on"}, check_designations, kinds=("xlsx", "xls"), messages={2: "申报"}),
    "campaigns.counsellor": Case(
        Role.CITY_OFFICE,
        ["所属乡镇", "基本信息/姓名", "基本信息/性别", "基本信息/联系电话", "人员类别", "是否专职", "工作单位", "所属心理危机干预队伍", "备注"],
        lambda: [["古城镇", "刘敏", "女", "13700001111", "心理咨询师", "是", "古城镇卫生院", "古城镇心理危机干预小组", None],
                 ["古城镇", "王芳", "女", None, "心理健康辅导教师", "否", "古城镇中心小学", None, None],
                 ["无梁镇", "赵强", "男", None, "精神科医生", "√", "禹州市第二人民医院", "市心理救援医疗队", None],
                 ["古城镇", "陈静", "女", None, "社工", "否", "古城镇综治中心", None, "待核实"]],
        {3: "kind"}, check_counsellors, total=None, kinds=("xlsx", "csv"), messages={3: "“社工”"}),
    "campaigns.report": Case(
        Role.CITY_OFFICE,
        ["乡镇（街道）", "信息标题", "期号", "刊发时间", "转载媒体", "备注"],
        lambda: [["古城镇", "古城镇“三零”创建工作纪实", "2020年第5期", "2020.5.3", None, None],
                 ["无梁镇", "无梁镇网格化管理经验", "第6期", dt.date(2020, 6, 1), "“学习强国”", None],
                 ["古城镇", "古城镇矛盾纠纷多元化解", "第7期", "2020.13.1", "许昌日报", None]],
        {2: "published_on"}, check_reports, total=None),
    "campaigns.counselling_session": Case(
        Role.TOWNSHIP_CENTER,
        ["服务时间", "服务人员", "服务对象", "服务内容", "服务人次", "服务地点", "备注"],
        lambda: [["2020.5.3", "刘敏", "留守儿童", "留守儿童心理健康讲座", "30人次", "古城小学", None],
                 [dt.date(2020, 5, 10), "刘敏", "社区矫正对象", "个体心理疏导", 1, "古城镇司法所", None],
                 ["2020年5月12日", "李明", "群众", "心理咨询", 2, "古城村", "外聘"]],
        {2: "counsellor"}, check_sessions, setup=counsellor,
        total=["合计", None, None, None, None, "33", None, None], kinds=("xlsx", "xls", "csv"), messages={2: "“李明”"}),
    "campus.incident": Case(
        Role.POLICE,
        ["学校名称", "发生时间", "案（事）件类型", "简要案情", "处置情况", "是否办结", "备注"],
        lambda: [["古城小学", "2020.9.1", "交通事故", "放学时电动车与学生剐蹭", "民警现场调解", "是", None],
                 ["古城小学", dt.date(2020, 9, 8), "打架斗殴", "两名学生在校门口打架", "已批评教育", "√", None],
                 ["古城小学", "2020.9.31", "其他", "校门口车辆乱停", "已劝离", "是", None],
                 ["古城小学", "2020年10月8日", "闲杂人员滋扰", "社会人员在校门口逗留", "正在处置", "否", None]],
        {2: "occurred_on"}, check_incidents, setup=school, kinds=("xlsx", "csv")),
    "campus.post": Case(
        Role.POLICE,
        ["所属乡镇", "所在村", "学校名称", "设岗位置", "执勤时段", "执勤人员", "所属派出所", "联系电话", "备注"],
        lambda: [["古城镇", "古城村", "古城小学", "校门口", "早高峰", "张警官、李辅警", "古城派出所", "13700001111", None],
                 ["古城镇", "古城村", "古城小学", "校门口", "晚高峰", "张警官、李辅警", "古城派出所", "13700001111", None],
                 ["古城镇", "古城村", "古城二小", "校门口", "早高峰", "赵辅警", "古城派出所", None, "新设"],
                 ["古城镇", "古城村", "古城小学", "南侧路口", "午间", "王辅警", "古城派出所", None, None]],
        {2: "school"}, check_posts, setup=school, total=None, kinds=("xlsx", "xls"), messages={2: "“古城二小”"}),
    "campus.safety_check": Case(
        Role.TOWNSHIP_CENTER,
        ["学校名称", "学期", "检查时间", "达标项目", "检查人", "备注"],
        lambda: [["古城小学", "2020年秋季学期", "2020.9.15", "专职保安、一键式紧急报警装置、视频监控联网、封闭化管理、护学岗", "张三", None],
                 ["大北小学", "2020-2", dt.date(2020, 9, 16), "专职保安配备率100%、“护学岗”设立率100%", "张三", "报警装置未安装"],
                 ["古城小学", "2020年春季", "2020.3.10", "专职保安、食堂", "李四", None]],
        {2: "items"}, check_checks, setup=schools, total=None, messages={2: "“食堂”"}),
    "hazards.water_inspection": Case(
        Role.TOWNSHIP_CENTER,
        ["水域名称", "巡查时间", "巡查人员", "警示牌是否完好", "救生器材是否齐全", "发现问题", "整改情况", "备注"],
        lambda: [["古城坑塘", "2020.7.1", "张三", "√", "√", None, None, None],
                 ["古城坑塘", dt.date(2020, 7, 8), "李四", "否", "是", "警示牌被风刮倒", "已扶正", None],
                 ["大北河", "2020年7月15日", "王五", "是", "是", None, None, None]],
        {2: "water"}, check_inspections, setup=water, total=None, kinds=("xlsx", "xls", "csv"), messages={2: "“大北河”"}),
    "prevention.liaison": Case(
        Role.TOWNSHIP_CENTER,
        ["所属乡镇", "所在村", "类别", "基本信息/姓名", "基本信息/性别", "联系电话", "工作单位", "备注"],
        lambda: [["古城镇", "古城村", "一村一警", "张警官", "男", "13700001111", "古城派出所", None],
                 ["古城镇", "大北村民委员会", "一村一法律顾问", "李律师", "女", None, "河南守正律师事务所", None],
                 ["古城镇", "小南村", "一村一警", "王警官", "男", None, "古城派出所", None]],
        {2: "village"}, check_liaisons, total=None, kinds=("xlsx", "csv"), messages={2: "小南村"}),
    "prevention.member": Case(
        Role.TOWNSHIP_CENTER,
        ["所属乡镇", "所在村", "巡逻队名称", "基本信息/姓名", "基本信息/性别", "基本信息/年龄", "人员身份", "联系电话", "备注"],
        lambda: [["古城镇", "古城村", "古城村治安巡逻队", "张三", "男", 45, "村民", "13700001111", None],
                 ["古城镇", "古城村", "古城村治安巡逻队", "李四", "男", 38, "村干部", None, "队长"],
                 ["古城镇", "古城村", "古城村治安巡逻队", "王五", "男", 30, "辅警", None, None],
                 ["古城镇", "古城村", "古城村巡逻队", "赵六", "男", 50, "村民", None, None]],
        {3: "team"}, check_members, setup=team, total=["合计", None, None, None, "4人", None, None, None, None, None],
        messages={3: "“古城村巡逻队”"}),
    "prevention.platform": Case(
        Role.TOWNSHIP_CENTER,
        ["所属乡镇", "所在村", "平台名称", "点位类型", "安装位置", "建成时间", "备注"],
        lambda: [["古城镇", "古城村", "古城村综治视联网平台", "新型社区", "古城村委会院内", "2020.5.3", None],
                 ["古城镇", "大北村", "大北村监控平台", None, "村委会二楼", dt.date(2020, 6, 1), None],
                 ["无梁镇", "无梁村", "无梁村监控平台", "其他", "村委会", "2020.6.3", None]],
        {2: "village"}, check_platforms, total=None, messages={2: "不在您的辖区内"}),
    "antifraud.blacklist": Case(
        Role.POLICE,
        ["涉诈号码", "号码类型", "下发单位", "下发时间", "备注"],
        lambda: [[13800001111, "手机号", "市反诈中心", "2020.11.3", None],
                 ["6222 0200 1234 5678 901", "银行卡", "市反诈中心", dt.date(2020, 11, 4), "已冻结"],
                 ["http://pay-fraud.example.com/x", "网址", "省反诈中心", "2020年11月5日", None],
                 ["见附件", None, "市反诈中心", "2020.11.5", None]],
        {3: "value"}, check_blacklist, total=None, kinds=("xlsx", "xls", "csv"), messages={3: "“见附件”"}),
}

RUNS = [(key, kind) for key in sorted(CASES) for kind in CASES[key].kinds]


@pytest.mark.parametrize(("key", "kind"), RUNS)
def test_each_registry_ledger_reads_the_file_an_office_keeps(world, key, kind):
    case = CASES[key]
    case.setup(world)
    ledger_cls = ledgers.find_ledger(key)
    user = world.user(case.role)
    rows = case.rows()
    report, numbers = dry(ledger_cls, user, case.head, rows, kind=kind, total=case.total)
    assert not report.needs_mapping, report.file_errors
    assert report.file_errors == []
    flat = kind == "csv" and not any("/" in h for h in case.head)  # a CSV keeps no merge: one header row
    assert report.header_rows == ((3, 3) if flat else (3, 4))
    assert "序号" in report.columns_ignored
    assert ("备注" in report.columns_ignored) is (ledger_cls(user=user).column("note") is None)  # 五个100% keeps it
    assert report.total == len(rows)
    assert errors(report) == {(numbers[i], f) for i, f in case.bad.items()}, [e.message for e in report.errors]
    for i, word in case.messages.items():
        [message] = [e.message for e in report.errors if e.row == numbers[i]]
        assert message.startswith(ledger_cls(user=user).header_of(case.bad[i])), message  # names its column
        assert word in message, message
    assert any("填表人" in n for n in report.notes)
    if case.total is not None:
        assert any("合计" in n for n in report.notes)
    result = ledger_cls(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == len(rows) - len(case.bad)
    case.check(world)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_years_list_of_insured_households_names_its_year_only_in_the_title(world, kind):
    """禹州市2020年度综治保险参保农户台账 has no 参保年度 column: each row is of its 参保日期's year
    (before: 没有认出这些必填列：参保年度)."""
    from anmin.campaigns.models import InsuredHousehold

    ledger_cls = ledgers.find_ledger("campaigns.household")
    user = world.user(Role.TOWNSHIP_CENTER)
    head = ["所属乡镇", "所在村", "户主姓名", "保险单号", "参保时间", "缴费金额", "备注"]
    report, numbers = dry(ledger_cls, user, head, [
        ["古城镇", "古城村", "张三", "PICC2020-0001", "2020.3.5", "100元", None],
        ["古城镇", "大北村", "李四", "PICC2019-0009", dt.date(2019, 12, 30), 100, "上年度续保"],
        ["古城镇", "大北村", "王五", "PICC2020-0002", None, 100, None]], kind=kind,
        total=["合计", None, None, None, None, None, "300", None])
    assert not report.needs_mapping, report.file_errors
    assert errors(report) == {(numbers[2], "insured_on")}  # no date, so no year either: the date is named
    assert report.errors[0].message.startswith("参保日期")
    ledger_cls(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(InsuredHousehold.objects.values_list("householder", "year")) == [("张三", 2020), ("李四", 2019)]


def test_counsellors_kept_as_full_time_or_part_time(world):
    """A 专兼职 column says 专职 / 兼职 (before: not a column of the ledger, and 专职 not a yes/no word)."""
    from anmin.campaigns.models import Counsellor

    ledger_cls = ledgers.find_ledger("campaigns.counsellor")
    user = world.user(Role.CITY_OFFICE)
    head = ["所属乡镇", "姓名", "类别", "专兼职", "所在单位"]
    report, numbers = dry(ledger_cls, user, head, [
        ["古城镇", "刘敏", "心理咨询师", "专职", "古城镇卫生院"], ["古城镇", "王芳", "心理健康辅导教师", "兼职", "古城镇中心小学"],
        ["古城镇", "陈静", "心理咨询师", "外聘", None]], total=None)
    assert errors(report) == {(numbers[2], "full_time")}
    assert report.errors[0].message.startswith("专职：")
    ledger_cls(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert dict(Counsellor.objects.values_list("name", "full_time")) == {"刘敏": True, "王芳": False}


def test_terms_and_items_of_a_five_100_percent_check_as_schools_write_them():
    from django.core.exceptions import ValidationError

    from anmin.campus.pages import parse_items, parse_term

    assert [parse_term(t) for t in ("2020-2", "2020年秋季学期", "2020秋", "2021年春季", "2020-2021学年第一学期",
                                    "2020—2021学年第二学期", " 2020 年 秋季 ")] == [
        "2020-2", "2020-2", "2020-2", "2021-1", "2020-2", "2021-1", "2020-2"]
    assert parse_term("秋季") == "秋季"  # kept as written: the check names the column and the form
    assert parse_items("专职保安；视频监控联网 封闭化管理，“护学岗”设立率100%") == ["guard", "video", "closed", "post"]
    assert parse_items("alarm、一键式紧急报警装置安装率100%") == ["alarm", "alarm"]
    for word in ("率", "保安", "监控联网"):  # too short, or not how the item's name begins
        with pytest.raises(ValidationError, match=f"“{word}”不是五个100%项目"):
            parse_items(word)
    with pytest.raises(ValidationError, match="“100”"):
        parse_items("100")


def test_the_kit_reads_a_yes_no_or_a_persons_column_by_the_names_offices_give_it(world):
    """Shared by every ledger (``ledgers.names.variants``): 巡查人 is 巡查人员 too; a yes/no column's
    name takes 是否 before it, inside it (警示牌是否完好) or for its 已 (已处置 / 是否处置)."""
    water = ledgers.find_ledger("hazards.water_inspection")(user=world.user(Role.TOWNSHIP_CENTER)).accepted_names()
    assert {"巡查人员", "是否警示牌完好", "警示牌是否完好"} <= water["inspector"] | water["signs_ok"]
    assert "救生器材是否齐全" in water["equipment_ok"]
    incident = ledgers.find_ledger("campus.incident")(user=world.user(Role.POLICE)).accepted_names()
    assert {"是否处置", "是否已处置"} <= incident["resolved"]
    post = ledgers.find_ledger("campus.post")(user=world.user(Role.POLICE)).accepted_names()
    assert "上岗人" in post["on_duty"]


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_a_police_stations_guard_posts_by_school_without_a_village_column(world, kind):
    """The 派出所's 护学岗 list names the school, with its township or without, not the village: a post
    stands at its school (before: 没有认出这些必填列：村(社区))."""
    from anmin.campus.models import GuardPost

    school(world)
    school(world, "大北小学", world.gc_village2.code)
    school(world, "无梁小学", world.wl_village.code)
    ledger_cls = ledgers.find_ledger("campus.post")
    user = world.user(Role.POLICE)
    head = ["乡镇", "学校名称", "护学岗位置", "执勤时段", "执勤民警", "联系电话"]
    report, numbers = dry(ledger_cls, user, head, [
        ["古城镇", "古城小学", "校门口", "早高峰", "张警官", "13700001111"],
        [None, "大北小学", "校门口", "晚高峰", "李辅警", None],
        ["古城镇", "无梁小学", "校门口", "早高峰", "王辅警", None],  # not 古城镇's, nor this station's
        ["无梁镇", "大北小学", "校门口", "早高峰", "赵辅警", None],
        ["古城镇", "古城三小", "校门口", "早高峰", "钱辅警", None]], kind=kind, total=None)
    assert not report.needs_mapping, report.file_errors
    assert errors(report) == {(numbers[2], "school"), (numbers[3], "township"), (numbers[4], "school")}
    assert report.errors[0].message == "学校：“无梁小学”不是在册的学校"  # the station sees 古城镇's schools
    assert report.errors[1].message == "乡镇(街道)：“无梁镇”不是学校“大北小学”所在的乡镇(街道)"
    ledger_cls(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(GuardPost.objects.values_list("school__name", "region_id")) == [
        ("古城小学", world.gc_village.code), ("大北小学", world.gc_village2.code)]
