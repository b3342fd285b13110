# ruff: noqa: E501  (rows of a real ledger read best one to a line)
"""The 扫黑办's 涉黑涉恶组织台账 and 处理公职人员台账 imported from the files it keeps (the registers had no
import): an office's layout, each bad row named, the export importing again as 已存在."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.testing import sheets
from anmin.crackdown.models import CrimeOrg, Official
from anmin.crackdown.register_imports import OfficialImport, OrgImport

pytestmark = pytest.mark.django_db
UNIT = "填报单位：禹州市扫黑办    填报日期：2020年12月"


def _crackdown(world):
    return next(u for code, u in world.users.items() if code == "crackdown")


def test_the_offices_organisation_register_imports_and_its_export_is_already_there(world):
    user = _crackdown(world)
    grid, merges, numbers = sheets.office_grid(
        "禹州市涉黑涉恶组织台账", UNIT, ["组织(团伙)名称", "性质", "所属乡镇", "办理阶段", "打掉时间", "主要犯罪事实"], [
            ["张某恶势力犯罪集团", "恶势力犯罪集团", "古城镇", "起诉", "2020.5.3", "强揽工程、寻衅滋事"],
            ["李某恶势力团伙", "恶势力犯罪团伙", "古城", "侦查", dt.date(2020, 6, 1), "非法放贷"],
            ["王某黑社会性质组织", "黑社会", "古城镇", "审判", "2020年7月1日", ""],  # not a type: refused
        ], total=None)
    report = OrgImport(user=user).dry_run(sheets.xlsx(grid, merges))
    assert not report.needs_mapping
    assert [(e.row, e.field) for e in report.errors] == [(numbers[2], "org_type")]
    OrgImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    orgs = {o.name: o for o in CrimeOrg.objects.all()}
    assert set(orgs) == {"张某恶势力犯罪集团", "李某恶势力团伙"}
    assert orgs["张某恶势力犯罪集团"].stage == "prosecution"
    assert orgs["李某恶势力团伙"].region == world.gucheng
    assert orgs["张某恶势力犯罪集团"].broken_on == dt.date(2020, 5, 3)
    # The register's own export imports again as nothing new.
    exported = OrgImport(user=user).export_response(CrimeOrg.objects.all()).content
    again = OrgImport(user=user).dry_run(exported)
    assert not again.errors
    assert again.new_count == 0
    assert again.existing_count == 2


def test_officials_are_placed_by_their_organisation_or_by_township(world):
    from anmin.crackdown import actions

    user = _crackdown(world)
    actions.register_org(actor=user, name="张某恶势力犯罪集团", org_type="evil_group", region=world.gucheng,
                         broken_on=dt.date(2020, 5, 3))
    grid, merges, numbers = sheets.office_grid(
        "处理公职人员台账", UNIT, ["姓名", "工作单位", "问题性质", "处理结果", "处分日期", "所涉组织", "所属乡镇"], [
            ["赵某", "古城镇某村党支部书记", "保护伞", "移送司法", "2020.8.1", "张某恶势力犯罪集团", ""],
            ["钱某", "某局干部", "失职失责", "党纪政务处分", "2020.9.1", "", "无梁镇"],
            ["孙某", "某所所长", "腐败", "开除", "2020.9.2", "", "古城镇"],  # not a measure: refused
        ], total=None)
    report = OfficialImport(user=user).dry_run(sheets.xlsx(grid, merges))
    assert not report.needs_mapping
    assert [(e.row, e.field) for e in report.errors] == [(numbers[2], "measure")]
    OfficialImport(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    got = {o.name: o for o in Official.objects.select_related("org")}
    assert got["赵某"].org.name == "张某恶势力犯罪集团"
    assert got["赵某"].region == world.gucheng
    assert got["钱某"].region == world.wuliang
    assert got["钱某"].measure == "discipline"


def test_the_registers_pages_offer_the_import_only_to_the_office(client, world):
    client.force_login(_crackdown(world))
    assert "?import=1" in client.get("/crackdown/orgs/").content.decode()
    assert client.get("/crackdown/officials/?import=1").status_code == 200
    client.force_login(world.user(Role.CITY_OFFICE))
    assert client.get("/crackdown/orgs/?import=1").status_code == 404
