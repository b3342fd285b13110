"""The shared cell parsers take what offices write in a choice or code column: the code, the label,
both ("04 冒充公检法"), and a zero-padded code whose leading zero a number cell dropped (4 for 04);
sums in 万; a date and time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from anmin.core.ledgers import choice, code, decimal
from anmin.core.ledgers.parsers import moment

SCALES = [("01", "个体性事件"), ("02", "一般群体性事件"), ("03", "重大群体性事件")]
GRADES = [("critical", "特高"), ("high", "高")]


@pytest.mark.parametrize(("cell", "want"), [
    ("01", "01"), ("个体性事件", "01"), (1, "01"), (1.0, "01"), ("2", "02"), ("03 重大群体性事件", "03"),
    ("3 重大群体性事件", "03"), ("０２", "02"),
])
def test_a_choice_takes_its_code_its_label_both_and_the_code_without_its_leading_zero(cell, want):
    assert choice(SCALES)(cell) == want


@pytest.mark.parametrize("cell", ["4", "01 一般群体性事件", "001x", "个体"])
def test_a_choice_still_refuses_what_is_not_one_of_them_and_lists_the_labels(cell):
    with pytest.raises(ValidationError) as exc:
        choice(SCALES)(cell)
    assert "不是可选值（可选：个体性事件、一般群体性事件、重大群体性事件）" in exc.value.messages[0]


def test_a_choice_takes_a_stored_value_in_other_letter_case_and_its_synonyms():
    parse = choice(GRADES, synonyms={"红色": "特高"})
    assert [parse(c) for c in ("HIGH", "High", "高", "红色", "Critical")] == ["high", "high", "high", "critical",
                                                                          "critical"]


def test_a_short_form_two_codes_share_stands_for_neither():
    parse = choice([("01", "甲"), ("001", "乙"), ("1", "丙")])
    assert (parse("1"), parse("01"), parse("001")) == ("1", "01", "001")
    with pytest.raises(ValidationError):
        code({"01": "甲", "001": "乙"}, what="类别")("1")


@pytest.mark.parametrize(("cell", "want"), [
    ("04", "04"), (4, "04"), ("4", "04"), ("04 冒充公检法", "04"), ("4 冒充公检法", "04"), ("冒充公检法", "04"),
    ("99", "99"), ("0902", "0902"), (902, "0902"),
])
def test_a_code_takes_the_code_without_its_leading_zero(cell, want):
    parse = code({"01": "刷单返利", "04": "冒充公检法", "99": "其他", "0902": "宅基地使用"}, what="类型")
    assert parse(cell) == want


def test_a_code_still_says_what_it_is_not():
    with pytest.raises(ValidationError) as exc:
        code({"04": "冒充公检法"}, what="诈骗类型", examples="04")("5")
    assert exc.value.messages == ["“5”不是诈骗类型（如 04）"]


@pytest.mark.parametrize(("cell", "want"), [
    ("5万", Decimal(50000)), ("1.2万元", Decimal(12000)), ("1,000元", Decimal(1000)), (2500, Decimal(2500)),
])
def test_a_sum_may_be_written_in_wan(cell, want):
    assert decimal(min_value=0)(cell) == want


def test_a_moment_takes_the_ways_offices_write_a_date_and_time(db):
    tz = timezone.get_current_timezone()
    want = timezone.make_aware(dt.datetime(2020, 12, 10, 9, 30), tz)
    parse = moment()
    for cell in (dt.datetime(2020, 12, 10, 9, 30), "2020-12-10 09:30", "2020/12/10 9:30", "2020.12.10 09:30:00",
                 "2020年12月10日9时30分", "2020年12月10日 9:30", "2020-12-10T09:30:00+08:00",
                 44175 + 9.5 / 24, str(44175 + 9.5 / 24)):
        assert parse(cell) == want, cell
    assert parse("2020-12-10") == timezone.make_aware(dt.datetime(2020, 12, 10), tz)
    for bad in ("昨天", "2020-12-10 25:00", "2020-02-30 09:00", "1900-01-01 09:00"):
        with pytest.raises(ValidationError):
            parse(bad)
