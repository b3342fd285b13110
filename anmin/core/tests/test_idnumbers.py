"""ID numbers (GB 11643-1999) and phone numbers: what is accepted, what is refused and how it is said."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from anmin.core.protected import (
    IdNumberValidator,
    PhoneValidator,
    Sex,
    check_id_number_agrees,
    derive_birth_date_and_sex,
    is_valid_id_number,
    make_id_number,
    normalize_id_number,
    normalize_phone,
    parse_id_number,
    validate_id_number,
    validate_mobile,
    validate_phone,
)

TODAY = dt.date(2020, 12, 10)  # the demo world's "today"


def iso7064_check(first17: str) -> str:
    """The check character computed from the definition (weights 2^(17-i) mod 11), not from the code under test."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def synthetic(region: str = "411081", birth: str = "19800101", sequence: str = "123") -> str:
    first17 = region + birth + sequence
    return first17 + iso7064_check(first17)


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return exc.value.messages


# --- accepted -------------------------------------------------------------------------------------------


def test_the_standards_own_example_is_accepted_and_read():
    info = parse_id_number("11010519491231002X", today=TODAY)
    assert info.province == "北京市"
    assert info.region_code == "110105"
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == Sex.FEMALE


@pytest.mark.parametrize(
    ("region", "birth", "sequence"),
    [
        ("411081", "19800101", "123"),  # 禹州市
        ("110105", "20001231", "002"),
        ("650102", "19000101", "999"),  # the earliest accepted birth date
        ("810000", "19970701", "010"),  # 港澳居民居住证
        ("830000", "19881111", "021"),  # 台湾居民居住证
        ("460100", "20201210", "555"),  # born "today"
    ],
)
def test_well_formed_synthetic_numbers_are_accepted(region, birth, sequence):
    number = synthetic(region, birth, sequence)
    assert parse_id_number(number, today=TODAY).number == number
    validate_id_number(number)  # the Django validator, against the real clock


def test_a_number_whose_check_character_is_x_is_accepted_in_any_case_and_width():
    number = next(n for n in (synthetic(sequence=f"{s:03d}") for s in range(1000)) if n.endswith("X"))
    lower_spaced = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    fullwidth = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    for typed in (number, lower_spaced, fullwidth):
        assert parse_id_number(typed, today=TODAY).number == number
        assert normalize_id_number(typed) == number


def test_a_legacy_15_digit_number_is_converted_to_18_digits():
    assert normalize_id_number("110105491231002") == "11010519491231002X"
    info = parse_id_number("110105491231002", today=TODAY)
    assert info.number == "11010519491231002X"
    assert info.birth_date == dt.date(1949, 12, 31)


# --- refused, with a message naming the field and the rule ------------------------------------------------


def test_a_wrong_check_digit_is_refused_naming_the_right_one():
    good = synthetic()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        parse_id_number(wrong, today=TODAY)
    assert exc.value.code == "id_check_digit"
    assert messages(exc) == [f"身份证号码校验位错误（第18位应为{good[17]}）"]


def test_an_impossible_birth_date_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_id_number(synthetic(birth="19990230"), today=TODAY)
    assert exc.value.code == "id_birth_date"
    assert messages(exc) == ["身份证号码第7–14位不是有效的出生日期"]


def test_an_unknown_province_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_id_number(synthetic(region="990101"), today=TODAY)
    assert exc.value.code == "id_region"
    assert "省级行政区划代码" in messages(exc)[0]


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        parse_id_number(synthetic(birth=f"{tomorrow:%Y%m%d}"), today=TODAY)
    assert exc.value.code == "id_birth_date"
    assert "晚于今天" in messages(exc)[0]
    # The Django validator uses the real clock.
    next_year = dt.date.today() + dt.timedelta(days=366)
    with pytest.raises(ValidationError):
        validate_id_number(synthetic(birth=f"{next_year:%Y%m%d}"))


def test_a_birth_date_before_1900_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_id_number(synthetic(birth="18991231"), today=TODAY)
    assert "早于1900年" in messages(exc)[0]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("41108119800101123", "id_length"),
        ("4110811980010112345", "id_length"),
        ("4110811980010112A4", "id_format"),
        ("41108119800101X234", "id_format"),
        ("11010549123100A", "id_format"),
        ("", "id_required"),
    ],
)
def test_malformed_numbers_are_refused(typed, code):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(typed, today=TODAY)
    assert exc.value.code == code
    assert not is_valid_id_number(typed, today=TODAY)


def test_messages_name_the_field_they_guard():
    validator = IdNumberValidator("监护人身份证号码")
    with pytest.raises(ValidationError) as exc:
        validator(synthetic(region="990101"))
    assert messages(exc)[0].startswith("监护人身份证号码")


def test_no_message_ever_contains_the_number():
    good = synthetic()
    bad_numbers = [
        good[:17] + ("0" if good[17] != "0" else "1"),
        synthetic(birth="19990230"),
        synthetic(region="990101"),
        synthetic(birth="21000101"),
        good[:17],
    ]
    for number in bad_numbers:
        with pytest.raises(ValidationError) as exc:
            validate_id_number(number)
        text = " ".join(messages(exc)) + repr(exc.value) + str(exc.value)
        assert number[:17] not in text
        assert number[6:14] not in text  # not even the birth-date run


def test_the_parsed_result_does_not_show_the_number_in_its_repr():
    number = synthetic()
    info = parse_id_number(number, today=TODAY)
    assert number not in repr(info)
    assert "411***********" in repr(info)


# --- derivation and agreement ---------------------------------------------------------------------------


def test_birth_date_and_sex_come_from_the_number():
    assert derive_birth_date_and_sex(synthetic(birth="19800101", sequence="123")) == (dt.date(1980, 1, 1), Sex.MALE)
    assert derive_birth_date_and_sex(synthetic(birth="20000229", sequence="124")) == (dt.date(2000, 2, 29), Sex.FEMALE)


def test_an_entered_sex_that_contradicts_the_number_is_detected():
    female = synthetic(sequence="124")
    with pytest.raises(ValidationError) as exc:
        check_id_number_agrees(female, sex="男")
    assert exc.value.message_dict == {"sex": ["性别与身份证号码第17位不一致（奇数为男，偶数为女）"]}
    with pytest.raises(ValidationError):
        check_id_number_agrees(female, sex=Sex.MALE)


def test_an_entered_birth_date_that_contradicts_the_number_is_detected():
    number = synthetic(birth="19800101")
    with pytest.raises(ValidationError) as exc:
        check_id_number_agrees(number, birth_date=dt.date(1980, 1, 2), sex=Sex.MALE)
    assert list(exc.value.message_dict) == ["birth_date"]
    assert "出生日期与身份证号码第7–14位不一致" in exc.value.message_dict["birth_date"]


def test_agreeing_entries_pass_and_unknown_sex_codes_are_not_checked():
    number = synthetic(birth="19800101", sequence="123")
    check_id_number_agrees(number, birth_date=dt.date(1980, 1, 1), sex="1")
    check_id_number_agrees(number, sex="男")
    check_id_number_agrees(number, sex="9")  # GB/T 2261.1 未说明的性别
    check_id_number_agrees(number)


def test_both_contradictions_are_reported_together():
    number = synthetic(birth="19800101", sequence="123")
    with pytest.raises(ValidationError) as exc:
        check_id_number_agrees(number, birth_date=dt.date(1981, 1, 1), sex="女", birth_date_field=None, sex_field=None)
    assert len(exc.value.messages) == 2


def test_make_id_number_builds_valid_numbers_of_the_requested_sex():
    for sequence in (0, 1, 998, 999):
        for sex in (Sex.MALE, Sex.FEMALE):
            number = make_id_number(birth_date=dt.date(1975, 6, 30), sequence=sequence, sex=sex)
            assert number == synthetic(birth="19750630", sequence=number[14:17])
            assert derive_birth_date_and_sex(number) == (dt.date(1975, 6, 30), sex)


# --- phones -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("0086-13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("19912345678", "19912345678"),
        ("0374-8123456", "03748123456"),
        ("(0374) 8123 4567", "037481234567"),
        ("010-62345678", "01062345678"),
        ("+86 374 8123456", "03748123456"),
    ],
)
def test_real_shaped_phone_numbers_are_accepted_and_normalised(typed, normalized):
    assert normalize_phone(typed) == normalized
    validate_phone(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "12345678901",  # second digit 2
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits starting with 1
        "23800138000",  # no leading 1 or 0
        "0374-123456",  # 6-digit local number
        "010-1234567",  # Beijing numbers have 8 digits
        "0374-0123456",  # local numbers never start with 0
        "400-810-8888",  # service number
        "电话",
    ],
)
def test_malformed_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError) as exc:
        validate_phone(typed)
    assert exc.value.messages[0].startswith("联系电话")
    digits = normalize_phone(typed)
    assert not digits or digits not in " ".join(exc.value.messages)


def test_a_mobile_only_field_refuses_landlines_and_names_itself():
    validate_mobile("13800138000")
    with pytest.raises(ValidationError) as exc:
        validate_mobile("0374-8123456")
    assert exc.value.code == "phone_mobile"
    assert exc.value.messages == ["手机号码应为11位手机号码（以13–19开头）"]
    with pytest.raises(ValidationError) as exc:
        PhoneValidator("紧急联系人电话")("12345")
    assert exc.value.messages[0].startswith("紧急联系人电话")
