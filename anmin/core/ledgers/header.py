"""Finding the header band of a ledger as offices keep it, and which column is which.

A real ledger has title rows above the header (the city or township, 填报单位（盖章）, 填报时间), a
header over one or two rows with merged cells (当事人基本情况 over 姓名 / 身份证号码 / 联系电话 /
住址; 排查时间 merged down over both rows), sometimes a row of column numbers (1, 2, 3 …) under it,
and notes at the bottom (填表人, 审核人). ``find_header`` tries every band of one or two rows in the
first ``HEADER_SEARCH_ROWS`` rows and keeps the one whose labels match most of the ledger's fields —
by the column's header, its aliases and the synonym list kept as data — so title rows are skipped
whatever they say. A column of a two-row header is known by its lower label, by upper + lower
("当事人基本情况/姓名") and by its upper label when the lower is empty.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

HEADER_SEARCH_ROWS = 15
NOTE_WORDS = ("填表人", "填报人", "审核人", "制表人", "统计人", "负责人", "单位负责人", "分管领导", "主要领导",
              "填表说明", "说明", "注", "备注", "合计", "小计", "总计", "共计", "总数", "填报日期", "填表日期", "报送",
              "制表", "审核", "审批人", "经办人", "联系人", "填报单位", "单位(盖章)", "签字", "盖章")
#: A row of totals: skipped whatever the other cells hold (a 合计 row of a monthly report fills
#: every number column).
TOTAL_WORDS = ("合计", "小计", "总计", "共计", "总数")


_NOTE_STARTS = tuple({w[0] for w in NOTE_WORDS})


def normalize_header(value: Any) -> str:
    s = unicodedata.normalize("NFKC", str(value or ""))
    s = re.sub(r"[\s*＊:：/／]", "", s)
    return s.replace("（", "(").replace("）", ")")


def _loose(name: str) -> str:
    """A header without brackets or what is inside them: 涉及金额(元) → 涉及金额."""
    return re.sub(r"\([^)]*\)", "", name)


# A unit in a header's brackets: 涉及金额(万元) is not 涉及金额(元) — ten thousand times the other.
_UNIT = re.compile(r"\(((?:万|千|百|亿)?(?:元|人|户|次|个|件|起|亩|平方米|公里|千米|米|小时|天|日|岁|%|‰))\)")


def _units(name: str) -> set[str]:
    return set(_UNIT.findall(name))


def _unit_clash(name: str, units: set[str]) -> bool:
    """A file's header whose unit differs from every unit the field's own names give (both named)."""
    own = _units(name)
    return bool(own and units and not own & units)


@dataclass
class Band:
    first: int  # 0-based row index of the band's first row
    last: int  # 0-based, inclusive
    labels: list[str]  # per column: "上/下" for two rows, else the label
    names: list[list[str]]  # per column: the normalized names it is known by, best first
    mapping: dict[str, int] = field(default_factory=dict)
    matched_by: dict[str, str] = field(default_factory=dict)
    #: per column of a two-row band: its upper (group) label when it differs from the lower, else ""
    groups: list[str] = field(default_factory=list)

    @property
    def layout(self) -> str:
        key = "|".join(normalize_header(label) for label in self.labels).rstrip("|")
        return hashlib.sha256(key.encode()).hexdigest()[:24]


def _filled(rows: list[list[Any]], merged: Iterable, last_row: int,
            from_above: set[int] | None = None) -> list[list[Any]]:
    """The first rows with each merged range's value copied into every cell it covers; the rows
    holding a copy of a merged label that starts in a row above are added to ``from_above``."""
    width = max((len(r) for r in rows[: last_row + 1]), default=0)
    grid = [list(r) + [None] * (width - len(r)) for r in rows[: last_row + 1]]
    for (r0, c0), (r1, c1) in merged:
        if r0 > last_row or r0 >= len(grid) or c0 >= width:
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, last_row) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if grid[r][c] in (None, ""):
                    grid[r][c] = value
                    if from_above is not None and r > r0 and _text(value):
                        from_above.add(r)
    return grid


def _text(v: Any) -> str:
    return normalize_header(v) if isinstance(v, str) else ""


def _band(grid: list[list[Any]], first: int, height: int, merged_known: bool) -> Band:
    upper = [_text(v) for v in grid[first]]
    if height == 1:
        labels = [str(v).strip() if isinstance(v, str) else "" for v in grid[first]]
        return Band(first, first, labels, [[u] if u else [] for u in upper])
    lower = [_text(v) for v in grid[first + 1]]
    if not merged_known:  # no merge information (CSV, some .xls): a group label spans the empty cells after it
        carry = ""
        for i, u in enumerate(upper):
            if u:
                carry = u if i + 1 < len(upper) and not upper[i + 1] and lower[i] else ""
            elif carry and lower[i]:
                upper[i] = carry
            else:
                carry = ""
    labels, names, groups = [], [], []
    for u, lo in zip(upper, lower, strict=False):
        if u and lo and u != lo:
            labels.append(f"{u}/{lo}")
            names.append([u + lo, lo, u])
            groups.append(u)
        else:
            one = lo or u
            labels.append(one)
            names.append([one] if one else [])
            groups.append("")
    return Band(first, first + 1, labels, names, groups=groups)


#: Words that name the same thing in a column under a group label (监护人/联系电话 is 监护人电话).
KINDS = tuple(frozenset(k) for k in (
    ("姓名", "名字", "名称"),
    ("身份证号", "身份证号码", "公民身份号码", "身份号码", "身份证", "证件号码", "身份证件号码"),
    ("电话", "联系电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    ("住址", "地址", "家庭住址", "现住址", "居住地址"),
))


def _same_kind(a: str, b: str) -> bool:
    return a == b or any(a in k and b in k for k in KINDS)


def _owners(band: Band, wanted: dict[str, set[str]]) -> dict[int, set[str]]:
    """Columns under a group label that names someone the ledger has a field of that kind for (监护人
    over 联系电话, when the ledger has 监护人电话): such a column belongs to that field only — the
    guardian's phone is never the patient's phone, the respondent's ID number never the applicant's.
    (当事人 over 身份证号 in a ledger whose only 当事人 field is 当事人姓名 stays the ID number's.)"""
    out: dict[int, set[str]] = {}
    for idx, group in enumerate(band.groups):
        if not group:
            continue
        lower = _loose(band.names[idx][1])
        fields = {f for f, names in wanted.items()
                  if any(n != group and n.startswith(group) and _same_kind(_loose(n[len(group):]), lower)
                         for n in names)}
        if fields:  # the group has a field of this column's kind: the column is that one's, or nobody's
            out[idx] = fields
    return out


def match(band: Band, wanted: dict[str, set[str]], required: Iterable[str] = ()) -> tuple[int, int, int]:
    """Map fields to the band's columns; returns (required matched, all matched, matched by a
    two-row name such as 当事人基本情况/姓名)."""
    combined = 0
    used: set[int] = set()
    band.mapping, band.matched_by = {}, {}
    loose = {f: {_loose(n) for n in names} for f, names in wanted.items()}
    units = {f: set().union(*map(_units, names)) if names else set() for f, names in wanted.items()}
    owners = _owners(band, wanted)

    def take(f: str, idx: int, *, by_group: bool) -> None:
        nonlocal combined
        band.mapping[f] = idx
        band.matched_by[f] = "name"
        used.add(idx)
        combined += by_group

    for rank in range(3):  # combined names first, then lower, then upper: the most specific wins
        # a column's own name before one without its brackets: 价值(万元) is the 万元 column's, not
        # the 价值(元) one's that comes first
        for exact in (True, False):
            for f, accepted in wanted.items():
                if f in band.mapping:
                    continue
                for idx, names in enumerate(band.names):
                    if idx in used or len(names) <= rank:
                        continue
                    if rank and idx in owners and f not in owners[idx]:
                        continue  # 监护人/姓名 is not the patient's 姓名
                    n = names[rank]
                    if n in accepted or (not exact and n and _loose(n) in loose[f] and not _unit_clash(n, units[f])):
                        take(f, idx, by_group=rank == 0 and len(names) == 3)
                        break
        if rank == 0:  # 被申请人/身份证号码 for 被申请人身份证号: the group's own field of that kind
            for idx, fields in owners.items():
                free = [f for f in wanted if f in fields and f not in band.mapping]
                if idx not in used and free:
                    take(free[0], idx, by_group=True)
    req = set(required)
    return sum(1 for f in band.mapping if f in req), len(band.mapping), combined


def find_header(rows: list[list[Any]], merged: Iterable, wanted: dict[str, set[str]],
                required: Iterable[str] = (), *, search: int = HEADER_SEARCH_ROWS) -> Band | None:
    """The best header band in the first ``search`` rows, or ``None`` when no row names any field."""
    merged = list(merged or [])
    last = min(search, len(rows)) - 1
    if last < 0:
        return None
    lower_halves: set[int] = set()
    grid = _filled(rows, merged, min(last + 1, len(rows) - 1), lower_halves)
    required = list(required)
    best: tuple[tuple[int, int, int, int], Band] | None = None
    for first in range(last + 1):
        if not any(_text(v) for v in grid[first]):
            continue
        for height in (1, 2):
            if first + height > len(grid):
                continue
            if first in lower_halves or first + height in lower_halves:
                continue  # it would cut a merged header in two: its rows' labels go together
            band = _band(grid, first, height, bool(merged))
            req, total, combined = match(band, wanted, required)
            if total == 0:
                continue
            score = (req, total, combined, -height)
            if best is None or score > best[0]:
                best = (score, band)
    if best is None:
        return None
    band = best[1]
    if band.last + 1 < len(grid) and _is_numbering(grid[band.last + 1]):
        band.last += 1  # the row of column numbers (1, 2, 3 …) some ledgers print under the header
    return band


def widest_text_row(rows: list[list[Any]], *, search: int = HEADER_SEARCH_ROWS) -> Band | None:
    """When no column name is known: the row with the most text cells, for the mapping step."""
    best = None
    for i, row in enumerate(rows[:search]):
        n = sum(1 for v in row if isinstance(v, str) and v.strip())
        if n >= 2 and (best is None or n > best[0]):
            best = (n, i)
    if best is None:
        return None
    return _band([list(r) for r in rows], best[1], 1, True)


def _is_numbering(row: list[Any]) -> bool:
    nums = [v for v in row if v not in (None, "")]
    if len(nums) < 3:
        return False
    try:
        values = [int(str(v).strip()) for v in nums]
    except ValueError:
        return False
    return values == list(range(values[0], values[0] + len(values)))


def is_note_row(cells: list[Any]) -> bool:
    """A row of notes under the table (填表人：…  审核人：…), a total row, or an empty row."""
    first = None
    for v in cells:
        if v is not None and not (isinstance(v, str) and not v.strip()):
            first = v
            break
    if first is None:
        return True
    if not isinstance(first, str):
        return False
    if is_total_label(first) and not any(isinstance(v, str) and _text(v) and not is_total_label(v)
                                         and not _is_count(v) for v in cells[cells.index(first) + 1:]):
        return True  # 合计 (古城镇小计) and numbers (3人, 1,200): not a record
    if not first.lstrip().startswith(_NOTE_STARTS):
        return False
    head = normalize_header(first)
    filled = sum(1 for v in cells if v is not None and not (isinstance(v, str) and not v.strip()))
    return filled <= 4 and any(head.startswith(w) for w in NOTE_WORDS)


def is_total_label(v: Any) -> bool:
    """合计, 小计：, 古城镇小计, 古城镇（小计）: the label of a row of totals."""
    head = re.sub(r"[()]", "", normalize_header(v))
    return head.startswith(TOTAL_WORDS) or (len(head) <= 20 and head.endswith(("小计", "合计", "总计")))


def _is_count(v: Any) -> bool:
    return bool(re.fullmatch(r"(?:¥|人民币)?[\d,.，]+[\u4e00-\u9fff]{0,2}|[-—/／]+", normalize_header(v)))


def title_lines(rows: list[list[Any]], band: Band) -> list[str]:
    out = []
    for row in rows[: band.first]:
        text = " ".join(str(v).strip() for v in row if v not in (None, "") and str(v).strip())
        if text:
            out.append(text)
    return out
