"""Cell parsers: each returns the value of a cell or raises ``ValidationError`` with a Chinese message.

Dates take every style offices write (2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日, 20200305, Excel
date cells and Excel serial numbers); full-width digits and spaces are normalised (NFKC) first. A text
cell keeps its Chinese punctuation (only full-width digits, letters and spaces become ASCII).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from time import monotonic as _monotonic
from typing import Any

from django.core.exceptions import ValidationError

from .. import clock
from ..i18n import in_source_language
from ..protected import parse_id_number, validate_phone_number

# --- parsers ---------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


# What a text cell keeps of NFKC: full-width digits and Latin letters, and wide or no-break spaces,
# as their ASCII forms. Chinese punctuation (，。：；（）！？) stays as written: NFKC turned 经过
# "坑塘边玩耍，不慎落水" into "坑塘边玩耍,不慎落水", so an exported ledger no longer matched its own
# records on import (every drowning 新增 again) and imported prose lost its punctuation.
_WIDE_TO_ASCII = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}
_WIDE_TO_ASCII.update({0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20})


def _prose(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).translate(_WIDE_TO_ASCII).strip()


#: A number Excel keeps as a number holds 15 significant digits: a longer one (a bank card, an account)
#: has already lost its last digits, whatever the cell shows.
LOST_DIGITS = "单元格是数值格式，超过15位的数字末位已丢失；请把该列设为“文本”后重新填写"


def text(*, max_length: int | None = None) -> Callable[[Any], str]:
    """A text cell as written (full-width digits and letters, wide spaces made ASCII). A number cell of
    more than 15 digits (a bank card number, 6.22202001234568E+18) and a cell in scientific notation (as
    a CSV saved by Excel shows a long number) are refused: their digits are lost, never stored wrong."""

    def parse(value: Any) -> str:
        if isinstance(value, float) and abs(value) >= 1e15:
            raise ValidationError(LOST_DIGITS)
        s = _prose(value)
        if _SHOWN_SCIENTIFIC.fullmatch(s):
            raise ValidationError(f"“{s}”是科学计数法，号码已丢失；请把该列设为“文本”后重新填写")
        if max_length is not None and len(s) > max_length:
            raise ValidationError(f"不能超过{max_length}个字（当前{len(s)}个）")
        return s

    return parse


def integer(*, min_value: int | None = None, max_value: int | None = None) -> Callable[[Any], int]:
    from ..bounds import MAX_INT

    capped = max_value is not None  # too small for an uncapped column: "不能小于1", not the column's limit
    max_value = MAX_INT if max_value is None else max_value  # never beyond the column (the dry run says so)

    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValidationError("应为整数")
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError("应为整数")
        s = _WHOLE_DECIMAL.sub(r"\1", _THOUSANDS.sub("", _cell_text(value)))  # 1,200 and 2.0 as shown
        m = _INTEGER.fullmatch(s)
        if not m or (m[2] and _NOT_A_UNIT.intersection(m[2])):
            raise _not_a_number(s, "整数", "2") if _CHINESE_NUMERAL.search(s) else ValidationError("应为整数")
        n = int(m[1])
        if (min_value is not None and n < min_value) or n > max_value:
            if min_value is not None and (capped or n > max_value):
                raise ValidationError(f"应在{min_value}至{max_value}之间")
            raise ValidationError(f"不能大于{max_value}" if n > max_value else f"不能小于{min_value}")
        return n

    return parse


#: The money units a column's header names in its brackets (涉及金额(元), 价值(万元)), in 元.
MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(10) ** 8}


def decimal(*, min_value: Decimal | int | None = None) -> Callable[[Any], Decimal]:
    """A number (1,200; 1.5; ¥3,000; 人民币500元). A sum written with its unit (1.5万, 1.5万元, 3000元) is
    read in that unit: the parser returns the value in the column's own unit, which the dry run gives
    through ``in_units`` — the unit of the column's header (涉及金额(元): 元, 价值(万元): 万元) and the
    unit of the file's column (an office's 涉案金额(万元) for a column kept in 元): a bare 1.2 in a 万元
    column is 12000 in a 元 column. Without units (a score), 5万 is 50000."""
    return _decimal(min_value, None, None)


def _decimal(min_value: Decimal | int | None, column: str | None, file: str | None) -> Callable[[Any], Decimal]:
    own = MONEY_UNITS.get(column or "", Decimal(1))
    written = MONEY_UNITS.get(file or column or "", own)

    def parse(value: Any) -> Decimal:
        s = _CURRENCY.sub("", re.sub(r"\s", "", _cell_text(value))).removesuffix("整")  # ¥ 1.5 万元整
        scale = written
        if s.endswith(("万元", "万")):  # 5万, 1.2万元: what offices write for sums
            s, scale = s.removesuffix("元").removesuffix("万"), Decimal(10000)
        elif s.endswith("元"):
            s, scale = s.removesuffix("元"), Decimal(1)
        if "," in s:  # 15,000 as Excel shows it; never 1,5 (1.5 or 15?)
            if not _THOUSANDS_ONLY.fullmatch(s.split(".")[0].removeprefix("-")):
                raise ValidationError(f"“{_cell_text(value)}”不是有效的数字（千位分隔应为 15,000；小数点应为“.”）")
            s = s.replace(",", "")
        try:
            d = Decimal(s.strip())
        except InvalidOperation:
            raise (_not_a_number(_cell_text(value), "数字", "10000 或 1万")
                   if _CHINESE_NUMERAL.search(s) else ValidationError("应为数字")) from None
        if d.is_finite() and scale != own:
            d = d * scale / own
        if min_value is not None and d < Decimal(min_value):
            raise ValidationError(f"不能小于{min_value}")
        if not d.is_finite() or abs(d * own) >= Decimal(10) ** 12:
            raise ValidationError("数值过大（应小于 1,000,000,000,000）")  # the amount columns' limit
        return d

    parse.in_units = lambda column, file: _decimal(min_value, column, file)  # type: ignore[attr-defined]
    return parse


_CHINESE_NUMERAL = re.compile("[零〇壹贰叁肆伍陆柒捌玖拾佰仟一二两三四五六七八九十百千]")


def _not_a_number(s: str, what: str, example: str) -> ValidationError:
    """A number written in Chinese numerals (壹万元, 三人): not read, said so."""
    return ValidationError(f"应为{what}（“{s}”是汉字数字，请改写为阿拉伯数字，如 {example}）")


def coordinate(low: int, high: int) -> Callable[[Any], Decimal]:
    """A latitude (-90, 90) or longitude (-180, 180) in decimal degrees, kept to six places (about
    0.1 m) like the form's location picker and the API (``core.geo``)."""

    def parse(value: Any) -> Decimal:
        try:
            d = Decimal(_cell_text(value).removesuffix("°"))
        except InvalidOperation:
            raise ValidationError("应为十进制度数（如 34.1405）") from None
        if not d.is_finite() or not low <= d <= high:
            raise ValidationError(f"须在 {low} 到 {high} 之间")
        return d.quantize(Decimal("0.000001"))

    return parse


# patterns compiled once, not looked up per cell
_INTEGER = re.compile(r"(-?\d+)\s*([\u4e00-\u9fff]{1,2})?")  # 4路, 2块, 3级: a unit word after the number
_NOT_A_UNIT = frozenset("万亿千百十余多来几左右上下以约近")  # 3万, 10余, 5左右 are not that number
_SERIAL = re.compile(r"\d{5}(\.\d+)?")
_WHOLE_DECIMAL = re.compile(r"^(-?\d+)\.0+(?=\D|$)")  # 2.0, 3.00人: a whole number shown with decimals
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_THOUSANDS_ONLY = re.compile(r"\d{1,3}(,\d{3})+")  # 15,000 and 1,234,567 — not 1,5 (1.5 or 15?)
_CURRENCY = re.compile(r"^(?:人民币|RMB|¥|￥)\s*", re.I)  # ￥ is NFKC'd to ¥
_DATE_SPACES = re.compile(r"\s*([年月日号./\-])\s*")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
_SHOWN_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+\d{2}", re.I)  # 6.22202E+18: how Excel shows a long number

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DAY_CACHE: list = [0.0, None, None]


def today_and_horizon() -> tuple[dt.date, dt.date]:
    """The business day and the latest date a record may carry, looked up at most once a second
    (a dry run checks tens of thousands of dates)."""
    now = _monotonic()
    if now - _DAY_CACHE[0] > 1.0 or _DAY_CACHE[1] is None:
        from ..bounds import latest_date

        _DAY_CACHE[:] = [now, clock.today(), latest_date()]
    return _DAY_CACHE[1], _DAY_CACHE[2]


def excel_serial(value: Any) -> dt.date | None:
    """An Excel serial day number (a date cell formatted as a number: 43895 is 2020-03-05)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        s = str(value).strip()
        if not _SERIAL.fullmatch(s):
            return None
        value = float(s)
    if 18264 <= value <= 109574:  # 1950-01-01 … 2199-12-31
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    return None


def date(*, not_after_today: bool = True, not_before: dt.date | None = None) -> Callable[[Any], dt.date]:
    """A date cell, an Excel serial number (43895), or text such as 2020-01-02, 2020/1/2, 2020.1.2,
    2020年1月2日 or 20200102 (full-width digits too); from 1949-10-01
    (``not_before``: birth dates pass 1900-01-01) to today or, with ``not_after_today=False``, the
    platform's horizon (``core.bounds``)."""
    from ..bounds import MIN_DATE

    floor = MIN_DATE if not_before is None else not_before

    def parse(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            d = value.date()
        elif isinstance(value, dt.date):
            d = value
        elif (serial := excel_serial(value)) is not None:
            d = serial
        else:
            s = _DATE_SPACES.sub(r"\1", _cell_text(value)).split(" ")[0].split("T")[0]  # 2020 年 5 月 3 日
            d = None
            for pattern in _DATE_PATTERNS:
                m = pattern.match(s)
                if m:
                    try:
                        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
                    except ValueError:
                        raise ValidationError("不是有效的日期") from None
                    break
            if d is None:
                raise ValidationError("日期格式应为 2020-01-31")
        today, latest = today_and_horizon()
        if not_after_today and d > today:
            raise ValidationError("不能晚于今天")
        if d < floor or d > latest:
            raise ValidationError(f"应在 {floor:%Y-%m-%d} 至 {latest:%Y-%m-%d} 之间")
        return d

    return parse


_TIME = re.compile(r"^(\d{1,2})(?:[:：时点](?:(\d{1,2}|半)分?(?:[:：](\d{1,2})秒?)?)?)?$")  # 9:30, 9时, 9点半
#: The part of the day offices write before a time (上午9:30, 下午3时): whether it is after noon.
_HALF_DAY = {"上午": False, "早上": False, "凌晨": False, "中午": True, "下午": True, "傍晚": True, "晚上": True}


def moment() -> Callable[[Any], dt.datetime]:
    """A date and time in the installation's zone: a date-time cell, an Excel serial number with its
    fraction (44175.5), or text such as 2020-12-10 09:30, 2020/12/10 9:30:15, 2020年12月10日 9时30分,
    2020年12月10日下午3时, 9点半, 2020-12-10T09:30:00+08:00; a date alone is its midnight. Whether it may
    lie in the future is the ledger's rule, not the cell's."""
    from django.utils import timezone

    day = date(not_after_today=False)

    def aware(value: dt.datetime) -> dt.datetime:
        return timezone.make_aware(value) if timezone.is_naive(value) else value

    def parse(value: Any) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return aware(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 18264 <= value <= 109574:
            whole = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            seconds = round((value - int(value)) * 86400)
            return aware(dt.datetime.combine(whole, dt.time()) + dt.timedelta(seconds=seconds))
        s = _cell_text(value)
        if _SERIAL.fullmatch(s):
            return parse(float(s))  # a serial number written as text
        try:
            parsed = dt.datetime.fromisoformat(s)
        except ValueError:
            parsed = None
        if parsed is not None:
            day(parsed.date())  # the same range as a date
            return aware(parsed)
        s = re.sub(r"(日|号)(?=\d|[上下中晚凌早傍])", r"\1 ", s)
        text_day, _sep, clock_text = s.replace("T", " ").partition(" ")
        if not any(p.match(text_day) for p in _DATE_PATTERNS) and excel_serial(text_day) is None:
            raise ValidationError("时间格式应为 2020-01-31 09:30")
        d = day(text_day)
        clock_text = clock_text.strip()
        if not clock_text:
            return aware(dt.datetime.combine(d, dt.time()))
        half = next((h for h in _HALF_DAY if clock_text.startswith(h)), "")
        m = _TIME.match(clock_text.removeprefix(half).strip())
        if not m:
            raise ValidationError("时间格式应为 2020-01-31 09:30")
        hour = int(m[1])
        if half and hour > 12 and not _HALF_DAY[half]:  # 上午15时; 下午15:00 is 15:00 said twice
            raise ValidationError(f"“{clock_text}”不是有效的时间")
        if _HALF_DAY.get(half) and hour < 12 and not (half == "中午" and hour >= 11):
            hour += 12  # 下午3时 is 15:00; 中午12时 and 中午11时半 stay
        try:
            t = dt.time(hour, 30 if m[2] == "半" else int(m[2] or 0), int(m[3] or 0))
        except ValueError:
            raise ValidationError("不是有效的时间") from None
        return aware(dt.datetime.combine(d, t))

    return parse


def choice(
    options: dict[str, Any] | Sequence[tuple[Any, str]], *, synonyms: dict[str, Any] | None = None
) -> Callable[[Any], Any]:
    """One of the given choices, by label or by stored value (``TextChoices.choices`` works), also both
    ("04 冒充公检法"), a zero-padded digit value without its leading zeros (4 for 04: what a number
    cell keeps) and a value in other letter case (HIGH for high). Labels are read in Chinese, whatever
    language is active when the ledger's columns are defined. ``synonyms`` maps other words offices
    write to a label or value (已化解 → 调解成功, 汉 → 汉族)."""
    with in_source_language():
        pairs = list(options.items()) if isinstance(options, dict) else [(str(lbl), v) for v, lbl in options]
        pairs = [(str(label), value) for label, value in pairs]
    mapping: dict[str, Any] = {}
    for label, value in pairs:
        mapping[_cell_text(label)] = value
        mapping[_cell_text(value)] = value
    for word, target in (synonyms or {}).items():
        key = _cell_text(target)
        mapping.setdefault(_cell_text(word), mapping.get(key, target))
    for short, value in _unpadded({_cell_text(v): v for _label, v in pairs}).items():
        mapping.setdefault(short, value)  # 4 for 04: a number cell drops the leading zero
    for short, value in _before_brackets([(_cell_text(label), value) for label, value in pairs]).items():
        mapping.setdefault(short, value)  # 早高峰 for 早高峰(上学): the label without its bracketed note
    for part, value in _label_parts([(_cell_text(label), value) for label, value in pairs]).items():
        mapping.setdefault(part, value)  # 彩钢瓦 for 彩钢瓦、塑料薄膜等异物: one thing the label names
    folded: dict[str, Any] = {}
    for word, value in mapping.items():
        folded.setdefault(word.casefold(), value)  # HIGH, High for high
    by_label = {_cell_text(label): _cell_text(value) for label, value in pairs}
    shown = list(dict.fromkeys(str(label) for label, _value in pairs))
    # a label naming several things (彩钢瓦、塑料薄膜等异物) is quoted: the list says where each one ends
    labels = "".join(f"“{x}”" for x in shown) if any("、" in x for x in shown) else "、".join(shown)

    def parse(value: Any) -> Any:
        s = _cell_text(value)
        if s not in mapping:
            if s.casefold() in folded:
                return folded[s.casefold()]
            parts = s.split(maxsplit=1)  # "04 冒充公检法": a stored value and its label
            if len(parts) == 2 and parts[0] in mapping and by_label.get(parts[1]) == _cell_text(mapping[parts[0]]):
                return mapping[parts[0]]
            close = suggest(s, [label for label, _v in pairs]) if len(pairs) > 12 else []
            if close:
                raise ValidationError(f"“{s}”不是可选值，是不是“{'”“'.join(close)}”？")
            raise ValidationError(f"“{s}”不是可选值（可选：{labels}）")
        return mapping[s]

    parse.options = list(dict.fromkeys(str(label) for label, _value in pairs))  # the template's drop-down
    return parse


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "✔"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "✘"}


def boolean() -> Callable[[Any], bool]:
    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        s = _cell_text(value).lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ValidationError("应填“是”或“否”")

    parse.options = ["是", "否"]
    return parse


#: The names the ID number and phone parsers give their cells in a message (``label=``): the dry run
#: puts the column's own header in their place (``headed``), so a message names its column once.
_LABELS: set[str] = {"公民身份号码", "联系电话"}


def headed(message: str, header: str) -> str:
    """``message`` as shown for a cell of the column ``header``: a parser's own label at its start is
    replaced by the header ("申请人身份证号应为18位…", not "申请人身份证号：身份证号码应为18位…"),
    any other message gets the header in front ("涉及人数：不能小于1")."""
    if not header or message.startswith(header):
        return message
    for label in sorted(_LABELS, key=len, reverse=True):
        if message.startswith(label):
            return header + message[len(label):]
    return f"{header}：{message}"


def id_number(*, label: str = "公民身份号码") -> Callable[[Any], str]:
    """A resident ID number (GB 11643, check digit included); returns the 18-character form. A legacy
    15-digit number's bad birth date names the digits written (第7–12位), not those of its upgrade."""
    _LABELS.add(label)

    def legacy(s: str) -> str:
        try:
            return parse_id_number(s, label=label, today=today_and_horizon()[0]).number
        except ValidationError as exc:
            if getattr(exc, "code", None) == "id_birth_date" and len(re.sub(r"\D", "", s)) == 15:
                raise ValidationError(f"{label}（15位旧号码）第7–12位不是有效的出生日期",
                                      code="id_birth_date") from None
            raise

    def parse(value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, int) and len(str(value)) == 15:
                try:  # a legacy 15-digit number, exact
                    return parse_id_number(str(value), label=label, today=today_and_horizon()[0]).number
                except ValidationError:
                    pass  # not a legacy number: the first 15 digits of an 18-digit one
            # Excel keeps only 15 significant digits of a number: the last digits are already lost.
            raise ValidationError(f"{label}：单元格是数值格式，末位已丢失；请把该列设为“文本”后重新填写")
        s = _cell_text(value).lstrip("'‘’`")  # '411081…: typed to keep the number as text
        if _SCIENTIFIC.fullmatch(s):
            raise ValidationError(f"{label}：“{s}”是科学计数法，号码已丢失；请把该列设为“文本”后重新填写")
        return legacy(s)

    return parse


def phone(*, label: str = "联系电话") -> Callable[[Any], str]:
    _LABELS.add(label)

    def parse(value: Any) -> str:
        return validate_phone_number(_cell_text(value), label=label)

    return parse


MASK = "*"
_MASKED_ID = re.compile(r"[0-9]{0,6}\*{4,}[0-9]{0,3}[0-9X]")
_MASKED_PHONE = re.compile(r"[0-9]{0,4}\*{3,}[0-9]{0,4}")


def id_number_or_mask(*, label: str = "公民身份号码") -> Callable[[Any], str]:
    """``id_number``, or a masked number as the ledgers' exports write it (``411***********123X``), kept
    as a marker: the ledger accepts it only on a row that is a record already registered (its
    ``find_existing``), so that its own export imports again; a new row needs the full number."""
    full = id_number(label=label)

    def parse(value: Any) -> str:
        if isinstance(value, str) and MASK in value:
            masked = _cell_text(value).upper()
            if _MASKED_ID.fullmatch(masked):
                return masked
        return full(value)

    return parse


def set_aside_masks(values: dict[str, Any], fields) -> None:
    """Move each masked number of ``fields`` (a marker from ``id_number_or_mask``/``phone_or_mask``) to
    ``masked_<field>``, leaving the field empty: not a number to check or store. The ledger's
    ``find_existing`` then accepts it on a registered record and refuses it on a new one."""
    for f in fields:
        if MASK in str(values.get(f) or ""):
            values[f"masked_{f}"], values[f] = values[f], None


def phone_or_mask(*, label: str = "联系电话") -> Callable[[Any], str]:
    """``phone``, or a masked one as exports write it (``138****5678``): a marker, as above."""
    full = phone(label=label)

    def parse(value: Any) -> str:
        if isinstance(value, str) and MASK in value:
            masked = _cell_text(value)
            if _MASKED_PHONE.fullmatch(masked):
                return masked
        return full(value)

    return parse




def _before_brackets(pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    """Values by the part of their label before a bracket (早高峰 for 早高峰(上学)); a part two labels
    with different values share is left out."""
    out: dict[str, Any] = {}
    shared: set[str] = set()
    for label, value in pairs:
        short = label.split("(", 1)[0].strip()
        if not short or short == label:
            continue
        if short in out and out[short] != value:
            shared.add(short)
        out[short] = value
    return {k: v for k, v in out.items() if k not in shared}


def _label_parts(pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    """Values by each thing a label lists (彩钢瓦 and 塑料薄膜 for 彩钢瓦、塑料薄膜等异物; 欺凌 and 打架斗殴 for
    欺凌、打架斗殴); a part two labels with different values share is left out."""
    out: dict[str, Any] = {}
    shared: set[str] = set()
    for label, value in pairs:
        parts = [x.strip() for x in re.split(r"[、/／]", label) if x.strip()]
        if len(parts) < 2:
            continue
        if "等" in parts[-1]:  # 塑料薄膜等异物: 塑料薄膜
            parts.append(parts[-1].split("等", 1)[0])
        for part in parts:
            if len(part) < 2:
                continue
            if part in out and out[part] != value:
                shared.add(part)
            out[part] = value
    return {k: v for k, v in out.items() if k not in shared}


def _unpadded(table: dict[str, Any]) -> dict[str, Any]:
    """``table``'s values by the digits a number cell keeps of a zero-padded digit key (4 for 04, 902
    for 0902); a short form two keys share (1 for 01 and 001), or one that is a key itself, is left out."""
    out: dict[str, Any] = {}
    shared: set[str] = set()
    for key, value in table.items():
        if len(key) > 1 and key.isascii() and key.isdigit() and key[0] == "0":
            short = key.lstrip("0") or "0"
            if short in out:
                shared.add(short)
            out[short] = value
    return {k: v for k, v in out.items() if k not in shared and k not in table}


def suggest(word: str, candidates, *, n: int = 3) -> list[str]:
    """The closest names to ``word`` (for "did you mean" in an error)."""
    names = [str(c) for c in candidates]
    close = difflib.get_close_matches(word, names, n=n, cutoff=0.4)
    if len(close) < n:
        close += [c for c in names if c not in close and word and (word in c or c in word)][: n - len(close)]
    return close


def _unknown(s: str, names, what: str, examples: str) -> ValidationError:
    """"“s”不是<what>" with the closest names ("did you mean"), else the examples."""
    close = suggest(s, names)
    hint = f"，是不是“{'”“'.join(close)}”？" if close else examples
    return ValidationError(f"“{s}”不是{what}{hint}")


def code(codes: dict[str, str], *, what: str, by_name: dict[str, str] | None = None, suffixes: tuple[str, ...] = (),
         examples: str = "") -> Callable[[Any], str]:
    """A code of a code table (``codes``: code → name) by its code (the cell's first word: "04 环境卫生"),
    its name, its name without one of ``suffixes`` ("治安隐患类"), or a synonym in ``by_name`` (name →
    code; default the names); else an error naming ``what`` with the closest names ("did you mean")."""
    by_name = {name: c for c, name in codes.items()} if by_name is None else by_name
    unpadded = _unpadded({c: c for c in codes})

    def parse(value: Any) -> str:
        s = _cell_text(value)
        first = s.split()[0] if s else ""
        if first in codes:
            return first
        if first in unpadded:  # 4 for 04, 902 for 0902: a number cell drops the leading zero
            return unpadded[first]
        for name in (s, *(s.removesuffix(suffix) for suffix in suffixes)):
            if name in by_name:
                return by_name[name]
        raise _unknown(s, by_name, what, f"（如 {examples}）" if examples else "")

    return parse


def lookup(table: dict[str, Any], *, what: str, examples: str = "") -> Callable[[Any], Any]:
    """A value by name through a synonym table (name → value, e.g. 邻里纠纷 → 0202); an unknown name
    is an error with the closest names ("did you mean")."""
    table = {_cell_text(k): v for k, v in table.items()}

    def parse(value: Any) -> Any:
        s = _cell_text(value)
        if s in table:
            return table[s]
        raise _unknown(s, table, f"可识别的{what}", f"（如{examples}）" if examples else "")

    return parse
