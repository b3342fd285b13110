"""Cells as offices write them: an integer with its unit word (4路, 2块), a choice by its label's part
before a bracketed note (早高峰 for 早高峰(上学)) when no other label shares it, and a parser's own
label replaced by the column's header in a message (never “申请人身份证号：身份证号码…”)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from anmin.core import ledgers
from anmin.core.ledgers.parsers import headed


@pytest.mark.parametrize(("cell", "value"), [
    ("4路", 4), ("2块", 2), ("3 个", 3), ("12人次", 12), ("3级", 3), ("５辆", 5), (7, 7), (7.0, 7), ("-2", -2)])
def test_an_integer_takes_a_trailing_unit_word(cell, value):
    assert ledgers.integer()(cell) == value


@pytest.mark.parametrize("cell", ["3万", "10余", "5左右", "10以上", "4路口子", "路4", "4.5块", "四路", "4 路 2", True])
def test_an_integer_refuses_what_is_not_that_number(cell):
    with pytest.raises(ValidationError, match="应为整数"):
        ledgers.integer()(cell)


def test_an_integers_range_message_names_only_the_limits_given():
    with pytest.raises(ValidationError, match=r"^\['不能小于1'\]$"):
        ledgers.integer(min_value=1)("0人")
    with pytest.raises(ValidationError, match=r"^\['应在0至200之间'\]$"):
        ledgers.integer(min_value=0, max_value=200)("300人")


PEAKS = [("morning", "早高峰(上学)"), ("noon", "午间"), ("evening", "晚高峰（放学）")]


@pytest.mark.parametrize(("cell", "value"), [
    ("早高峰", "morning"), ("早高峰(上学)", "morning"), ("早高峰（上学）", "morning"), ("晚高峰", "evening"),
    ("午间", "noon"), ("noon", "noon")])
def test_a_choice_takes_a_labels_part_before_its_bracket(cell, value):
    assert ledgers.choice(PEAKS)(cell) == value


def test_a_part_two_labels_share_is_not_a_choice():
    parse = ledgers.choice([("a", "其他(自然)"), ("b", "其他(人为)"), ("c", "火灾(室内)"), ("d", "火灾")])
    with pytest.raises(ValidationError, match="“其他”不是可选值"):
        parse("其他")
    assert parse("火灾") == "d"  # a label itself wins over another label's part
    assert parse("其他(人为)") == "b"


def test_a_parsers_own_label_gives_way_to_the_columns_header(db):
    with pytest.raises(ValidationError) as exc:
        ledgers.id_number(label="身份证号码")("12345")
    assert headed(exc.value.messages[0], "申请人身份证号") == "申请人身份证号应为18位（旧号码为15位），当前为5位"
    with pytest.raises(ValidationError) as exc:
        ledgers.phone()("12345")
    assert headed(exc.value.messages[0], "监护人电话") == "监护人电话应为11位手机号码（以13–19开头）"
    assert headed("不能小于1", "涉及人数") == "涉及人数：不能小于1"
    assert headed("涉及人数：不能小于1", "涉及人数") == "涉及人数：不能小于1"
    assert headed("不能小于1", "") == "不能小于1"


@pytest.mark.parametrize(("header", "taken"), [
    ("涉及金额(元)", True), ("涉及金额", True), ("涉及金额(万元)", False), ("涉及金额(人民币)", True)])
def test_a_header_in_another_unit_is_not_the_column(header, taken):
    """价值(万元) read into a 价值(元) column would store 120万 as 120元: a header whose bracketed unit
    differs from the column's is not that column (a header without a unit, or with a note, still is)."""
    from anmin.core.ledgers.header import Band, match

    band = Band(first=0, last=0, labels=["序号", header], names=[["序号"], [header]])
    match(band, {"amount": {"涉及金额(元)"}})
    assert ("amount" in band.mapping) is taken
