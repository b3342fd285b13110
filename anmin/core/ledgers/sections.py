"""Rows that group a ledger's rows, and the places a sheet's name or such a row gives the rows under it.

Offices group a ledger by village or township: a row holding one text only, often merged across the
table (一、古城村 / （二）无梁镇 / 古城村), above the rows of that place; or one sheet per village or
township, named after it. ``Sections`` finds such heading rows (one text cell, which is merged across
columns, starts with an ordinal — 一、 （二） 3、 第一部分 — or names a place of the city) so that
they are skipped with a note instead of being rows with 必填 errors, and fills a ledger's empty
乡镇(街道) / 村(社区) cells on the rows under a heading, or on a sheet, that names one place of the
city — only when the name is the city's one township or one village (within the township the
sheet or an outer heading names), never over a cell the row fills itself, and always said in a note.
A ledger without such a column in the file gets it as an extra column filled this way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import header as hdr
from .model import where

#: 一、 二. （三） (4) 5、 第一部分 第二组 …: the ordinal a heading starts with.
ORDINAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十百零〇]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百零〇\d]{1,4}\s*[)）]"
    r"|\d{1,3}\s*[、．]|\d{1,3}\.(?!\d)|第[一二三四五六七八九十百\d]{1,4}(?:部分|组|片|类|批|网格)\s*[、:：.．]?)\s*")
TOWNSHIP_ENDINGS = ("镇", "乡", "街道", "办事处")
VILLAGE_ENDINGS = ("村", "社区", "村委会", "居委会", "村民委员会", "居民委员会")
PLACE_FIELDS = ("township", "village")


@dataclass
class Place:
    text: str  # as the sheet or the heading writes it (ordinal and notes taken off)
    values: dict[str, str] = field(default_factory=dict)  # field → name filled: village, township
    township_code: str = ""
    problem: str = ""  # why it fills nothing (several villages of that name)


def place_text(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = ORDINAL.sub("", s, count=1)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"\([^()]*\)$", "", s)  # 古城村(12户)
    return s.rstrip(":：、.")


class Places:
    """Sheet names and heading texts read as places of the city (the region table loaded once)."""

    def __init__(self) -> None:
        self._resolver: Any = None
        self._cache: dict[tuple[str, str], Place | None] = {}

    @property
    def resolver(self):
        if self._resolver is None:
            from anmin.core.regions_io import PlaceResolver

            self._resolver = PlaceResolver()
        return self._resolver

    def find(self, text: str, *, within: str = "") -> Place | None:
        """The township or village ``text`` names (``within``: a township's code narrowing a village
        name), a ``Place`` with a ``problem`` when several villages bear the name, else ``None``."""
        s = place_text(text)
        key = (s, within)
        if key not in self._cache:
            self._cache[key] = self._find(s, within) if 2 <= len(s) <= 20 else None
        return self._cache[key]

    def _find(self, s: str, within: str) -> Place | None:
        r = self.resolver
        if s.endswith(TOWNSHIP_ENDINGS) and s in r.township_by_name:
            code = r.township_by_name[s]
            return Place(s, {"township": r.township_names[code]}, code)
        if not s.endswith(VILLAGE_ENDINGS):
            return None
        from anmin.core.regions_io import short_names

        codes = list(r.villages_by_name.get(s, []))
        for other in () if codes else short_names(s):
            codes = list(r.villages_by_name.get(other, []))
            if codes:
                break
        if within:
            codes = [c for c in codes if c.startswith(within[:9])] or codes
        if not codes:
            return None
        if len(codes) > 1:
            names = "、".join(r._full(c) for c in codes[:6])
            return Place(s, problem=f"有{len(codes)}个同名的村(社区)（{names}）")
        code = codes[0]
        township = code[:9] + "000"
        return Place(s, {"village": r.village_names[code], "township": r.township_names.get(township, "")}, township)


@dataclass
class Heading:
    row: int
    text: str
    place: Place | None
    filled: int = 0  # rows under it whose place it filled
    fields: set[str] = field(default_factory=set)


@dataclass
class Sections:
    """What the pre-pass over one sheet's data rows found: its heading rows and the place cells to fill."""

    headings: dict[int, Heading] = field(default_factory=dict)  # row number → heading
    fills: dict[int, dict[str, str]] = field(default_factory=dict)  # row number → {field: value}
    sheet_filled: int = 0
    sheet_fields: set[str] = field(default_factory=set)

    def notes(self, sheet_place: Place | None, sheet_name: str, header_of: Callable[[str], str]) -> list[str]:
        out = []
        if self.headings:
            shown = [f"{where(h.row)}（{h.text[:16]}）" for h in self.headings.values()]
            out.append("、".join(shown[:10]) + (f"等{len(shown)}行" if len(shown) > 10 else "")
                       + "是分组标题，不是数据行，未导入")
        for h in self.headings.values():
            if h.place is not None and h.place.problem:
                out.append(f"分组标题“{h.text[:16]}”（{where(h.row)}）{h.place.problem}，没有用它填写"
                           f"{header_of('village')}，其下的行请自己填写")
            elif h.filled:
                what = "、".join(f"{header_of(f)}“{h.place.values[f]}”" for f in PLACE_FIELDS if f in h.fields)
                out.append(f"分组标题“{h.text[:16]}”（{where(h.row)}）下有{h.filled}行没有填写地点，已按标题填为{what}")
        if sheet_place is not None and sheet_place.problem:
            out.append(f"工作表名“{sheet_name}”{sheet_place.problem}，没有用它填写{header_of('village')}")
        elif self.sheet_filled and sheet_place is not None:
            what = "、".join(f"{header_of(f)}“{sheet_place.values[f]}”" for f in PLACE_FIELDS
                            if f in self.sheet_fields)
            out.append(f"工作表“{sheet_name}”有{self.sheet_filled}行没有填写地点，已按工作表名填为{what}")
        return out


def _heading_text(cells: Sequence[Any], index: int, spans: set[tuple[int, int]],
                  empty: Callable[[Any], bool]) -> tuple[str, bool] | None:
    """The text of a row holding one text cell only, and whether it looks like a heading by itself
    (merged across columns, or starting with an ordinal)."""
    found = None
    for i, v in enumerate(cells):
        if empty(v):
            continue
        if found is not None:
            return None
        found = (i, v)
    if found is None or not isinstance(found[1], str):
        return None
    text = found[1].strip()
    m = ORDINAL.match(text)
    return text, (index, found[0]) in spans or bool(m and text[m.end():].strip())


def find_sections(data_rows: Sequence[tuple[int, Sequence[Any]]], *, merged: Sequence, columns: dict[str, int | None],
                  places: Places, sheet_place: Place | None, skip: Callable[[Sequence[Any]], bool],
                  empty: Callable[[Any], bool]) -> Sections:
    """Headings among ``data_rows`` ((row number, cells), the row number's ``line`` or itself being the
    spreadsheet's row) and the place cells to fill on the rows under them or on the sheet: ``columns``
    holds each place field the ledger has, with its column in the file or ``None`` (no such column)."""
    out = Sections()
    spans = {(r, c) for (r0, c0), (r1, c1) in merged or () if c1 > c0 for r in range(r0, r1 + 1)
             for c in range(c0, c1 + 1)}
    within = sheet_place.township_code if sheet_place is not None and not sheet_place.problem else ""
    current: Heading | None = None
    for number, cells in data_rows:
        if skip(cells):
            if any(isinstance(v, str) and hdr.is_total_label(v) for v in cells):
                current = None  # 古城村小计 ends 古城村's rows
            continue
        line = getattr(number, "line", number)
        found = _heading_text(cells, line - 1, spans, empty)
        if found is not None:
            text, looks = found
            place = places.find(text, within=(current.place.township_code if current and current.place
                                              and "village" not in current.place.values else "") or within)
            if looks or place is not None:
                current = out.headings[number] = Heading(number, text, place)
                continue
        values: dict[str, tuple[str, Place]] = {}  # field → (name, the place it comes from)
        for source in (sheet_place, current.place if current else None):  # a heading wins over the sheet
            if source is not None and not source.problem:
                for f, v in source.values.items():
                    if v and f in columns:
                        values[f] = (v, source)
        by_heading = {f for f, (_v, src) in values.items() if src is not sheet_place}
        own_village = columns.get("village")
        has_village = own_village is not None and own_village < len(cells) and not empty(cells[own_village])
        fill = {}
        for f, (v, src) in values.items():
            idx = columns[f]
            if idx is not None and idx < len(cells) and not empty(cells[idx]):
                continue  # the row's own place: never overwritten
            if f == "township" and has_village and "village" in src.values:
                continue  # a village of its own, maybe of another township: not the heading's township
            fill[f] = v
        if not fill:
            continue
        out.fills[number] = fill
        if current is not None and by_heading & set(fill):
            current.filled += 1
            current.fields |= by_heading & set(fill)
        if set(fill) - by_heading:
            out.sheet_filled += 1
            out.sheet_fields |= set(fill) - by_heading
    return out
