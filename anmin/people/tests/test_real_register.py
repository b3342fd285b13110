# ruff: noqa: E501  (rows of a real register read best one to a line)
"""A village's 实有人口 register as it is kept — the village named only in the title row, household
columns (户主, 与户主关系), no place column, 汉 for 汉族, a legacy 15-digit number, a landline, notes
under the table — goes through the same framework as every ledger: mapped by itself, exactly the
planted errors, every good row imported into the village the title names; .xls and GBK CSV alike."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.protected import make_id_number, parse_id_number
from anmin.core.testing import sheets

from ..importers import ResidentLedger
from ..models import Person


def ident(n: int, birth: dt.date, sex: str = "男") -> str:
    return make_id_number(birth_date=birth, sequence=n, sex=sex)


HEAD = ["序号", "户主", "姓名", "与户主关系", "性别", "民族", "出生日期", "公民身份号码", "联系电话", "现住址", "备注"]
LEGACY = "411081800101123"  # a 15-digit number of the old kind: born 1980-01-01, male (3)


def grid() -> list[list]:
    a, b, c = dt.date(1961, 4, 2), dt.date(1963, 8, 9), dt.date(1988, 12, 1)
    rows = [
        ["古城镇大北村实有人口登记表"],
        HEAD,
        [1, "李大山", "李大山", "户主", "男", "汉", a, ident(1, a), "13700001111", "大北村1组", None],
        [2, "李大山", "王秀英", "配偶", "女", "汉族", b, ident(2, b, "女"), "0374-8123456", "大北村1组", None],
        [3, "李大山", "李小明", "子", "男", "汉", "1988年12月1日", ident(3, c), None, "大北村1组", "外出务工"],
        [4, "赵铁柱", "赵铁柱", "户主", "男", "回", "1980.1.1", LEGACY, "１３７００００２２２２", "大北村2组", None],
        # planted: a wrong check digit
        [5, "赵铁柱", "赵小花", "女", "女", "汉", None, ident(5, c, "女")[:-1] + ("0" if ident(5, c, "女")[-1] != "0" else "1"), None, "大北村2组", None],
        # planted: a birth date the ID number contradicts
        [6, "钱多多", "钱多多", "户主", "男", "汉", "1970-01-01", ident(6, a), None, "大北村3组", None],
        # planted: a phone that is none
        [7, "钱多多", "孙二娘", "配偶", "女", "汉", None, ident(7, b, "女"), "12345", "大北村3组", None],
        # planted: an ethnicity that does not exist
        [8, "周大福", "周大福", "户主", "男", "火星", None, ident(8, a), None, "大北村4组", None],
        # planted: the same ID number again in the file
        [9, "周大福", "周小福", "子", "男", "汉", None, ident(8, a), None, "大北村4组", None],
        ["填表人：村文书", None, None, "审核人：村支书", None, None, "2020年12月31日"],
    ]
    return rows


PLANTED = {(7, "id_number"), (8, "birth_date"), (9, "phone"), (10, "ethnicity"), (11, "id_number")}


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv-gbk"])
def test_the_village_register_maps_itself_and_imports_into_the_village_its_title_names(world, kind):
    rows = grid()
    data = {"xlsx": lambda: sheets.xlsx(rows), "xls": lambda: sheets.xls(rows),
            "csv-gbk": lambda: sheets.csv_bytes(rows, encoding="gbk")}[kind]()
    user = world.user(Role.TOWNSHIP_CENTER)
    report = ResidentLedger(user=user).dry_run(data, filename=f"实有人口.{kind[:3]}")
    assert report.file_errors == []
    assert not report.needs_mapping
    assert report.title_lines == ["古城镇大北村实有人口登记表"]
    assert {"name", "id_number", "sex", "birth_date", "phone", "current_address", "ethnicity"} <= set(report.mapping)
    assert "户主" in report.columns_ignored  # household columns are read past, not refused
    assert report.total == 9
    found = {(e.row, e.field) for e in report.errors}
    assert found == PLANTED, sorted(found ^ PLANTED)
    for e in report.errors:
        assert e.message.startswith(e.column)
    result = ResidentLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == 4
    people = {p.name: p for p in Person.objects.all()}
    assert {p.region_id for p in people.values()} == {world.gc_village2.code}  # 大北村委会, from the title
    assert people["李大山"].ethnicity == "汉族"
    assert people["赵铁柱"].ethnicity == "回族"
    assert people["赵铁柱"].id_number.reveal() == parse_id_number(LEGACY).number  # upgraded to 18 digits
    assert people["王秀英"].phone.reveal() in ("0374-8123456", "03748123456")
