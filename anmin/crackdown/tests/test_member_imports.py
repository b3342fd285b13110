# ruff: noqa: E501  (rows of a real ledger read best one to a line)
"""The 扫黑办's 成员/犯罪嫌疑人台账, 涉案资产台账 and 换届候选人联审汇总表 imported from the files it keeps
(the registers had no import): the office's layout (title, 填报单位, merged two-row header, 序号, its own
column names, a 合计 row), each bad row named by row and column, ID numbers encrypted and never exported
in full, another township's office refused, the export importing again as 已存在, a retried file adding
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from anmin.core import ledgers
from anmin.core.errors import Invalid
from anmin.core.ledgers import LedgerImportError
from anmin.core.models import AuditEntry, Role
from anmin.core.models.orgs import OrgKind
from anmin.core.protected import make_id_number
from anmin.core.testing import sheets
from anmin.core.tests.factories import make_org, make_user
from anmin.crackdown import actions
from anmin.crackdown.models import Asset, Candidate, Suspect
from anmin.crackdown.register_imports import AssetImport, CandidateImport, SuspectImport

pytestmark = pytest.mark.django_db
UNIT = "填报单位：禹州市扫黑办    填报日期：2020年12月"
ORG = "张某恶势力犯罪集团"
ID1 = make_id_number(birth_date=dt.date(1975, 3, 2), sequence=101, sex="M")
ID2 = make_id_number(birth_date=dt.date(1982, 7, 9), sequence=102, sex="M")
BAD_ID = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")  # the check digit wrong


def _office(world):
    return world.user("crackdown")


def _org(world, region=None):
    return actions.register_org(actor=_office(world), name=ORG, org_type="evil_group",
                                region=region or world.gucheng, broken_on=dt.date(2020, 5, 3))


def _wuliang_office(world):
    """A 扫黑办 of 无梁镇: the same permissions, another area."""
    return make_user("crackdown", make_org(OrgKind.CRACKDOWN_OFFICE, world.wuliang, "无梁镇扫黑办"))


def _dry(ledger, user, title, header, rows, total=("合计",)):
    grid, merges, numbers = sheets.office_grid(title, UNIT, header, rows, total=total)
    report = ledger(user=user).dry_run(sheets.xlsx(grid, merges), filename="台账.xlsx")
    assert not report.needs_mapping, report.mapping
    return report, numbers


def _errors(report):
    return [(e.row, e.field) for e in report.errors]


def _stored(table: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT id_number FROM {table} WHERE id = %s", [pk])  # noqa: S608 - a test's own table name
        return cur.fetchone()[0]


# -- members and suspects ---------------------------------------------------------------------------------

SUSPECT_HEAD = ["姓名", "公民身份号码", "所属组织", "在组织中地位", "目前状态", "抓获时间"]


def suspect_rows():
    return [
        ["赵某某", ID1, ORG, "组织者", "已逮捕", "2020.5.3"],
        ["钱某", ID2, ORG, "骨干成员", "在逃", None],
        ["孙某", BAD_ID, ORG, "一般成员", "已抓获", "2020.5.4"],           # the check digit: refused
        ["李某", "", "王某黑社会性质组织", "一般成员", "已抓获", "2020.5.4"],  # no such organisation
        ["周某", "", ORG, "一般成员", "已抓获", None],                       # caught, but no day caught
        ["吴某", "", ORG, "一般成员", "已抓获", "2020年5月5日"],
    ]


def test_the_offices_member_register_imports_each_bad_row_named_and_numbers_encrypted(world):
    org, user = _org(world), _office(world)
    report, numbers = _dry(SuspectImport, user, "禹州市涉黑涉恶组织成员（犯罪嫌疑人）台账", SUSPECT_HEAD, suspect_rows(),
                           total=("合计", None, "6人"))
    assert _errors(report) == [(numbers[2], "id_number"), (numbers[3], "org"), (numbers[4], "caught_on")]
    bad_id = next(e for e in report.errors if e.field == "id_number")
    assert bad_id.column == "身份证号码"
    assert "身份证号码" in bad_id.message
    assert "校验" in bad_id.message
    assert "“王某黑社会性质组织”不是您辖区内登记的" in next(e.message for e in report.errors if e.field == "org")
    assert any("合计" in n for n in report.notes)
    SuspectImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    got = {s.name: s for s in Suspect.objects.select_related("org")}
    assert set(got) == {"赵某某", "钱某", "吴某"}
    zhao = got["赵某某"]
    assert (zhao.org, zhao.region_id, zhao.role_in_org, zhao.status) == (org, world.gucheng.code, "组织者", "caught")
    assert zhao.caught_on == dt.date(2020, 5, 3)
    assert (got["钱某"].status, got["钱某"].caught_on) == ("at_large", None)
    assert got["吴某"].caught_on == dt.date(2020, 5, 5)
    # the protected-field path: encrypted in the table, found by its blind index, linked to the people register
    assert ID1 not in _stored("crackdown_suspect", zhao.pk)
    assert zhao.id_number.reveal() == ID1
    assert Suspect.objects.filter(id_number=ID1).get() == zhao
    assert zhao.person is not None
    assert zhao.person.id_number.reveal() == ID1
    assert got["吴某"].person is None
    assert AuditEntry.objects.filter(action="import", object_type="crackdown.suspect").count() == 1


def test_the_member_register_exported_imports_again_as_already_there_and_masks_the_numbers(client, world):
    _org(world)
    user = _office(world)
    report, _n = _dry(SuspectImport, user, "涉黑涉恶成员台账", SUSPECT_HEAD, suspect_rows())
    SuspectImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    client.force_login(user)
    exported = client.get("/crackdown/suspects/?export=xlsx").content  # the page's own export
    cells = [str(c) for row in sheets_rows(exported) for c in row if c is not None]
    assert not any(ID1 in c or ID2 in c for c in cells)
    assert any(c.startswith(ID1[:3]) and "*" in c for c in cells)
    again = SuspectImport(user=user).dry_run(exported)
    assert not again.errors
    assert (again.new_count, again.existing_count) == (0, 3)
    # a masked number is no number for a new suspect
    masked = next(c for c in cells if c.startswith(ID1[:3]) and "*" in c)
    new, numbers = _dry(SuspectImport, user, "涉黑涉恶成员台账", SUSPECT_HEAD, [["郑某", masked, ORG, "", "已抓获", "2020.6.1"]])
    assert _errors(new) == [(numbers[0], "id_number")]
    assert "脱敏" in new.errors[0].message


def test_a_retried_member_file_adds_no_one_twice(world):
    _org(world)
    user = _office(world)
    first, _n = _dry(SuspectImport, user, "涉黑涉恶成员台账", SUSPECT_HEAD, suspect_rows())
    SuspectImport(user=user).run_import(first, mode=ledgers.VALID_ONLY)
    retried, _n = _dry(SuspectImport, user, "涉黑涉恶成员台账", SUSPECT_HEAD, suspect_rows())
    assert (retried.new_count, retried.existing_count) == (0, 3)
    with pytest.raises(LedgerImportError, match="已存在"):
        SuspectImport(user=user).run_import(retried, mode=ledgers.VALID_ONLY)
    assert Suspect.objects.count() == 3
    assert AuditEntry.objects.filter(action="import", object_type="crackdown.suspect").count() == 1


def test_another_townships_office_cannot_import_into_an_organisation_it_does_not_see(world):
    org = _org(world)  # in 古城镇
    outsider = _wuliang_office(world)
    report, numbers = _dry(SuspectImport, outsider, "涉黑涉恶成员台账", SUSPECT_HEAD,
                           [["赵某某", ID1, ORG, "组织者", "已逮捕", "2020.5.3"]])
    assert _errors(report) == [(numbers[0], "org")]
    assets, numbers = _dry(AssetImport, outsider, "涉案资产台账", ASSET_HEAD, [[ORG, "车辆", "小型轿车", 8, "扣押", "2020.5.7"]])
    assert _errors(assets) == [(numbers[0], "org")]
    # the actions check the area themselves, whatever calls them
    with pytest.raises(Invalid):
        actions.import_suspects([Suspect(org=org, name="赵某某", caught_on=dt.date(2020, 5, 3))], actor=outsider)
    with pytest.raises(Invalid):
        actions.import_assets([Asset(org=org, description="车辆", measure="seized", value=1, on=dt.date(2020, 5, 3))],
                              actor=outsider)
    candidates, numbers = _dry(CandidateImport, outsider, "2021年换届候选人联审汇总表", CANDIDATE_HEAD,
                               [["古城镇", "古城村", "孙某", "", *["无异议"] * 5, "通过"]])
    assert _errors(candidates) == [(numbers[0], "village")]  # 古城村 is not in 无梁镇's area
    assert not Suspect.objects.exists()
    assert not Asset.objects.exists()
    assert not Candidate.objects.exists()


# -- seized assets ---------------------------------------------------------------------------------------

ASSET_HEAD = ["涉及组织", "资产类型", "资产名称", "价值(万元)", "处置状态", "查封日期"]


def asset_rows():
    return [
        [ORG, "房产", "某小区3号楼2单元", 120, "查封", "2020.5.6"],
        [ORG, "车辆", "豫K12345小型轿车", "8.5", "扣押", dt.date(2020, 5, 7)],
        [ORG, "银行存款", "账户存款", 35.2, "冻结", "2020年5月8日"],
        [ORG, "现金", "现金", "若干", "没收", "2020.5.9"],       # not a sum: refused
        [ORG, "股权", "某公司30%股权", 100, "拍卖", "2020.5.9"],  # not a measure the register keeps
        [ORG, "土地", "砂场", 300, "没收", "2020.5.10"],
    ]


def test_the_offices_asset_register_imports_in_ten_thousands_and_its_export_is_already_there(world):
    org, user = _org(world), _office(world)
    report, numbers = _dry(AssetImport, user, "禹州市涉黑涉恶案件涉案资产台账", ASSET_HEAD, asset_rows(),
                           total=("合计", None, None, None, 563.7))
    assert _errors(report) == [(numbers[3], "value_wan"), (numbers[4], "measure")]
    AssetImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    got = {a.description: a for a in Asset.objects.all()}
    assert set(got) == {"房产：某小区3号楼2单元", "车辆：豫K12345小型轿车", "银行存款：账户存款", "土地：砂场"}
    house = got["房产：某小区3号楼2单元"]
    assert (house.org, house.region_id, house.measure, house.value, house.on) == (
        org, world.gucheng.code, "seized", Decimal("1200000.00"), dt.date(2020, 5, 6))
    assert got["车辆：豫K12345小型轿车"].value == Decimal("85000.00")
    assert got["银行存款：账户存款"].measure == "frozen"
    assert got["土地：砂场"].measure == "confiscated"
    assert AuditEntry.objects.filter(action="import", object_type="crackdown.asset").count() == 1
    exported = AssetImport(user=user).export_response(Asset.objects.all()).content
    again = AssetImport(user=user).dry_run(exported)
    assert not again.errors
    assert (again.new_count, again.existing_count) == (0, 4)
    retried, _n = _dry(AssetImport, user, "涉案资产台账", ASSET_HEAD, asset_rows())
    assert retried.new_count == 0
    assert Asset.objects.count() == 4


def test_an_asset_in_yuan_and_ten_thousands_must_agree(world):
    _org(world)
    user = _office(world)
    head = ["所属组织", "资产名称", "价值(元)", "价值(万元)", "措施", "日期"]
    report, numbers = _dry(AssetImport, user, "涉案资产台账", head, [
        [ORG, "挖掘机", 250000, 25, "查封扣押", "2020.5.6"],
        [ORG, "渣土车", 250000, 20, "查封扣押", "2020.5.6"],  # 20万元 is not 250000元
        [ORG, "装载机", None, None, "查封扣押", "2020.5.6"],  # no value at all
    ])
    assert _errors(report) == [(numbers[1], "value_wan"), (numbers[2], "value")]


# -- candidates' joint review -----------------------------------------------------------------------------

CANDIDATE_HEAD = ["乡镇(街道)", "村(社区)", "姓名", "身份证号码", "联审意见/公安", "联审意见/检察", "联审意见/法院",
                  "联审意见/纪委监委", "联审意见/信访", "审查结论"]


def candidate_rows():
    return [
        ["古城镇", "古城村", "孙某", ID1, "无异议", "无异议", "无异议", "无异议", "无异议", "通过"],
        ["古城镇", "大北村", "周某", ID2, "有异议：涉黑涉恶受过刑事处罚", "无异议", "√", "无异议", None, "取消资格"],
        ["古城镇", "古城村", "吴某", "", "有异议", "无异议", "无异议", "无异议", "无异议", "取消资格"],  # no reason
        ["古城镇", "古城村", "郑某", "", "无异议", "无异议", "无异议", "无异议", "无异议", "取消资格"],  # no objection
        ["古城镇", None, "王某", "", "无异议", "无异议", "无异议", "无异议", "无异议", "通过"],  # not in a village
        ["古城镇", "古城村", "冯某", "", "无异议", "待定", "无异议", "无异议", "无异议", "通过"],  # not an answer
    ]


def test_the_joint_review_summary_imports_a_row_per_candidate_with_each_departments_answer(world):
    user = _office(world)
    report, numbers = _dry(CandidateImport, user, "2021年禹州市村（社区）“两委”换届候选人资格联审汇总表", CANDIDATE_HEAD,
                           candidate_rows())
    assert _errors(report) == [(numbers[2], "dept_police"), (numbers[3], "verdict"), (numbers[4], "village"),
                               (numbers[5], "dept_procuratorate")]
    CandidateImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    got = {c.name: c for c in Candidate.objects.all()}
    assert set(got) == {"孙某", "周某"}
    sun, zhou = got["孙某"], got["周某"]
    assert (sun.region_id, sun.election_year, sun.disqualified) == (world.gc_village.code, 2021, False)
    assert len(sun.checks) == 5
    assert (zhou.region_id, zhou.disqualified, zhou.reason) == (world.gc_village2.code, True, "涉黑涉恶受过刑事处罚")
    assert "petition" not in zhou.checks  # 信访 left empty: no answer yet
    assert zhou.checks["court"] == {"ok": True, "reason": ""}
    assert ID2 not in _stored("crackdown_candidate", zhou.pk)
    assert zhou.id_number.reveal() == ID2
    assert zhou.person is not None
    assert AuditEntry.objects.filter(action="import", object_type="crackdown.candidate").count() == 1
    exported = CandidateImport(user=user).export_response(Candidate.objects.all()).content
    assert ID1 not in str(sheets_rows(exported))
    again = CandidateImport(user=user).dry_run(exported)
    assert not again.errors
    assert (again.new_count, again.existing_count) == (0, 2)
    retried, _n = _dry(CandidateImport, user, "2021年禹州市村（社区）“两委”换届候选人资格联审汇总表", CANDIDATE_HEAD,
                       candidate_rows()[:2])
    assert (retried.new_count, retried.existing_count) == (0, 2)
    assert Candidate.objects.count() == 2


def test_the_election_year_is_read_from_its_column_or_else_asked_for(world):
    user = _office(world)
    head = ["乡镇(街道)", "村(社区)", "姓名", "换届年份", "公安", "检察院", "法院", "纪委监委", "信访"]
    report, numbers = _dry(CandidateImport, user, "候选人资格联审汇总表", head, [
        ["古城镇", "古城村", "孙某", 2021, "无异议", "无异议", "无异议", "无异议", "无异议"],
        ["古城镇", "古城村", "周某", None, "无异议", "无异议", "无异议", "无异议", "无异议"],
    ])
    assert _errors(report) == [(numbers[1], "election_year")]


# -- pages ------------------------------------------------------------------------------------------------

def sheets_rows(data: bytes) -> list[tuple]:
    import io

    import openpyxl

    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_the_registers_pages_offer_the_import_to_the_office_only(client, world):
    client.force_login(_office(world))
    for name in ("suspects", "assets", "candidates"):
        assert "?import=1" in client.get(f"/crackdown/{name}/").content.decode(), name
        assert client.get(f"/crackdown/{name}/?import=1").status_code == 200, name
    client.force_login(world.user(Role.CITY_OFFICE))
    for name in ("suspects", "assets", "candidates"):
        assert client.get(f"/crackdown/{name}/?import=1").status_code == 404, name


def test_the_member_register_imports_on_its_page(client, world, settings, tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path / "uploads"
    _org(world)
    client.force_login(_office(world))
    html, done = sheets.import_on_page(client, "/crackdown/suspects/", SuspectImport, [
        ["", "", ORG, "赵某某", ID1, "组织者", "已抓获", "2020-05-03"],
        ["", "", ORG, "孙某", BAD_ID, "", "已抓获", "2020-05-04"],
    ])
    assert "身份证号码" in html
    assert ID1 not in html
    assert done.status_code in (200, 302)
    assert list(Suspect.objects.values_list("name", flat=True)) == ["赵某某"]


# -- the register sent again, months later: what moved on is brought up to date --------------------------

def test_the_member_register_sent_again_brings_each_suspects_status_up_to_date(world):
    """December's 成员台账 of the same office: 钱某 caught, 赵某某 prosecuted — shown before the import
    as 将更新 with what changes, then changed through ``update_suspect`` (audited, one entry each); a row
    saying nothing new is 已存在; 周某 new is added."""
    _org(world)
    user = _office(world)
    first, _n = _dry(SuspectImport, user, "涉黑涉恶成员台账", SUSPECT_HEAD, suspect_rows())
    SuspectImport(user=user).run_import(first, mode=ledgers.VALID_ONLY)
    december = [
        ["赵某某", ID1, ORG, "组织者", "已移送起诉", "2020.5.3"],
        ["钱某", ID2, ORG, "骨干成员", "已抓获", "2020.9.1"],
        ["吴某", "", ORG, "一般成员", "已抓获", "2020年5月5日"],  # as it was
        ["周某", "", ORG, "一般成员", "已抓获", "2020.10.2"],  # new
    ]
    report, numbers = _dry(SuspectImport, user, "涉黑涉恶成员台账（12月）", SUSPECT_HEAD, december)
    assert not report.errors
    assert (report.new_count, report.changed_count, report.unchanged_count) == (1, 2, 1)
    notes = {r.row: r.change_note for r in report.changed_rows}
    assert notes[numbers[0]] == "诉讼状态：已抓获 → 已起诉"
    assert notes[numbers[1]] == "诉讼状态：在逃 → 已抓获；抓获日期：— → 2020-09-01"
    result = SuspectImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert result.updated_rows == (numbers[0], numbers[1])
    assert "更新已登记的2行" in result.message
    got = {s.name: s for s in Suspect.objects.all()}
    assert (got["赵某某"].status, got["赵某某"].version) == ("prosecuted", 2)
    assert (got["钱某"].status, got["钱某"].caught_on) == ("caught", dt.date(2020, 9, 1))
    assert (got["吴某"].status, got["吴某"].version) == ("caught", 1)
    assert got["周某"].status == "caught"
    updates = AuditEntry.objects.filter(object_type="crackdown.suspect", action="update")
    assert updates.count() == 2
    assert {e.reason for e in updates} == {"Excel 导入：涉黑涉恶成员/犯罪嫌疑人台账"}
    # Sent a third time: nothing new, nothing to import.
    again, _n = _dry(SuspectImport, user, "涉黑涉恶成员台账（12月）", SUSPECT_HEAD, december)
    assert (again.new_count, again.changed_count) == (0, 0)
    with pytest.raises(LedgerImportError, match="已存在"):
        SuspectImport(user=user).run_import(again, mode=ledgers.VALID_ONLY)


def test_an_office_that_may_not_change_a_suspect_only_adds(world):
    """The import adds with the add permission; bringing a record up to date needs the change
    permission: without it the row stays 已存在 and the record as it was."""
    from django.contrib.auth.models import Permission

    _org(world)
    user = _office(world)
    first, _n = _dry(SuspectImport, user, "涉黑涉恶成员台账", SUSPECT_HEAD, suspect_rows())
    SuspectImport(user=user).run_import(first, mode=ledgers.VALID_ONLY)
    adder = make_user("crackdown", user.org_unit)
    for role in adder.roles.all():
        role.permissions.remove(Permission.objects.get(codename="change_suspect", content_type__app_label="crackdown"))
    adder = type(adder).objects.get(pk=adder.pk)  # permissions read afresh
    assert not adder.has_perm("crackdown.change_suspect")
    report, _n = _dry(SuspectImport, adder, "涉黑涉恶成员台账", SUSPECT_HEAD,
                      [["钱某", ID2, ORG, "骨干成员", "已抓获", "2020.9.1"]])
    assert (report.new_count, report.changed_count, report.existing_count) == (0, 0, 1)
    assert Suspect.objects.get(name="钱某").status == "at_large"


def test_an_asset_confiscated_later_is_updated_from_the_register_in_ten_thousands(world):
    _org(world)
    user = _office(world)
    first, _n = _dry(AssetImport, user, "涉案资产台账", ASSET_HEAD, asset_rows())
    AssetImport(user=user).run_import(first, mode=ledgers.VALID_ONLY)
    later = [[ORG, "银行存款", "账户存款", 30, "依法没收", "2020年5月8日"]]
    report, _n = _dry(AssetImport, user, "涉案资产台账", ASSET_HEAD, later)
    assert (report.new_count, report.changed_count) == (0, 1)
    assert report.changed_rows[0].change_note == "措施：冻结 → 没收；价值(元)：352000.00 → 300000"
    AssetImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    asset = Asset.objects.get(description="银行存款：账户存款")
    assert (asset.measure, asset.value, asset.version) == ("confiscated", Decimal("300000.00"), 2)
