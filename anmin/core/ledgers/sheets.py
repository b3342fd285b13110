"""Which sheets of a workbook hold the ledger: offices keep one sheet per village, per township or per
month (古城村 | 大北村 …, 1月 | 2月 …) in one workbook, each with the same header.

``choose_sheets`` reads every sheet (up to ``files.MAX_SHEETS``) and keeps, in the workbook's order,
each one whose header holds all the ledger's required columns, or has the same layout (header labels)
as the first such sheet; the first one kept decides the layout, the mapping step and the remembered
mapping. Left out, each named in a note: a sheet without the ledger's header (填表说明, 封面), a
hidden sheet, a sheet named as a summary, a void or an example (汇总, 作废, 样表 …) when others hold
the ledger, and a sheet all of whose rows another kept sheet already holds (a 汇总 sheet pasted
together from the others: its rows would be imported twice). The row limit holds across the sheets
kept together. With ``Ledger.sheet`` set, that sheet alone is read, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import files
from . import header as hdr
from .model import LedgerImportError

#: A sheet so named is not part of the ledger when other sheets hold it (a summary of them, a void
#: or deleted record's sheet, a template or an example).
SET_ASIDE_WORDS = ("汇总", "总表", "合计", "统计", "全部", "作废", "删除", "已删", "注销", "销号", "备份", "模板",
                   "样表", "示例", "样例", "填表说明", "说明")


@dataclass
class Part:
    sheet: files.Sheet
    band: hdr.Band | None
    score: float = 0.0


@dataclass
class Chosen:
    parts: list[Part]  # the first decides the layout and the mapping step
    notes: list[str] = field(default_factory=list)

    @property
    def primary(self) -> Part:
        return self.parts[0]


def _content_rows(sheet: files.Sheet) -> int:
    return sum(1 for r in sheet.rows if r)


def set_aside(name: str) -> bool:
    return any(w in name for w in SET_ASIDE_WORDS)


def _row_keys(part: Part) -> set[tuple]:
    """Each data row as the values of the columns the header names (序号 aside), for comparing sheets."""
    band = part.band
    if band is None or not band.mapping:
        return set()
    cols = sorted(band.mapping.items())
    out = set()
    for cells in part.sheet.rows[band.last + 1:]:
        key = tuple((f, _cell_key(cells[i] if i < len(cells) else None)) for f, i in cols)
        if any(v for _f, v in key) and not hdr.is_note_row(list(cells)):
            out.add(key)
    return out


def _cell_key(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _names(sheets: list[str]) -> str:
    return "、".join(f"“{n}”" for n in sheets[:10]) + (f"等{len(sheets)}个" if len(sheets) > 10 else "")


def choose_sheets(data: bytes, filename: str, *, name: str | None,
                  band_of: Callable[[files.Sheet], hdr.Band | None],
                  score: Callable[[files.Sheet, hdr.Band | None], float]) -> Chosen:
    if name:
        sheet = files.read_sheet(data, filename, sheet=name)
        return Chosen([Part(sheet, band_of(sheet))])
    entries: list[Part] = []
    fallback: Part | None = None
    other: list[str] = []  # sheets with content but not the ledger's header
    for sheet in files.iter_sheets(data, filename):
        band = band_of(sheet)
        part = Part(sheet, band, score(sheet, band))
        if band is None:
            if fallback is None or part.score > fallback.score:
                fallback = part
            if sheet.rows:
                other.append(sheet.name)
            continue  # its rows are not kept
        entries.append(part)
    banded = [p for p in entries if p.band is not None]
    if not banded:
        if fallback is None:
            raise LedgerImportError("工作簿中没有工作表")
        return Chosen([fallback])
    full = [p for p in banded if p.score >= 2]
    if full:
        usable = [p for p in full if p.sheet.visible and not set_aside(p.sheet.name)]
        primary = (usable or full)[0]
    else:
        primary = max(banded, key=lambda p: p.score)  # the first of the best
    notes: list[str] = []
    kept = [primary]
    hidden, aside = [], []
    for p in entries:
        if p is primary:
            continue
        if not (p.score >= 2 or p.band.layout == primary.band.layout):
            other.append(p.sheet.name)
        elif not p.sheet.visible:
            hidden.append(p.sheet.name)
        elif set_aside(p.sheet.name) and not set_aside(primary.sheet.name):
            aside.append(p.sheet.name)
        else:
            kept.append(p)
    kept.sort(key=lambda p: p.sheet.index)
    copies = _drop_copies(kept)
    if len(kept) > 1:
        total = sum(_content_rows(p.sheet) for p in kept)
        max_rows = files.limit("MAX_ROWS", 200_000)
        if total > max_rows + 100 * len(kept):
            raise LedgerImportError(f"台账（{len(kept)}个工作表合计）超过{max_rows}行，请分批导入")
    if other:
        notes.append(f"工作表{_names(other)}没有本台账的表头（或缺少必填列），未读取")
    if hidden:
        notes.append(f"工作表{_names(hidden)}是隐藏的工作表，未读取；如也要导入，请在Excel中取消隐藏后重新上传")
    if aside:
        notes.append(f"工作表{_names(aside)}从名称看是汇总、作废、模板或说明用的表，未读取；"
                     "如其中也有要导入的数据，请把它另存为单独的文件再导入")
    if copies:
        notes.append(f"工作表{_names(copies)}的每一行在其他工作表中都有（像是汇总表），未重复读取")
    return Chosen(kept, notes)


def _drop_copies(kept: list[Part]) -> list[str]:
    """Take out of ``kept`` (in place) each sheet all of whose rows the other kept sheets hold: the
    biggest first (a 汇总 of the village sheets goes, the village sheets stay), then a later copy."""
    if len(kept) < 2:
        return []
    keys = {id(p): _row_keys(p) for p in kept}
    dropped = []
    while len(kept) > 1:
        covered = []
        for p in kept:
            mine = keys[id(p)]
            if not mine:
                continue
            others = set().union(*(keys[id(q)] for q in kept if q is not p))
            if mine <= others:
                covered.append(p)
        if not covered:
            break
        worst = max(covered, key=lambda p: (len(keys[id(p)]), p.sheet.index))
        kept.remove(worst)
        dropped.append(worst.sheet.name)
    return dropped


@dataclass
class Read:
    """One sheet as the dry run reads it: the band, the mapping its rows are read by, its data rows
    ((row number, cells)), what ``sections`` found in them and how many rows it gave the report."""

    sheet: files.Sheet
    band: hdr.Band
    mapping: dict[str, int]
    data_rows: list[tuple[int, Any]]
    sections: Any = None
    rows: int = 0


def note_hidden_rows(report, part: Read) -> None:
    """Rows hidden in Excel (by hand, or by a filter showing 本月 only) are part of the ledger the office
    sends: they are read and checked like the others — and the note says so, with how many and which."""
    if not part.sheet.hidden_rows:
        return
    read = {getattr(r.row, "line", r.row) for r in report.rows if getattr(r.row, "sheet", part.sheet.name)
            == part.sheet.name}
    hidden = sorted(n for n in part.sheet.hidden_rows if n in read)
    if not hidden:
        return
    shown = "、".join(f"第{n}行" for n in hidden[:10]) + (f"等{len(hidden)}行" if len(hidden) > 10 else "")
    how = "被筛选隐藏" if part.sheet.filtered else "被隐藏"
    sheet = f"工作表“{part.sheet.name}”中" if part.sheet.name else ""
    report.notes.append(
        f"{sheet}有{len(hidden)}行数据在Excel里{how}（{shown}）：导入的是整张表，这些行也已检查、会一并导入；"
        "如只想导入筛选出的行，请把它们复制到新的工作表后再上传")
