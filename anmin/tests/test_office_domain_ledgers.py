# ruff: noqa: E501  (rows of a real ledger read best one to a line)
"""The newer domains' ledgers (扫黑办's registers, 预警线索 and 涉诈黑名单, 警务活动月报, 酒驾醉驾 and 铁路沿线隐患)
given the files offices really keep: a 填表说明 sheet first, a title row (2020年古城镇涉案资产台账) and a 填报单位
row, a two-row merged header with line breaks and spaces inside the names, a 序号 column, a 合计 row and
a 填表人 footer — as .xlsx, WPS .xls and GB18030 CSV — and cells as offices write them: sums in 万元
(1.5万元, a 价值（万元） column), 壹万, 15,000, full-width digits, no-break spaces, dates as Excel serials and
as 2020年3月5日 / 2020.3.5 / 20200305, ✓ and ✗, a bank card or an ID number Excel turned into a number, a
formula with the result Excel saved, a 案情 longer than its column allows. Each bad cell is named by row,
column and rule; nothing is stored wrong; the good rows import."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.db import connection

from anmin.core import clock, ledgers
from anmin.core.models import Role
from anmin.core.testing import sheets
from anmin.tests.test_office_ledgers import ident

# What these files test is reading an office's workbook (headers, sheets, cells, notes), the same code
# on either database; they run in the SQLite pass of make test (the importers' writes on PostgreSQL,
# COPY included, are tested by each app's importer tests). ANMIN_LEDGER_FILES_PG=1 runs them there too.
pytestmark = [*globals().get("pytestmark", []), pytest.mark.sqlite_pass, pytest.mark.skipif(
    connection.vendor == "postgresql" and not os.environ.get("ANMIN_LEDGER_FILES_PG"),
    reason="office files are read in the SQLite pass of make test")]

COVER = [["填表说明"], ["1. 价值以万元为单位"], ["2. 身份证号码、银行卡号一列请设置为文本格式"]]
UNIT = "填报单位（盖章）：古城镇综治中心    填报日期：2020年12月10日"
ORG = "张某恶势力犯罪集团"
NBSP = "\u00a0"


def office_file(kind: str, title: str, head, rows, *, total=("合计",), cover=COVER, results=None):
    """``rows`` under ``head`` as an office keeps them (``sheets.office_grid``) in the format ``kind``;
    ``results``: the values Excel saved with the formula cells (.xlsx)."""
    grid, merges, numbers = sheets.office_grid(title, UNIT, head, rows, total=total)
    if kind == "xlsx":
        data = sheets.xlsx(grid, merges, cover=cover)
        if results:
            data = sheets.with_results(data, results)
    elif kind == "xls":
        data = sheets.xls(grid, merges, cover=cover)
    else:
        data = sheets.csv_bytes(grid, encoding="gb18030")
    return data, numbers


def messages(report) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for e in report.errors:
        out.setdefault(e.row, []).append(e.message)
    return out


def crackdown_office(world):
    return world.user("crackdown")


def register_org(world):
    from anmin.crackdown import actions

    return actions.register_org(actor=crackdown_office(world), name=ORG, org_type="evil_group",
                                region=world.gucheng, broken_on=dt.date(2020, 5, 3))


# -- 涉案资产台账: sums in 万元 -----------------------------------------------------------------------------

ASSET_HEAD = ["资产情况/资产\n类型", "资产情况/资产名称", "所属组织", "处置\n措施", "价值（万元）", "查封扣押\n日期", "备注"]


def asset_rows():
    return [["房产", "古城镇某小区住宅一套", ORG, "查封", "1.5万元", 43895, None],  # the unit restated: 1.5万元
            ["车辆", "奥迪A6一辆", ORG, "扣押", "15", "2020年3月5日", None],
            ["存款", "银行存款", ORG, "冻结", "壹万", "2020.3.5", "大写"],  # refused: not read
            ["存款", "农商行存款", ORG, "冻结", "１２", "20200305", None],  # full-width digits
            ["存款", "邮储存款", ORG, f"冻结{NBSP}", f" 0.3{NBSP}", "2020/03/05", None]]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_assets_valued_in_wan_are_stored_in_yuan_never_ten_thousand_times_over(world, kind):
    """Before: a 价值（万元） cell written 1.5万元 was 1.5万 × 万 — 150,000,000 元 stored for a 15,000 元 flat;
    壹万 was only “应为数字”."""
    from anmin.crackdown.models import Asset
    from anmin.crackdown.register_imports import AssetImport

    register_org(world)
    user = crackdown_office(world)
    data, numbers = office_file(kind, "2020年古城镇涉案资产台账", ASSET_HEAD, asset_rows())
    report = AssetImport(user=user).dry_run(data, filename=f"涉案资产台账.{kind}")
    assert report.file_errors == []
    assert report.header_rows == (3, 4)  # the group 资产情况 over two columns: two rows in a CSV too
    assert report.title_lines[0] == "2020年古城镇涉案资产台账"
    assert report.columns_ignored == ["序号", "备注"]
    assert messages(report) == {numbers[2]: [
        "价值(万元)：应为数字（“壹万”是汉字数字，请改写为阿拉伯数字，如 10000 或 1万）"]}
    with pytest.raises(ledgers.LedgerImportError, match="有1行有错误"):
        AssetImport(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert not Asset.objects.exists()  # all or nothing: nothing
    result = AssetImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == 4
    assert result.skipped_rows == (numbers[2],)
    got = dict(Asset.objects.values_list("description", "value"))
    assert got == {"房产：古城镇某小区住宅一套": Decimal("15000.00"), "车辆：奥迪A6一辆": Decimal("150000.00"),
                   "存款：农商行存款": Decimal("120000.00"), "存款：邮储存款": Decimal("3000.00")}
    assert set(Asset.objects.values_list("on", flat=True)) == {dt.date(2020, 3, 5)}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_assets_in_yuan_take_1_5_wan_15_000_and_refuse_the_capital_numerals(world, kind):
    from anmin.crackdown.models import Asset
    from anmin.crackdown.register_imports import AssetImport

    register_org(world)
    user = crackdown_office(world)
    head = ["资产类型", "资产名称", "所属组织", "处置状态", "涉案金额（元）", "查封日期"]
    data, numbers = office_file(kind, "2020年古城镇涉案资产台账", head, [
        ["房产", "住宅一套", ORG, "查封", "1.5万元", 43895],
        ["车辆", "奥迪A6一辆", ORG, "扣押", "15,000", "2020年3月5日"],
        ["存款", "银行存款", ORG, "冻结", "壹万元整", "2020.3.5"],
        ["存款", "农商行存款", ORG, "冻结", "1,5", "2020.3.5"],  # 1.5 or 15? (before: 15 stored)
        ["存款", "邮储存款", ORG, "冻结", "人民币 1,234.5 元", "2020.3.5"]], total=["合计", None, None, None, None, "3万元", None])
    report = AssetImport(user=user).dry_run(data, filename=f"台账.{kind}")
    assert messages(report) == {
        numbers[2]: ["价值(元)：应为数字（“壹万元整”是汉字数字，请改写为阿拉伯数字，如 10000 或 1万）"],
        numbers[3]: ["价值(元)：“1,5”不是有效的数字（千位分隔应为 15,000；小数点应为“.”）"]}
    AssetImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(Asset.objects.values_list("value", flat=True)) == [Decimal("1234.50"), Decimal("15000.00"), Decimal("15000.00")]


def test_a_formula_cell_imports_the_result_excel_saved_and_one_without_a_result_is_named(world):
    from anmin.crackdown.models import Asset
    from anmin.crackdown.register_imports import AssetImport

    register_org(world)
    user = crackdown_office(world)
    head = ["资产类型", "资产名称", "所属组织", "处置状态", "价值（万元）", "价值（元）", "查封日期"]
    data, numbers = office_file("xlsx", "2020年古城镇涉案资产台账", head, [
        ["房产", "住宅一套", ORG, "查封", 1.5, "=F5*10000", 43895],
        ["车辆", "奥迪", ORG, "查封", 2, "=F7*10000", 43895]],  # never opened in Excel: no result saved
        total=["合计", None, None, None, None, "=SUM(F5:F7)", "=SUM(G5:G7)"],
        results={"F5*10000": 15000, "SUM(F5:F7)": 3.5, "SUM(G5:G7)": 15000})
    report = AssetImport(user=user).dry_run(data, filename="台账.xlsx")
    assert messages(report) == {numbers[1]: [
        "价值(元)：单元格是公式，但文件里没有保存计算结果；请在Excel中打开并保存后再导入（或把公式改为数值）"]}
    AssetImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert list(Asset.objects.values_list("description", "value")) == [("房产：住宅一套", Decimal("15000.00"))]


# -- 预警线索台账: 涉案金额（万元） ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_leads_with_the_sum_at_risk_in_wan_are_read_and_converted(world, kind):
    """Before: 涉案金额（万元） was not the 涉及金额(元) column (its unit differs): left out, every sum lost
    with only the column's name among those ignored."""
    from anmin.antifraud.importers import LeadLedger
    from anmin.antifraud.models import Lead

    user = world.user(Role.CITY_OFFICE)
    day = clock.today() - dt.timedelta(days=3)
    head = ["线索编号", "所属乡镇", "所在村", "受害人/姓 名", "受害人/手机号", "受害人/身份证号", "诈骗类型", "涉案金额\n（万元）", "预警时间"]
    data, numbers = office_file(kind, "2020年古城镇预警线索台账", head, [
        ["Y001", "古城镇", "古城村", "张三", "13700001111", ident(0, "女"), "刷单", "1.2", f"{day} 09:30"],
        ["Y002", "古城镇", "古城村", "李四", "137 0000 2222", ident(1, "男"), "冒充公检法", "壹万", f"{day:%Y.%m.%d}"],
        ["Y003", "古城镇", "大北村村委会", "王五", 13700003333, ident(2, "女"), "刷单", "3000元", f"{day:%Y年%m月%d日}"],
        ["Y004", "古城镇", "古城村", "赵六", "13700004444", ident(3, "男"), "刷单", 0.5, f"{day:%Y%m%d}"]])
    report = LeadLedger(user=user).dry_run(data, filename=f"线索.{kind}")
    assert not report.needs_mapping
    assert report.file_columns[report.mapping["amount_at_risk"]].replace("\n", "") in ("涉案金额（万元）", "涉案金额(万元)")
    assert "“涉案金额(万元)”一列以万元为单位，已换算为“涉及金额(元)”；写明单位的数（如 3000元、1.5万元）按所写的单位换算" in report.notes
    assert messages(report) == {numbers[1]: [
        "涉及金额(元)：应为数字（“壹万”是汉字数字，请改写为阿拉伯数字，如 10000 或 1万）"]}
    LeadLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    got = dict(Lead.objects.values_list("upstream_id", "amount_at_risk"))
    assert got == {"Y001": Decimal("12000.00"), "Y003": Decimal("3000.00"), "Y004": Decimal("5000.00")}


# -- 涉诈黑名单: a bank card Excel turned into a number -------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_a_bank_card_number_excel_turned_into_a_number_is_refused_never_stored_wrong(world, kind):
    """Before: 6222020012345678901 kept as a number (6.22202001234568E+18) was listed as
    6222020012345679872 — another card — with no word; as a CSV shows it, “银行账户只能包含数字”."""
    from anmin.antifraud.models import BlacklistEntry

    ledger_cls = ledgers.find_ledger("antifraud.blacklist")
    user = world.user(Role.POLICE)
    head = ["涉诈号码", "号码类型", "下发单位", "下发时间", "备注"]
    data, numbers = office_file(kind, "2020年涉诈黑名单", head, [
        [13800001111, "手机号", "市反诈中心", "2020.11.3", None],
        [6222020012345678901.0, "银行卡", "市反诈中心", 44138, None],
        ["６２２２０２００１２３４５６７８９０１", "银行卡", "市反诈中心", "20201104", "全角"],
        [f"13800002222{NBSP}", "电话", "市反诈中心", "2020/11/04", None]], total=None)
    report = ledger_cls(user=user).dry_run(data, filename=f"黑名单.{kind}")
    lost = ("号码/账户/网址：“6.22202E+18”是科学计数法，号码已丢失；请把该列设为“文本”后重新填写" if kind == "csv" else
            "号码/账户/网址：单元格是数值格式，超过15位的数字末位已丢失；请把该列设为“文本”后重新填写")
    assert messages(report) == {numbers[1]: [lost]}
    ledger_cls(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(BlacklistEntry.objects.values_list("value", flat=True)) == [
        "13800001111", "13800002222", "6222020012345678901"]


# -- 涉黑涉恶组织台账: a 案情 longer than its column ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_a_summary_longer_than_its_column_is_that_rows_error_not_the_whole_files(world, kind):
    """Before: one 主要违法犯罪事实 of 5,200 characters refused the whole file (第5行第7列的内容超过5000个字),
    even with “只导入无误的行”."""
    from anmin.crackdown.models import CrimeOrg
    from anmin.crackdown.register_imports import OrgImport

    user = crackdown_office(world)
    head = ["组织（团伙）\n名称", "组织性质", "所属乡镇", "办理阶段", "打掉时间", "主要违法犯罪事实"]
    data, numbers = office_file(kind, "2020年古城镇涉黑涉恶组织台账", head, [
        ["张某恶势力犯罪集团", "恶势力犯罪集团", "古城镇", "起诉", 43895, "强揽工程" * 1300],
        ["李某恶势力团伙", "恶势力犯罪团伙", f"古城镇{NBSP}", "侦查", "2020年3月5日", "非法放贷" * 1000],
        ["王某团伙", "恶势力犯罪团伙", "古城镇", "侦查", "2020.02.30", "非法放贷"]], total=None)
    report = OrgImport(user=user).dry_run(data, filename=f"组织.{kind}")
    assert report.file_errors == []
    assert messages(report) == {numbers[0]: ["主要违法犯罪事实：不能超过5000个字（当前5200个）"],
                                numbers[2]: ["打掉日期：不是有效的日期"]}
    OrgImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    org = CrimeOrg.objects.get()
    assert (org.name, org.broken_on, len(org.summary), org.region_id) == (
        "李某恶势力团伙", dt.date(2020, 3, 5), 4000, world.gucheng.code)


def test_a_cell_beyond_excels_own_limit_still_refuses_the_file_naming_the_cell(world):
    """A cell Excel could not hold (a CSV written by a program): the file is refused, the cell named as
    Excel names it."""
    from anmin.crackdown.register_imports import OrgImport

    head = ["组织名称", "组织类型", "所属乡镇", "打掉日期", "主要违法犯罪事实"]
    data, _numbers = office_file("csv", "涉黑涉恶组织台账", head, [
        ["张某恶势力犯罪集团", "恶势力犯罪集团", "古城镇", "2020.3.5", "长" * 40000]], total=None)
    report = OrgImport(user=crackdown_office(world)).dry_run(data, filename="组织.csv")
    assert [e.message for e in report.file_errors] == ["第5行F列（单元格F5）的内容超过32767个字（有40000个字），请检查该单元格"]


# -- 成员/犯罪嫌疑人台账: ID numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_suspects_id_numbers_as_offices_keep_them(world, kind):
    from anmin.crackdown.models import Suspect
    from anmin.crackdown.register_imports import SuspectImport

    register_org(world)
    user = crackdown_office(world)
    with_x = ident(2, "女")
    assert with_x.endswith("X")
    head = ["基本情况/姓 名", "基本情况/身份证号码", "所属组织", "在组织中的地位", "目前状态", "抓获时间"]
    data, numbers = office_file(kind, "2020年古城镇涉黑涉恶成员台账", head, [
        ["赵某", float(ident(0, "女")), ORG, "组织者", "已逮捕", "2020.5.3"],  # a number: digits lost
        ["钱某", with_x[:-1] + "x", ORG, "骨干成员", "在逃", None],  # a small x
        ["孙某 ", ident(5, "女") + " ", ORG, "骨干成员", "刑拘", 43895],
        [f"李某{NBSP}", NBSP + ident(3, "男"), ORG, "一般成员", "判刑", "20200305"],
        ["周某", ident(4, "男"), ORG, "一般成员", "已抓获", "2020年13月5日"],
        ["吴某", "'" + ident(6, "男"), ORG, "一般成员", "已抓获", "2020年3月5日"]])  # '…: typed to keep it text
    report = SuspectImport(user=user).dry_run(data, filename=f"成员.{kind}")
    first = ("身份证号码：“4.11081E+17”是科学计数法，号码已丢失；请把该列设为“文本”后重新填写" if kind == "csv" else
             "身份证号码：单元格是数值格式，末位已丢失；请把该列设为“文本”后重新填写")
    assert messages(report) == {numbers[0]: [first], numbers[4]: ["抓获日期：不是有效的日期"]}
    SuspectImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    got = {s.name: s for s in Suspect.objects.all()}
    assert set(got) == {"钱某", "孙某", "李某", "吴某"}
    assert got["吴某"].id_number.reveal() == ident(6, "男")
    assert got["钱某"].id_number.reveal() == with_x  # stored with its capital X
    assert got["李某"].id_number.reveal() == ident(3, "男")
    assert (got["孙某"].caught_on, got["李某"].caught_on, got["李某"].status) == (
        dt.date(2020, 3, 5), dt.date(2020, 3, 5), "sentenced")


# -- 酒驾醉驾, 警务活动月报 ---------------------------------------------------------------------------------------


def test_drunk_driving_ticks_and_crosses_in_a_wps_xls(world):
    """Before: ✓ and ✗ (what WPS's symbol menu offers) were “应填是或否”; √ and × were taken."""
    from anmin.hazards.importers import DrunkDrivingLedger
    from anmin.hazards.models import DrunkDriving

    user = world.user(Role.POLICE)
    day = clock.today() - dt.timedelta(days=3)
    head = ["查处\n时间", "所属乡镇", "当事人/姓 名", "当事人/身份证号", "违法行为", "处理情况", "是否肇事", "查处单位"]
    data, numbers = office_file("xls", "2020年酒驾醉驾查处登记台账", head, [
        [day, "古城", "张三", ident(0, "女"), "醉酒驾驶", "刑事处罚", "✓", "交警大队"],
        [f"{day:%Y.%m.%d}", "古城镇", "李四", ident(1, "男"), "饮酒驾驶", "行政处罚", "✗", "交警大队"],
        [f"{day:%Y%m%d}", "古城镇", "王五", ident(2, "男"), "饮酒驾驶", "行政处罚", "×", "交警大队"],
        [f"{day:%Y/%m/%d}", "古城镇", "赵六", ident(3, "男"), "饮酒驾驶", "行政处罚", "待查", "交警大队"]])
    report = DrunkDrivingLedger(user=user).dry_run(data, filename="酒驾.xls")
    assert messages(report) == {numbers[3]: ["肇事肇祸：应填“是”或“否”"]}
    DrunkDrivingLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert dict(DrunkDriving.objects.values_list("driver_name", "caused_accident")) == {
        "张三": True, "李四": False, "王五": False}


def test_the_police_monthly_report_in_gb18030_with_counts_as_offices_type_them(world):
    """Before: 2.0 (a count a program wrote with its decimals) was “应为整数”; 壹 said only that."""
    from anmin.prevention.importers import PoliceLedger
    from anmin.prevention.models import PoliceActivity

    user = world.user(Role.TOWNSHIP_CENTER)
    head = ["乡镇", "所属派出所", "统计月份", "走访群众\n（人）", "化解矛盾纠纷（起）", "抓获违法犯罪嫌疑人（人）", "服务群众（人次）"]
    data, numbers = office_file("csv", "2020年古城镇警务活动月报", head, [
        ["古城镇", "古城派出所", "2020年3月", "１，２００", 3, 5, 80],
        ["古城", "古城派出所", "2020.04", "900人", "1起", "2.0", "40 "],
        ["古城", "古城派出所", "2020-5", 1.5, "壹", 2, 4]], total=["合计", None, None, None, "2,100", 4, 7, 120])
    report = PoliceLedger(user=user).dry_run(data, filename="月报.csv")
    assert report.encoding == "GBK/GB18030"
    assert messages(report) == {numbers[2]: [
        "走访群众(人)：应为整数", "化解矛盾纠纷(起)：应为整数（“壹”是汉字数字，请改写为阿拉伯数字，如 2）"]}
    PoliceLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(PoliceActivity.objects.values_list("month", "visits", "suspects_caught")) == [
        (dt.date(2020, 3, 1), 1200, 5), (dt.date(2020, 4, 1), 900, 2)]


# -- blocks, 小计 and 合计 rows, hidden rows and sheets ------------------------------------------------------


def test_assets_in_blocks_with_subtotals_in_yuan_and_a_spaced_total(world):
    """Before: a 小计 row whose sum is written ￥15,000.00 was a data row with four 必填 errors; 合  计 was
    named “合” in the note."""
    from anmin.crackdown.models import Asset
    from anmin.crackdown.register_imports import AssetImport

    register_org(world)
    user = crackdown_office(world)
    head = ["序号", "资产类型", "资产名称", "所属组织", "处置状态", "价值（元）", "查封日期"]
    grid = [["2020年古城镇涉案资产台账"], ["填报单位：古城镇综治中心"], head,
            ["一、房产"], [1, "房产", "住宅", ORG, "查封", "1.5万", "2020.3.5"], ["房产小计", None, None, None, None, "￥15,000.00", None], [],
            ["二、车辆"], [2, "车辆", "奥迪", ORG, "扣押", "15,000", "2020.3.5"], [3], [],
            ["合  计", None, None, None, None, "人民币30,000元", None], ["总计：", "3.0万元"]]
    report = AssetImport(user=user).dry_run(sheets.xlsx(grid, [(0, 0, 0, 6), (3, 0, 3, 6), (7, 0, 7, 6)]))
    assert report.errors == []
    assert "第4行（一、房产）、第8行（二、车辆）是分组标题，不是数据行，未导入" in report.notes
    assert "第6行（房产小计）、第12行（合计）、第13行（总计）是合计、落款或说明，不是数据行，未导入" in report.notes
    AssetImport(user=user).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert sorted(Asset.objects.values_list("description", "value")) == [
        ("房产：住宅", Decimal("15000.00")), ("车辆：奥迪", Decimal("15000.00"))]


def test_a_hidden_old_sheet_is_passed_over_and_hidden_rows_are_said(world):
    from anmin.crackdown.register_imports import AssetImport

    register_org(world)
    grid, merges, numbers = sheets.office_grid("2020年古城镇涉案资产台账", UNIT, ASSET_HEAD, asset_rows())
    data = sheets.workbook({"填表说明": (COVER, []), "旧表": (grid, merges), "台账": (grid, merges)},
                           hidden_sheets=("旧表",), hidden_rows={"台账": [numbers[1] - 1]})
    report = AssetImport(user=crackdown_office(world)).dry_run(data, filename="涉案资产台账.xlsx")
    assert report.total == 5  # the 台账 sheet's, once
    assert "工作表“旧表”是隐藏的工作表，未读取；如也要导入，请在Excel中取消隐藏后重新上传" in report.notes
    assert any(n.startswith(f"工作表“台账”中有1行数据在Excel里被隐藏（第{numbers[1]}行）") for n in report.notes)


# -- times as offices write them, and the pages ----------------------------------------------------------


def test_lead_times_with_the_part_of_the_day_and_hours_alone(world):
    """Before: 2020年12月5日下午3时, 上午9:30 and 9时 were “时间格式应为 2020-01-31 09:30”."""
    from anmin.antifraud.importers import LeadLedger

    user = world.user(Role.CITY_OFFICE)
    d = clock.today() - dt.timedelta(days=3)
    head = ["线索编号", "所属乡镇", "所在村", "受害人姓名", "手机号", "身份证号", "诈骗类型", "预警时间"]
    cells = [f"{d:%Y年%m月%d日}下午3时", f"{d:%Y年%m月%d日}上午9:30", f"{d:%Y.%m.%d} 9时", f"{d:%Y/%m/%d} 晚上8点半",
             f"{d:%Y-%m-%d} 下午15:00", f"{d:%Y-%m-%d} 上午15:00"]
    rows = [[f"Y{i}", "古城镇", "古城村", f"受害人{i}", f"1370000{i:04d}", ident(i, "女"), "刷单", cell] for i, cell in enumerate(cells)]
    data, numbers = office_file("xlsx", "2020年古城镇预警线索台账", head, rows)
    report = LeadLedger(user=user).dry_run(data)
    assert messages(report) == {numbers[5]: ["线索下发时间：“上午15:00”不是有效的时间"]}
    got = [r.values["received_at"].strftime("%H:%M") for r in report.rows if r.ok]
    assert got == ["15:00", "09:30", "09:00", "20:30", "15:00"]


def _page(client, url, data, filename):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"ledger_step": "upload", "file": SimpleUploadedFile(filename, data)})


def _text(response) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_the_asset_register_page_takes_the_offices_file(client, world, settings, tmp_path, kind):
    from anmin.crackdown.models import Asset

    settings.ANMIN_LEDGER_UPLOAD_DIR = str(tmp_path)
    register_org(world)
    client.force_login(crackdown_office(world))
    data, _numbers = office_file(kind, "2020年古城镇涉案资产台账", ASSET_HEAD, asset_rows())
    checked = _page(client, "/crackdown/assets/", data, f"涉案资产台账.{kind}")
    assert checked.status_code == 200
    assert "价值(万元)：应为数字（“壹万”是汉字数字，请改写为阿拉伯数字，如 10000 或 1万）" in _text(checked)
    done = client.post("/crackdown/assets/", {"ledger_step": "confirm", "token": checked.context["token"], "mode": "valid_only"})
    assert done.status_code == 200
    assert "已导入4行，跳过有错误的1行" in _text(done)
    assert Asset.objects.get(description="房产：古城镇某小区住宅一套").value == Decimal("15000.00")


def test_a_sum_column_in_wan_mapped_by_hand_on_the_leads_page_is_converted(client, world, settings, tmp_path):
    """被骗资金（万元） is no name of the column: mapped by hand to 涉及金额(元), it is read in 万元, as said."""
    from anmin.antifraud.models import Lead

    settings.ANMIN_LEDGER_UPLOAD_DIR = str(tmp_path)
    client.force_login(world.user(Role.CITY_OFFICE))
    d = clock.today() - dt.timedelta(days=3)
    head = ["线索编号", "所属乡镇", "所在村", "受害人姓名", "手机号", "身份证号", "诈骗类型", "被骗资金（万元）", "预警时间"]
    data, _numbers = office_file("xlsx", "2020年古城镇预警线索台账", head, [
        ["Y1", "古城镇", "古城村", "张三", "13700001111", ident(0, "女"), "刷单", "1.2", f"{d:%Y年%m月%d日}下午3时"],
        ["Y2", "古城镇", "古城村", "李四", "13700002222", ident(1, "男"), "刷单", "800元", f"{d:%Y年%m月%d日}"]])
    checked = _page(client, "/antifraud/", data, "线索.xlsx")
    report = checked.context["report"]
    assert "amount_at_risk" not in report.mapping
    assert "被骗资金(万元)" in report.columns_ignored
    mapped = client.post("/antifraud/", {"ledger_step": "mapping", "token": checked.context["token"],
                                         "map_amount_at_risk": str(report.file_columns.index("被骗资金(万元)"))})
    assert mapped.status_code == 200
    assert "“被骗资金(万元)”一列以万元为单位，已换算为“涉及金额(元)”" in _text(mapped)
    done = client.post("/antifraud/", {"ledger_step": "confirm", "token": checked.context["token"], "mode": "all_or_nothing"})
    assert "已导入2行" in _text(done)
    assert dict(Lead.objects.values_list("upstream_id", "amount_at_risk")) == {"Y1": Decimal("12000.00"), "Y2": Decimal("800.00")}


def test_the_blacklist_page_names_the_card_number_excel_lost(client, world, settings, tmp_path):
    from anmin.antifraud.models import BlacklistEntry

    settings.ANMIN_LEDGER_UPLOAD_DIR = str(tmp_path)
    client.force_login(world.user(Role.POLICE))
    head = ["涉诈号码", "号码类型", "下发单位", "下发时间", "备注"]
    data, _numbers = office_file("xls", "2020年涉诈黑名单", head, [
        [13800001111, "手机号", "市反诈中心", "2020.11.3", None],
        [6222020012345678901.0, "银行卡", "市反诈中心", 44138, None]], total=None)
    checked = _page(client, "/antifraud/blacklist/", data, "黑名单.xls")
    assert "号码/账户/网址：单元格是数值格式，超过15位的数字末位已丢失；请把该列设为“文本”后重新填写" in _text(checked)
    refused = client.post("/antifraud/blacklist/", {"ledger_step": "confirm", "token": checked.context["token"], "mode": "all_or_nothing"})
    assert refused.status_code == 422
    assert not BlacklistEntry.objects.exists()


# -- yes/no columns answered in the column's own words ---------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_yes_no_column_takes_the_answers_its_name_invites(world, kind):
    """是否办结 answered 已办结 / 未办结, 警示牌是否完好 answered 完好, 救生器材是否齐全 answered 不齐全 (before:
    each “应填是或否”); what the name does not invite (已损坏) is still refused, named by row and column."""
    from anmin.campus.models import CampusIncident
    from anmin.hazards.models import WaterInspection
    from anmin.tests.test_office_registry_ledgers import school, water

    school(world)
    water(world)
    police, centre = world.user(Role.POLICE), world.user(Role.TOWNSHIP_CENTER)
    incidents = ledgers.find_ledger("campus.incident")
    data, numbers = office_file(kind, "2020年古城镇涉校案（事）件台账", ["学校\n名称", "发生\n时间", "案（事）件类型", "简要案情", "处置情况", "是否办结"], [
        ["古城小学", "2020.9.1", "交通事故", "剐蹭", "调解", "已办结"],
        ["古城小学", 44075, "打架斗殴", "打架", "教育", "未办结"],
        ["古城小学 ", "2020年9月8日", "其他", "车辆乱停", "劝离", "✓"],
        ["古城小学", "2020年9月9日", "其他", "车辆乱停", "劝离", "待定"]])
    report = incidents(user=police).dry_run(data, filename=f"案件.{kind}")
    assert messages(report) == {numbers[3]: ["已处置：应填“是”或“否”"]}
    incidents(user=police).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(CampusIncident.objects.values_list("description", "resolved")) == [
        ("剐蹭", True), ("打架", False), ("车辆乱停", True)]

    inspections = ledgers.find_ledger("hazards.water_inspection")
    data, numbers = office_file(kind, "2020年古城镇重点水域巡查台账", ["水域名称", "巡查时间", "巡查人员", "警示牌是否完好", "救生器材是否齐全", "发现问题"], [
        ["古城坑塘", "2020.7.1", "张三", "完好", "齐全", None],
        ["古城坑塘", "2020.7.2", "李四", "是", "不齐全", "救生圈缺失"],
        ["古城坑塘", "2020.7.3", "王五", "已损坏", "齐全", "警示牌被风刮倒"]])
    report = inspections(user=centre).dry_run(data, filename=f"巡查.{kind}")
    assert messages(report) == {numbers[2]: ["警示牌完好：应填“是”或“否”"]}
    inspections(user=centre).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(WaterInspection.objects.values_list("inspector", "signs_ok", "equipment_ok")) == [
        ("张三", True, True), ("李四", True, False)]


# -- 铁路沿线隐患台账 (the case kit) -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_railway_hazards_in_the_words_of_the_township(world, kind):
    """Before: 彩钢瓦 was refused with a list that seemed to offer it (…道口隐患、彩钢瓦、塑料薄膜等异物、其他: one
    label, 彩钢瓦、塑料薄膜等异物); 普通 was no 紧急程度."""
    from anmin.hazards.importers import RailwayHazardLedger
    from anmin.hazards.models import RailwayHazard

    user = world.user(Role.TOWNSHIP_CENTER)
    head = ["所属乡镇", "所在村", "隐患类型", "线路名称", "里程（公里）", "隐患描述", "发现时间", "紧急程度", "整改措施"]
    data, numbers = office_file(kind, "2020年古城镇铁路沿线隐患台账", head, [
        ["古城镇", "古城村", "危树", "京广线", "K100+200", "树木倾斜" * 1300, "2020.3.5", "一般", "砍伐"],
        ["古城镇", "古城村村委会", "危树", "京广线", "K100+300", "树木倾斜", 43895, "特急", None],
        ["古城镇", "古城村", "彩钢瓦", "京广线", "K100+400", "彩钢瓦未加固", "2020年3月5日", "普通", None],
        ["古城镇", "古城村", "树", "京广线", "K100+500", "树枝侵限", "2020年3月5日", None, None]])
    report = RailwayHazardLedger(user=user).dry_run(data, filename=f"铁路.{kind}")
    assert messages(report) == {
        numbers[0]: ["隐患情况：不能超过5000个字（当前5200个）"],
        numbers[3]: ["隐患类别：“树”不是可选值（可选：“危房”“危树”“护网破损”“道口隐患”“彩钢瓦、塑料薄膜等异物”“其他”）"]}
    RailwayHazardLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(RailwayHazard.objects.values_list("mileage", "category", "case__priority", "case__region_id")) == [
        ("K100+300", "tree", "urgent", world.gc_village.code), ("K100+400", "object", "normal", world.gc_village.code)]


def test_a_sum_in_thousands_mapped_by_hand_is_read_in_thousands(world):
    """涉案金额（千元） is not matched by name (its unit differs from every name of the column); mapped by
    hand, 1.5 is 1500 元, never 1.5 元."""
    from anmin.antifraud.importers import LeadLedger

    user = world.user(Role.CITY_OFFICE)
    d = clock.today() - dt.timedelta(days=3)
    head = ["线索编号", "所属乡镇", "所在村", "受害人姓名", "手机号", "身份证号", "诈骗类型", "涉案金额（千元）", "预警时间"]
    data, _numbers = office_file("xlsx", "2020年古城镇预警线索台账", head, [
        ["Y1", "古城镇", "古城村", "张三", "13700001111", ident(0, "女"), "刷单", "1.5", f"{d:%Y-%m-%d}"],
        ["Y2", "古城镇", "古城村", "李四", "13700002222", ident(1, "男"), "刷单", "2万元", f"{d:%Y-%m-%d}"]])
    assert "amount_at_risk" not in LeadLedger(user=user).dry_run(data).mapping
    report = LeadLedger(user=user).dry_run(data, mapping={"amount_at_risk": "涉案金额(千元)"})
    assert [r.values["amount_at_risk"] for r in report.rows] == [Decimal("1500"), Decimal("20000")]
    assert "“涉案金额(千元)”一列以千元为单位，已换算为“涉及金额(元)”；写明单位的数（如 3000元、1.5万元）按所写的单位换算" in report.notes


# -- parents named as Excel shows them --------------------------------------------------------------------


def test_a_parent_is_found_whatever_its_brackets_digits_and_spaces(world):
    """The form kept 张某（恶势力）犯罪集团 and 古城第１小学 as typed; the sheet says 张某(恶势力)犯罪集团 and
    古城第1小学 （before: “不是您辖区内登记的涉黑涉恶组织”）. Shared by every record ledger (``record_import``)."""
    from anmin.crackdown import actions
    from anmin.crackdown.models import Suspect
    from anmin.crackdown.register_imports import SuspectImport
    from anmin.hazards.models import WaterInspection
    from anmin.tests.test_office_registry_ledgers import water

    actions.register_org(actor=crackdown_office(world), name="张某（恶势力）犯罪集团", org_type="evil_group",
                         region=world.gucheng, broken_on=dt.date(2020, 5, 3))
    user = crackdown_office(world)
    data, numbers = office_file("xlsx", "2020年古城镇涉黑涉恶成员台账", ["姓名", "身份证号码", "所属组织", "目前状态"], [
        ["赵某", ident(0, "女"), "张某(恶势力)犯罪集团", "在逃"],
        ["钱某", ident(1, "男"), " 张某 （恶势力） 犯罪集团", "在逃"],
        ["孙某", ident(5, "女"), "张某恶势力犯罪集团", "在逃"]])
    report = SuspectImport(user=user).dry_run(data)
    assert messages(report) == {numbers[2]: ["所属组织：“张某恶势力犯罪集团”不是您辖区内登记的涉黑涉恶组织"]}
    SuspectImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert sorted(Suspect.objects.values_list("name", "org__name")) == [
        ("赵某", "张某（恶势力）犯罪集团"), ("钱某", "张某（恶势力）犯罪集团")]

    from anmin.core.actors import SYSTEM
    from anmin.hazards import actions as hazard_actions

    water(world)
    hazard_actions.create_water(actor=SYSTEM, region=world.gc_village.code, name="古城第１坑塘", kind="pond")
    centre = world.user(Role.TOWNSHIP_CENTER)
    inspections = ledgers.find_ledger("hazards.water_inspection")
    data, _numbers = office_file("csv", "2020年重点水域巡查台账", ["水域名称", "巡查时间", "巡查人员", "警示牌是否完好"], [
        ["古城第1坑塘", "2020.7.1", "张三", "是"], ["古城 坑塘", "2020.7.2", "李四", "是"]])
    report = inspections(user=centre).dry_run(data, filename="巡查.csv")
    assert report.errors == []
    inspections(user=centre).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert sorted(WaterInspection.objects.values_list("water__name", "inspector")) == [
        ("古城坑塘", "李四"), ("古城第１坑塘", "张三")]


def test_a_school_and_a_patrol_team_named_as_excel_shows_them(world):
    """The domains' own lookups (护学岗's 学校, 巡逻队成员's 巡逻队) compare names as the record ledgers do."""
    from anmin.campus.models import GuardPost
    from anmin.prevention import actions as prevention_actions
    from anmin.prevention.models import PatrolMember
    from anmin.tests.test_office_registry_ledgers import school

    school(world, "古城第１小学（东校区）")
    posts = ledgers.find_ledger("campus.post")
    police = world.user(Role.POLICE)
    data, numbers = office_file("xlsx", "2020年古城镇护学岗台账", ["学校名称", "设岗位置", "执勤时段", "执勤人员"], [
        ["古城第1小学(东校区)", "校门口", "早高峰", "张警官"], ["古城第二小学", "校门口", "早高峰", "李辅警"]], total=None)
    report = posts(user=police).dry_run(data)
    assert messages(report) == {numbers[1]: ["学校：“古城第二小学”不是在册的学校"]}
    posts(user=police).run_import(report, mode=ledgers.VALID_ONLY)
    assert list(GuardPost.objects.values_list("school__name", "on_duty")) == [("古城第１小学（东校区）", "张警官")]

    from anmin.core.actors import SYSTEM

    prevention_actions.create_team(actor=SYSTEM, region=world.gc_village, name="古城村治安巡逻队（一队）", kind="village")
    members = ledgers.find_ledger("prevention.member")
    centre = world.user(Role.TOWNSHIP_CENTER)
    data, _numbers = office_file("csv", "2020年古城镇巡逻队员台账", ["所属乡镇", "所在村", "巡逻队名称", "姓 名", "人员身份"], [
        ["古城镇", "古城村", "古城村治安巡逻队(一队)", "张三", "村民"]], total=None)
    report = members(user=centre).dry_run(data, filename="队员.csv")
    assert report.errors == []
    members(user=centre).run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert list(PatrolMember.objects.values_list("name", "team__name")) == [("张三", "古城村治安巡逻队（一队）")]
