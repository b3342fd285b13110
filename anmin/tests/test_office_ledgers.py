# ruff: noqa: E501  (rows of a real ledger read best one to a line)
"""Every importer, given the file a county office really sends (``sheets.office_grid``): a title row,
a 填报单位 row, a two-row merged header with a 序号 column, the office's own column names, places
as 所属乡镇 / 所在村 with or without 村委会, dates and amounts in every style, an empty row in the
middle, a 合计 row and a 填表人 footer, a 填表说明 sheet first, a hidden column — as .xlsx, .xls and
GBK CSV. Each maps itself, refuses exactly what cannot be trusted (an ID number Excel turned into a
number) naming row and column, reads the 合计 and footer past with a note, and imports the rest
through the same dry run and import the page uses."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.db import connection

from anmin.core import clock, ledgers
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.core.testing import sheets

# What these files test is reading an office's workbook (headers, sheets, cells, notes), the same code
# on either database; they run in the SQLite pass of make test (the importers' writes on PostgreSQL,
# COPY included, are tested by each app's importer tests). ANMIN_LEDGER_FILES_PG=1 runs them there too.
pytestmark = [*globals().get("pytestmark", []), pytest.mark.sqlite_pass, pytest.mark.skipif(
    connection.vendor == "postgresql" and not os.environ.get("ANMIN_LEDGER_FILES_PG"),
    reason="office files are read in the SQLite pass of make test")]


COVER = [["填表说明"], ["1. 姓名、公民身份号码必填"], ["2. 身份证号码一列请设置为文本格式"]]
UNIT = "填报单位：古城镇综治中心    填报日期：2020年12月"


def ident(n: int, sex: str) -> str:
    return make_id_number(birth_date=dt.date(1960 + n, 1 + n % 12, 3), sequence=100 + n, sex=sex)


def encode(kind: str, grid, merges, *, cover=COVER, hidden=()) -> bytes:
    if kind == "xlsx":
        return sheets.xlsx(grid, merges, cover=cover, hidden=hidden)
    if kind == "xls":
        return sheets.xls(grid, merges, cover=cover, hidden=hidden)
    return sheets.csv_bytes(grid, encoding="gbk")


def dry(ledger_cls, user, header, rows, *, kind="xlsx", total=("合计",), **kw):
    grid, merges, numbers = sheets.office_grid(f"禹州市2020年度{ledger_cls.title}", UNIT, header, rows, total=total)
    report = ledger_cls(user=user).dry_run(encode(kind, grid, merges, **kw), filename=f"台账.{kind}")
    return report, numbers


def errors(report) -> set[tuple[int, str]]:
    return {(e.row, e.field) for e in report.errors}


RESIDENT_HEAD = ["基本信息/姓名", "基本信息/性别", "基本信息/公民身份号码", "基本信息/出生日期", "基本信息/民族",
                 "联系方式/手机号", "所属乡镇", "所在村", "现住址", "登记时间"]


def resident_rows():
    return [
        ["张三", "女", ident(0, "女"), dt.date(1960, 1, 3), "汉", "13700001111", "古城镇", "古城村村委会", "古城村1组", dt.date(2020, 5, 3)],
        ["李四", "男", ident(1, "男").lower(), "1961.2.3", "汉族", "137 0000 2222", "古城镇", "大北村民委员会", "大北村", "2020.5.3"],
        ["王五", "男", float(ident(3, "男")), None, "汉", "/", "古城镇", "古城村", "古城村", "2020年5月3日"],  # refused
        ["赵六", "女", "４１" + ident(2, "女")[2:], None, "回", "—", "古城", "大北村", "大北村", "2020/05/03"],
        ["孙八", "女", ident(5, "女"), None, "汉", None, "古城镇", "古城村", "古城村", " 2020 年 5 月 3 号 "],
    ]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_the_resident_register_as_an_office_keeps_it(world, kind):
    from anmin.people.importers import ResidentLedger
    from anmin.people.models import Person

    user = world.user(Role.TOWNSHIP_CENTER)
    report, rows = dry(ResidentLedger, user, RESIDENT_HEAD, resident_rows(), kind=kind, hidden=(10,))
    assert report.file_errors == []
    assert report.header_rows == (3, 4)
    assert {"township", "village", "registered_on", "phone", "id_number"} <= set(report.mapping)
    assert report.columns_ignored == ["序号"]
    assert report.total == 5
    assert errors(report) == {(rows[2], "id_number")}
    message = report.errors[0].message
    assert message.startswith("公民身份号码")
    assert "文本" in message
    assert ("科学计数法" in message) == (kind == "csv")  # Excel's CSV shows 4.11081E+17
    assert any("合计" in n and "填表人" in n for n in report.notes)
    result = ResidentLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == 4
    people = {p.name: p for p in Person.objects.select_related("region")}
    assert people["张三"].region == world.gc_village  # 古城村村委会 as typed
    assert people["李四"].region == world.gc_village2  # 大北村民委员会
    assert people["李四"].id_number.reveal().endswith("X") is ident(1, "男").endswith("X")
    assert people["赵六"].region == world.gc_village2  # 古城 for 古城镇
    assert not people["赵六"].phone  # — for none
    assert people["孙八"].registered_on == dt.date(2020, 5, 3)


def test_a_notes_sheet_naming_columns_does_not_hide_the_ledger_on_the_next_sheet(world):
    """Before: the first sheet naming any column (a 填表说明 with 姓名 | 必填) was taken."""
    from anmin.people.importers import ResidentLedger

    cover = [["列名", "填写要求"], ["姓名", "必填"], ["公民身份号码", "18位，设为文本"]]
    report, _rows = dry(ResidentLedger, world.user(Role.TOWNSHIP_CENTER), RESIDENT_HEAD, resident_rows()[:2],
                        cover=cover)
    assert report.file_errors == []
    assert report.new_count == 2
    assert any("填表说明" in n for n in report.notes)  # the other sheet is named, not silently passed over


def test_the_guardians_name_and_phone_never_become_the_patients(world):
    from anmin.care.importers import PatientLedger
    from anmin.care.models import MentalPatient

    user = world.user(Role.TOWNSHIP_CENTER)
    head = ["患者姓名", "性别", "身份证号码", "所属乡镇", "所在村", "危险性评估等级", "诊断", "监护人/姓名",
            "监护人/联系电话", "监护人/与患者关系", "建档时间"]
    report, _rows = dry(PatientLedger, user, head, [
        ["张三", "女", ident(0, "女"), "古城镇", "古城村", "3级", "精神分裂症", "张父", "13700001111", "父女", "2020.5.3"]])
    assert report.header_rows == (3, 4)
    assert errors(report) == set()
    cols = {f: report.file_columns[i] for f, i in report.mapping.items()}
    assert cols["name"] == "患者姓名"
    assert cols["guardian_name"] == "监护人/姓名"
    assert cols["guardian_phone"] == "监护人/联系电话"
    assert "phone" not in cols
    PatientLedger(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    patient = MentalPatient.objects.select_related("person").get()
    assert (patient.person.name, patient.guardian_name, patient.guardian_relation) == ("张三", "张父", "父女")
    assert not patient.person.phone


def test_corrections_with_the_start_and_end_under_one_merged_heading(world):
    from anmin.people.importers import CorrectionLedger

    head = ["姓名", "身份证号", "性别", "乡镇（街道）", "村（社区）", "矫正类别", "罪名", "原判刑期",
            "社区矫正起止时间/起", "社区矫正起止时间/止"]
    report, _rows = dry(CorrectionLedger, world.user(Role.TOWNSHIP_CENTER), head, [
        ["张三", ident(0, "女"), "女", "古城镇", "古城村", "缓刑", "盗窃罪", "1年", "2020.1.1", "2021年1月1日"]])
    assert report.header_rows == (3, 4)
    assert not report.needs_mapping
    assert (report.total, errors(report)) == (1, set())


def test_drunk_driving_in_the_police_stations_words_with_the_township_merged_down(world):
    from anmin.hazards.importers import DrunkDrivingLedger
    from anmin.hazards.models import DrunkDriving

    user = world.user(Role.POLICE)
    day = clock.today() - dt.timedelta(days=3)
    head = ["查处时间", "所属乡镇", "当事人/姓名", "当事人/身份证号", "违法行为", "处理情况", "是否肇事", "查处单位"]
    rows = [[day, "古城", "张三", ident(0, "女"), "醉酒驾驶", "刑事处罚", "否", "交警大队"],
            [f"{day:%Y.%m.%d}", None, "李四", ident(1, "男"), "饮酒驾驶", "行政处罚", "/", "交警大队"],
            [f"{day:%Y年%m月%d日}", None, "王五", f"{float(ident(4, '女')):.5E}", "饮酒驾驶", "行政处罚", "否", "交警大队"]]
    grid, merges, numbers = sheets.office_grid("禹州市2020年度酒驾醉驾查处登记台账", UNIT, head, rows, blank_after=0)
    merges.append((numbers[0] - 1, 2, numbers[2] - 1, 2))  # 所属乡镇 written once for the three rows
    report = DrunkDrivingLedger(user=user).dry_run(sheets.xlsx(grid, merges))
    assert report.header_rows == (3, 4)
    assert errors(report) == {(numbers[2], "id_number")}  # scientific notation, as typed
    assert "科学计数法" in report.errors[0].message
    DrunkDrivingLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert {(d.driver_name, d.region_id) for d in DrunkDriving.objects.all()} == {
        ("张三", world.gucheng.code), ("李四", world.gucheng.code)}


def test_the_police_monthly_report_with_its_total_row(world):
    from anmin.prevention.importers import PoliceLedger
    from anmin.prevention.models import PoliceActivity

    user = world.user(Role.TOWNSHIP_CENTER)
    head = ["乡镇", "所属派出所", "统计月份", "走访群众(人)", "化解矛盾纠纷(起)", "抓获违法犯罪嫌疑人(人)", "服务群众(人次)"]
    report, _rows = dry(PoliceLedger, user, head, [
        ["古城镇", "古城派出所", "2020年3月", "1,200", 3, 5, 80], ["古城", "古城派出所", "2020.04", 900, 1, 2, 40]],
        total=["合计", None, None, None, "2,100", 4, 7, 120])
    assert (report.total, errors(report)) == (2, set())  # the 合计 row is no station's month
    assert any("合计" in n for n in report.notes)
    PoliceLedger(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert sorted(PoliceActivity.objects.values_list("visits", flat=True)) == [900, 1200]


def _recent() -> dt.date:
    return clock.today() - dt.timedelta(days=3)


CASES = {
    "grid.events": (["所在村", "所属网格", "事件类型", "事件描述", "发现时间", "反映人", "联系电话"],
                    lambda: [["古城村", "第1网格", "治安隐患", "路灯损坏", _recent(), None, None],
                             ["大北村村委会", None, "治安隐患", "排水沟堵", f"{_recent():%Y/%m/%d}", "李四", "13900001111"]]),
    "hazards.railway": (["所属乡镇", "所在村", "隐患类型", "线路名称", "里程（公里）", "隐患描述", "发现时间"],
                        lambda: [["古城镇", "古城村", "危树", "京广线", "K100+200", "树木倾斜", _recent()]]),
    "antifraud_leads": (["预警编号", "所属乡镇", "所在村", "受害人姓名", "手机号", "身份证号", "诈骗类型", "涉案金额", "预警时间"],
                        lambda: [["Y001", "古城镇", "古城村", "张三", "13700001111", ident(0, "女"), "刷单", "1.2万元", f"{_recent()} 09:30"],
                                 ["Y002", "古城镇", "大北村村委会", "李四", "13700002222", ident(1, "男"), "冒充公检法", "￥3,000", f"{_recent():%Y/%m/%d}"]]),
    "prevention.camera": (["所属乡镇", "所在村", "点位名称", "建设项目", "视频路数", "建成时间"],
                          lambda: [["古城镇", "古城村村委会", "古城村口", "平安乡镇", "4路", "2020.5.3"]]),
    "campus.school": (["乡镇（街道）", "村（社区）", "学校名称", "学校类型", "在校学生数", "专职保安人数"],
                      lambda: [["古城镇", "古城村", "古城小学", "小学", "1,200", "2人"]]),
    "campaigns.publicity": (["乡镇（街道）", "村（社区）", "活动名称", "活动类型", "活动时间", "活动地点"],
                            lambda: [["古城镇", "古城村", "反诈宣传", "主题宣传月", "2020年5月3日", "村委会"]]),
    "hazards.drowning": (["所属乡镇", "所在村", "发生时间", "年龄", "性别", "是否死亡", "事故经过"],
                         lambda: [["古城镇", "古城村", "2020.7.3", "12岁", "男", "是", "河边玩耍"]]),
}


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
@pytest.mark.parametrize("key", sorted(CASES))
def test_each_ledger_maps_the_offices_own_column_names_and_imports(world, key, kind):
    """Before: each of these asked for the mapping (事件类型, 隐患描述, 活动时间, 所属乡镇 …) or
    refused 大北村村委会, ￥3,000 and 1,200."""
    ledger_cls = ledgers.find_ledger(key)
    user = world.user(Role.CITY_OFFICE if key == "antifraud_leads" else Role.TOWNSHIP_CENTER)
    head, rows = CASES[key]
    report, _numbers = dry(ledger_cls, user, head, rows(), kind=kind)
    assert not report.needs_mapping, report.file_errors
    assert report.columns_ignored == ["序号"]
    assert [e.message for e in report.errors] == []
    result = ledger_cls(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert result.imported == len(rows())
