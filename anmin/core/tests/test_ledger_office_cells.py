"""Cells and rows as county offices write them (the kit, no database): 1,200 and ￥3,000 in number
columns, dates with spaces or 号, a 合计 row full of totals and footers signed 制表/经办人 read past
as notes, a slash or dash for an empty cell, and a two-row header whose group names someone else
(监护人 over 姓名 / 联系电话) never lending its columns to the ledger's own person."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from anmin.core import ledgers
from anmin.core.ledgers import header as hdr
from anmin.core.ledgers.base import _empty, _fill_merged_down

# What these files test is reading an office's workbook (headers, sheets, cells, notes), the same code
# on either database; they run in the SQLite pass of make test (the importers' writes on PostgreSQL,
# COPY included, are tested by each app's importer tests). ANMIN_LEDGER_FILES_PG=1 runs them there too.
pytestmark = [*globals().get("pytestmark", []), pytest.mark.skipif(
    connection.vendor == "postgresql" and not os.environ.get("ANMIN_LEDGER_FILES_PG"),
    reason="office files are read in the SQLite pass of make test")]


@pytest.mark.parametrize(("cell", "value"), [("1,200", 1200), ("１，２００人", 1200), ("12,345,678", 12345678)])
def test_an_integer_takes_thousands_separators(cell, value):
    assert ledgers.integer()(cell) == value


@pytest.mark.parametrize("cell", ["1,2", "1,2000", "12,34"])
def test_a_comma_that_is_no_thousands_separator_is_not_an_integer(cell):
    with pytest.raises(ValidationError, match="应为整数"):
        ledgers.integer()(cell)


@pytest.mark.parametrize(("cell", "value"), [
    ("￥3,000", "3000"), ("¥3,000.50", "3000.50"), ("人民币5000元", "5000"), ("1,200元整", "1200"),
    ("3000 元", "3000"), ("1.2万元", "12000")])
def test_an_amount_takes_a_currency_sign_and_yuan(cell, value):
    assert ledgers.decimal(min_value=0)(cell) == Decimal(value)


@pytest.mark.parametrize("cell", [" 2020 年 5 月 3 日 ", "2020年5月3号", "2020 - 05 - 03", "2020. 5. 3"])
def test_a_date_takes_spaces_and_hao(db, cell):
    assert ledgers.date()(cell) == dt.date(2020, 5, 3)


@pytest.mark.parametrize("cells", [
    ["合计", None, None, None, 2100, 4, 7, 120],
    ["合  计", "3人", "1,200"],
    [None, "小计", 15, 16, 17, 18, 19],
    ["制表：张三"],
    ["经办人：王五", None, "联系电话：0374-8000000"],
    ["单位（盖章）：古城镇综治中心", None, "2020年12月31日"],
])
def test_totals_and_footers_are_notes_not_rows(cells):
    assert hdr.is_note_row(cells)


@pytest.mark.parametrize("cells", [
    [3, "合计纠纷", "宅基地纠纷", "古城村", "王某"],
    ["合计", "古城镇", "大北村", "王某", "13700001111", "2020-05-03"],  # words, not totals: a row to check
])
def test_a_row_with_words_beside_its_total_word_is_still_checked(cells):
    assert not hdr.is_note_row(cells)


@pytest.mark.parametrize("cell", ["/", "／", "-", "—", "——", " / ", "\\"])
def test_a_slash_or_a_dash_alone_is_an_empty_cell(cell):
    assert _empty(cell)


@pytest.mark.parametrize("cell", ["-5", "无", "0", "1/2"])
def test_a_value_with_a_dash_or_slash_is_not_empty(cell):
    assert not _empty(cell)


WANTED = {"name": {"姓名"}, "phone": {"联系电话", "电话"}, "id": {"公民身份号码", "身份证号码"},
          "guardian_name": {"监护人姓名"}, "guardian_phone": {"监护人电话"}}


def _merged_two_row(upper, lower):
    """(rows, merges): a title row, then ``upper`` over ``lower``; a cell without a lower label is
    merged down, a group label across its columns."""
    merges = [((1, c), (2, c)) for c, lo in enumerate(lower) if lo is None]
    c = 0
    while c < len(upper):
        end = c
        while end + 1 < len(upper) and upper[end + 1] is None and lower[end + 1] is not None:
            end += 1
        if end > c:
            merges.append(((1, c), (1, end)))
        c = end + 1
    return [["某镇严重精神障碍患者台账"], upper, lower, [1, "张三"]], merges


def test_a_group_naming_the_guardian_keeps_its_columns_from_the_patient():
    rows, merges = _merged_two_row(
        ["序号", "患者", "身份证号码", "监护人", None],
        [None, None, None, "姓名", "联系电话"])
    band = hdr.find_header(rows, merges, WANTED, ["name", "id"])
    assert (band.first, band.last) == (1, 2)
    assert band.mapping.get("guardian_name") == 3
    assert band.mapping.get("guardian_phone") == 4  # 监护人/联系电话 is 监护人电话, by its group
    assert "name" not in band.mapping  # not the guardian's 姓名
    assert "phone" not in band.mapping  # not the guardian's phone


def test_the_lower_row_of_a_merged_header_is_no_header_by_itself():
    """Before: the lower row (filled with the labels merged down into it) scored as a header of its
    own and took 监护人/姓名 for the patient's name."""
    rows, merges = _merged_two_row(
        ["序号", "身份证号码", "监护人", None],
        [None, None, "姓名", "电话"])
    band = hdr.find_header(rows, merges, WANTED, ["name", "id"])
    assert (band.first, band.last) == (1, 2)
    assert "name" not in band.mapping
    assert band.mapping["guardian_name"] == 2


def test_a_group_whose_field_is_of_another_kind_lends_its_columns():
    """当事人 over 姓名 / 身份证号 where the ledger's only 当事人 name is 当事人姓名: the ID number is
    the ledger's own ID number column."""
    wanted = {"driver": {"驾驶人", "当事人姓名"}, "id": {"身份证号码", "身份证号"}}
    rows, merges = _merged_two_row(["序号", "当事人", None], [None, "姓名", "身份证号"])
    band = hdr.find_header(rows, merges, wanted, ["driver"])
    assert band.mapping == {"driver": 1, "id": 2}


def test_a_cell_merged_down_over_rows_of_the_table_fills_those_that_have_content():
    rows = [["序号", "乡镇", "姓名"], [1, "古城镇", "张三"], [2, None, "李四"], (), [None, None, "王五"]]
    merged = [((1, 1), (4, 1)), ((0, 0), (0, 2))]
    filled = _fill_merged_down(rows, merged, below=0)
    assert [r[1] if len(r) > 1 else None for r in filled] == ["乡镇", "古城镇", "古城镇", None, "古城镇"]
    assert filled[3] == ()  # an empty row stays empty: nothing of its own to belong to
