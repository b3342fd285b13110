"""What a ledger's columns are called and what their names say of their cells: the place columns' other
names, the variants of a header offices write (…日期 / …时间, 是否…), sum columns in 元 or 万元 (a file's
涉案金额(万元) for a column kept in 元: read and converted, said in a note), and the answers a yes/no
column's name invites (是否办结: 已办结 / 未办结; 警示牌是否完好: 完好 / 不完好)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from . import header as hdr
from .parsers import MONEY_UNITS, _cell_text

if TYPE_CHECKING:
    from .base import Ledger
    from .model import Column, DryRun

#: The place columns' other names, for every ledger with a ``township`` / ``village`` / ``grid``
#: field (compared as header names are: without spaces, colons and ``/``; brackets are kept).
PLACE_SYNONYMS = {
    "township": ("乡镇", "街道", "乡镇(街道)", "乡(镇)", "乡(镇、街道)", "乡镇(街道办)", "乡镇街道", "所属乡镇",
                 "所在乡镇", "所属乡镇(街道)", "所在乡镇(街道)", "乡镇名称", "乡镇(街道)名称"),
    "village": ("村(社区)", "村", "社区", "村居", "村(居)", "村(居)委会", "村委会", "村(社区)名称", "所属村(社区)",
                "所在村(社区)", "所在村", "所属村", "所在社区", "所属社区", "所在村居", "行政村", "村(社区)委员会"),
    "grid": ("网格", "所属网格", "所在网格", "网格名称"),
}


def variants(name: str, *, yes_no: bool = False) -> set[str]:
    """Other ways a header is written that mean the same column: 发现日期 / 发现时间, 巡查人 / 巡查人员;
    for a yes/no column 死亡 / 是否死亡, 已处置 / 是否处置, 警示牌完好 / 警示牌是否完好."""
    out = set()
    for a, b in (("日期", "时间"), ("时间", "日期")):
        if name.endswith(a) and len(name) > len(a):
            out.add(name[: -len(a)] + b)
    if name.endswith("人") and len(name) > 2:
        out.add(name + "员")
    elif name.endswith("人员") and len(name) > 3:
        out.add(name[:-1])
    if yes_no and name.startswith("是否"):
        out.add(name[2:])
    elif yes_no:
        out.add("是否" + name)
        if name.startswith("已") and len(name) > 2:
            out.add("是否" + name[1:])
        # 是否 inside: the thing, then what is asked of it
        out |= {name[:i] + "是否" + name[i:] for i in range(2, len(name) - 1)}
    return {v for v in out if len(v) >= 2}


def money_unit(label: str) -> str | None:
    """The money unit a header names in its brackets: 元 for 涉及金额(元), 万元 for 涉案金额（万元）."""
    found = [u for u in hdr._units(hdr.normalize_header(label)) if u in MONEY_UNITS]
    return found[0] if len(found) == 1 else None


def in_wan(name: str) -> str:
    """A sum column's name with its unit in 万元: 涉及金额(元) and 涉及金额 give 涉及金额(万元)."""
    return name.removesuffix("(元)") + "(万元)"


def column_parser(col: Column, parse: Callable[[Any], Any], label: str) -> Callable[[Any], Any]:
    """``parse`` for the file's column ``label``: a sum column (``parsers.decimal``) reads a bare number
    in the unit the file's header names (涉案金额(万元)) and gives it in the column's own (涉及金额(元));
    a yes/no column (``parsers.boolean``) also takes the answers its names invite (``yes_no``)."""
    if hasattr(parse, "in_units"):
        return parse.in_units(money_unit(col.header), money_unit(label) or money_unit(col.header))
    if getattr(parse, "options", None) == ["是", "否"]:
        words = predicates([col.header, *col.aliases, label])
        return yes_no(parse, words) if words else parse
    return parse


_YES = ("", "已", "均", "都")
_NO = ("不", "未", "没", "没有", "尚未", "均未", "都不")


def predicates(names: Iterable[str]) -> set[str]:
    """What a yes/no column asks: 办结 of 是否办结, 完好 of 警示牌是否完好, 处置 of 已处置 (its brackets left out)."""
    out = set()
    for name in names:
        n = re.sub(r"\([^)]*\)", "", hdr.normalize_header(name))
        if "是否" in n:
            out.add(n.split("是否", 1)[1])
        elif n.startswith("已"):
            out.add(n[1:])
    return {w for w in out if len(w) >= 2}


def yes_no(parse: Callable[[Any], bool], words: set[str]) -> Callable[[Any], bool]:
    """``parse`` (是/否, √/×) that also takes the column's own answer: 办结 / 已办结 for yes, 未办结 / 不完好 /
    没有处置 for no. Anything else is refused as ``parse`` refuses it."""
    answers = {prefix + w: True for w in words for prefix in _YES}
    answers.update({prefix + w: False for w in words for prefix in _NO})

    def parse_answer(value: Any) -> bool:
        try:
            return parse(value)
        except ValidationError:
            s = re.sub(r"\s", "", _cell_text(value))
            if s in answers:
                return answers[s]
            raise

    parse_answer.options = parse.options  # type: ignore[attr-defined]
    return parse_answer


def unit_notes(ledger: Ledger, report: DryRun) -> list[str]:
    """A note for each sum column the file keeps in another unit than the ledger: what was converted."""
    out = []
    for col in ledger.columns:
        idx = report.mapping.get(col.field)
        parse = col.parse if callable(col.parse) else getattr(ledger, col.parse, None)
        if idx is None or idx >= len(report.file_columns) or not hasattr(parse, "in_units"):
            continue
        own, written = money_unit(col.header), money_unit(report.file_columns[idx])
        if own and written and own != written:
            out.append(f"“{hdr.normalize_header(report.file_columns[idx])}”一列以{written}为单位，已换算为"
                       f"“{col.header}”；写明单位的数（如 3000元、1.5万元）按所写的单位换算")
    return out


def name_key(name: str) -> str:
    """A record's name as a cell naming it is compared with it: without spaces, in half-width forms
    (古城第１小学 is 古城第1小学, 张某（恶势力）犯罪集团 is 张某(恶势力)犯罪集团 — the form kept what was
    typed, the sheet what Excel shows)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(name))).casefold()
