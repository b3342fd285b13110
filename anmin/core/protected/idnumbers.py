"""Chinese resident identity numbers (公民身份号码, GB 11643-1999): structure, check digit, derivation.

An 18-character number is: 6-digit address code (GB/T 2260 region of first registration), 8-digit
birth date, 3-digit sequence (odd for men, even for women), and an ISO 7064 MOD 11-2 check character
(0–9 or X). 15-digit numbers issued before 1999 lack the century and the check character; they are
converted to 18 by inserting "19" and computing the check character.

Every error is a ``ValidationError`` whose Chinese message names the field and the rule that failed.
No message, exception or ``repr`` here ever contains the number itself.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .masking import mask_id_number

#: Province-level divisions (GB/T 2260): the first two digits of every resident ID number.
PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

#: Residence permits for residents of Hong Kong, Macao and Taiwan (港澳台居民居住证) use the same
#: format with address codes 810000, 820000 and 830000; 83 is the only prefix not in PROVINCES.
RESIDENCE_PERMIT_PREFIXES: dict[str, str] = {"83": "台湾居民居住证"}

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"  # indexed by (weighted sum mod 11)
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
DEFAULT_LABEL = "身份证号码"

_EIGHTEEN_RE = re.compile(r"^\d{17}[\dX]$")
_SEPARATORS_RE = re.compile(r"[\s\-]+")


class Sex(models.TextChoices):
    """Sex as coded in GB/T 2261.1 (the two values an ID number can carry)."""

    MALE = "1", _("男")
    FEMALE = "2", _("女")


@dataclass(frozen=True)
class IdNumberInfo:
    """What a valid ID number says. ``repr`` shows the number masked."""

    number: str = field(repr=False)
    region_code: str
    province: str
    birth_date: dt.date
    sex: Sex

    def __repr__(self) -> str:
        return (
            f"IdNumberInfo(number={mask_id_number(self.number)!r}, region_code={self.region_code!r}, "
            f"province={self.province!r}, birth_date=<hidden>, sex={self.sex.label})"
        )


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("the check character is computed over exactly 17 digits")
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def upgrade_legacy(number15: str) -> str:
    """Convert a 15-digit (pre-1999) number to 18 digits: insert the century "19", add the check character."""
    if len(number15) != 15 or not number15.isdigit():
        raise ValueError("a legacy ID number has exactly 15 digits")
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_character(first17)


def normalize_id_number(raw: str) -> str:
    """The canonical form used for storage and the blind index; never fails.

    Full-width characters (common with Chinese input methods) become ASCII, spaces and hyphens go,
    ``x`` becomes ``X``, and a 15-digit legacy number becomes its 18-digit form.
    """
    value = _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", str(raw))).upper()
    if len(value) == 15 and value.isdigit():
        return upgrade_legacy(value)
    return value


def _today() -> dt.date:
    """The business date (the demo lives on 2020-12-10: someone born in 1996 is 24 there)."""
    from django.utils import timezone

    from anmin.core import clock

    return timezone.localdate(clock.now_or_real())


def parse_id_number(raw: str, *, label: str = DEFAULT_LABEL, today: dt.date | None = None) -> IdNumberInfo:
    """Check ``raw`` against GB 11643 and return what it says, or raise ``ValidationError``."""
    value = _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", str(raw or ""))).upper()
    if not value:
        raise ValidationError(f"请填写{label}", code="id_required")
    if len(value) == 15:
        if not value.isdigit():
            raise ValidationError(f"{label}（15位旧号码）应全部为数字", code="id_format")
        value = upgrade_legacy(value)
    elif len(value) != 18:
        raise ValidationError(f"{label}应为18位（旧号码为15位），当前为{len(value)}位", code="id_length")
    if not _EIGHTEEN_RE.match(value):
        raise ValidationError(f"{label}前17位应为数字，第18位应为数字或X", code="id_format")

    province_code = value[:2]
    province = PROVINCES.get(province_code) or RESIDENCE_PERMIT_PREFIXES.get(province_code)
    if province is None:
        raise ValidationError(f"{label}前2位不是有效的省级行政区划代码", code="id_region")

    try:
        birth_date = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(f"{label}第7–14位不是有效的出生日期", code="id_birth_date") from None
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(f"{label}第7–14位的出生日期早于1900年", code="id_birth_date")
    if birth_date > (today or _today()):
        raise ValidationError(f"{label}第7–14位的出生日期晚于今天", code="id_birth_date")

    expected = check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(f"{label}校验位错误（第18位应为{expected}）", code="id_check_digit")

    sex = Sex.MALE if int(value[16]) % 2 else Sex.FEMALE
    return IdNumberInfo(value, value[:6], province, birth_date, sex)


def is_valid_id_number(raw: str, *, today: dt.date | None = None) -> bool:
    try:
        parse_id_number(raw, today=today)
    except ValidationError:
        return False
    return True


def derive_birth_date_and_sex(id_number: str, *, label: str = DEFAULT_LABEL) -> tuple[dt.date, Sex]:
    """Birth date and sex carried by a valid ID number (raises ``ValidationError`` if it is not valid)."""
    info = parse_id_number(id_number, label=label)
    return info.birth_date, info.sex


_SEX_WORDS = {"1": Sex.MALE, "男": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE,
              "2": Sex.FEMALE, "女": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE}  # fmt: skip


def check_id_number_agrees(
    id_number: str,
    *,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    id_label: str = DEFAULT_LABEL,
    birth_date_field: str | None = "birth_date",
    birth_date_label: str = "出生日期",
    sex_field: str | None = "sex",
    sex_label: str = "性别",
) -> None:
    """Raise ``ValidationError`` if an entered birth date or sex contradicts the ID number.

    Errors are keyed by ``birth_date_field`` / ``sex_field`` so a form or ``Model.clean`` shows each
    next to its own input (pass ``None`` for a plain error). Sex may be a :class:`Sex`, a GB/T 2261.1
    code, or 男/女; 0 (未知) and 9 (未说明) are not checked.
    """
    derived_birth, derived_sex = derive_birth_date_and_sex(id_number, label=id_label)
    errors: dict[str | None, list[ValidationError]] = {}
    if birth_date is not None and birth_date != derived_birth:
        errors.setdefault(birth_date_field, []).append(
            ValidationError(f"{birth_date_label}与{id_label}第7–14位不一致", code="id_birth_date_mismatch")
        )
    entered = _SEX_WORDS.get(str(sex).strip().lower()) if sex not in (None, "") else None
    if entered is not None and entered != derived_sex:
        errors.setdefault(sex_field, []).append(
            ValidationError(f"{sex_label}与{id_label}第17位不一致（奇数为男，偶数为女）", code="id_sex_mismatch")
        )
    if not errors:
        return
    if None in errors:
        raise ValidationError([e for errs in errors.values() for e in errs])
    raise ValidationError(errors)


def make_id_number(
    *, birth_date: dt.date, region_code: str = "411081", sequence: int = 1, sex: Sex | str | None = None
) -> str:
    """A synthetic, well-formed ID number (for the demo world, benchmarks and tests).

    ``sequence`` (0–999) is the 15th–17th digits; ``sex`` adjusts its last digit's parity.
    """
    if len(region_code) != 6 or not region_code.isdigit():
        raise ValueError("region_code must be 6 digits")
    sequence %= 1000
    if sex is not None:
        want_odd = _SEX_WORDS[str(sex).lower()] == Sex.MALE
        if bool(sequence % 2) != want_odd:
            sequence = sequence - 1 if sequence == 999 else sequence + 1
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
