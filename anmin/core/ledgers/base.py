"""``Ledger``: a ledger declaration, its dry run and its import (export and templates: ``export.py``)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .. import audit
from ..errors import ActionError
from ..i18n import in_source_language
from . import files, sections, sheets
from . import header as hdr
from .export import ExportMixin, xlsx_response  # noqa: F401  (xlsx_response re-exported)
from .model import (
    Column,
    DryRun,
    ImportResult,
    LedgerImportError,
    LedgerRow,
    RowError,
    SheetRow,
    mask_numbers,
    row_value,
    where,
)
from .names import PLACE_SYNONYMS, column_parser, in_wan, money_unit, unit_notes, variants
from .parsers import headed

ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
MODES = {ALL_OR_NOTHING: "全部导入（有任何错误则一行也不导入）", VALID_ONLY: "只导入无误的行（跳过有错误的行）"}

#: Every declared ledger by its key (``disputes.ledger``), for the command line and the registry pages.
LEDGERS: dict[str, type[Ledger]] = {}

Progress = Callable[[str, int, int], None]  # (phase "check" / "import", done, total)


def all_ledgers() -> dict[str, type[Ledger]]:
    """Every ledger of every installed app (each app's ``importers`` module is imported once)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("importers")
    return dict(LEDGERS)


def find_ledger(kind: str) -> type[Ledger]:
    """A ledger by its key (``disputes.ledger``), its app when the app has one (``disputes``) or the
    part after the dot (``residents``); ``LookupError`` with the choices otherwise."""
    found = all_ledgers()
    if kind in found:
        return found[kind]
    matches = [k for k in found if k.split(".")[0] == kind] or [k for k in found if k.split(".", 1)[-1] == kind]
    if len(matches) == 1:
        return found[matches[0]]
    choices = "、".join(sorted(found))
    if matches:
        raise LookupError(f"“{kind}”对应多个台账：{'、'.join(sorted(matches))}")
    raise LookupError(f"没有名为“{kind}”的台账（可选：{choices}）")


@cache
def _synonym_file(path: str) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


#: What offices write in a cell that has nothing to say: a slash or a dash (and nothing else).
PLACEHOLDERS = frozenset({"/", "／", "\\", "-", "－", "—", "——", "–", "―", "--", "---", "…", "……"})


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and (not v.strip() or v.strip() in PLACEHOLDERS))


#: A formula cell the file keeps no result for (written by a program, never opened and saved in Excel):
#: its value is unknown, and formulas are never evaluated here.
FORMULA_UNSAVED = "单元格是公式，但文件里没有保存计算结果；请在Excel中打开并保存后再导入（或把公式改为数值）"
#: Headers of a column of row numbers (normalized, without a bracketed part).
SEQUENCE_LABELS = {"序号", "序", "编号序号", "No", "NO", "No.", "行号"}


def _loose_label(label: str) -> str:
    return hdr.normalize_header(label).split("(")[0]


def _numbered_only(cells: Sequence[Any], sequence: set[int]) -> bool:
    """A row whose only content is a number in the 序号 column (or the first column): a row numbered in
    advance and never filled in, skipped like an empty row."""
    found = None
    for i, v in enumerate(cells):
        if _empty(v):
            continue
        if found is not None or i not in sequence:
            return False
        found = v
    if isinstance(found, bool):
        return False
    if isinstance(found, int | float):
        return True
    return isinstance(found, str) and found.strip().rstrip(".、").isdigit()


def _sequence_columns(labels: Sequence[str], *, first_is_whole: bool = False) -> set[int]:
    """The 序号 columns (and the first, unless the first column alone makes a whole record — every required
    field is read from it, as in a list of numbers in one column: data, not numbers left unfilled): where
    a row numbered in advance holds its number."""
    first = set() if first_is_whole else {0}
    return first | {i for i, lab in enumerate(labels) if _loose_label(hdr.normalize_header(lab)) in SEQUENCE_LABELS}


def _filled_row(cells: Sequence[Any], fill: dict[str, str] | None, mapping: dict[str, int]) -> Sequence[Any]:
    """``cells`` with the place cells a heading or the sheet's name fills (``sections``)."""
    if not fill:
        return cells
    out = list(cells)
    for f, value in fill.items():
        idx = mapping[f]
        out += [None] * (idx + 1 - len(out))
        out[idx] = value
    return out


def _fill_merged_down(rows: list[Any], merged: Sequence, *, below: int) -> list[Any]:
    """A cell merged down over several rows of the table (乡镇 written once for a block of rows, 户主
    for a household) holds its value on each of those rows that has content of its own; a row with
    nothing but what the merge covers stays a continuation of the row above."""
    spans = [(r0, r1, c0) for (r0, c0), (r1, c1) in merged or () if r0 > below and r1 > r0 and c0 == c1]
    if not spans:
        return rows
    rows = list(rows)
    for r0, r1, c in spans:
        top = rows[r0] if r0 < len(rows) else ()
        value = top[c] if c < len(top) else None
        if _empty(value):
            continue
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            cells = rows[r]
            if not any(not _empty(v) for v in cells):
                continue
            if c >= len(cells) or _empty(cells[c]):
                cells = list(cells) + [None] * (c + 1 - len(cells))
                cells[c] = value
                rows[r] = cells
    return rows


class Ledger(ExportMixin):
    """Base of a ledger declaration (see docs/ledgers.md). One instance serves one run."""

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    model: ClassVar[Any] = None
    columns: ClassVar[tuple[Column, ...]] = ()
    unique: ClassVar[tuple[str | tuple[str, ...], ...]] = ()
    sheet: ClassVar[str | None] = None  # default: the first sheet
    batch_size: ClassVar[int] = 1000
    max_rows: ClassVar[int] = 200_000
    #: Other names offices give the columns, as data: a dict {field: [names]} or the path of a JSON
    #: file holding {ledger key: {field: [names]}} (e.g. ``<app>/data/ledger_headers.json``). A city
    #: adds its own in the file named by ``settings.ANMIN_LEDGER_HEADER_SYNONYMS`` (same shape).
    header_synonyms: ClassVar[dict[str, Sequence[str]] | str | Path | None] = None
    #: (name field, ID number field) pairs naming people: one ID number under two names in one file is
    #: a warning shown before the import.
    person_fields: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.key and cls.columns:
            LEDGERS[cls.key] = cls

    def __init__(self, *, user=None, request=None) -> None:
        self.user = user
        self.request = request
        self.title_lines: list[str] = []  # the file's rows above the header (set by the dry run)
        self.mapped: set[str] = set()  # the fields the file has a column for (set by the dry run)

    # -- hooks the app implements --------------------------------------------------------------------

    def prepare(self) -> None:
        """Called once before parsing (load lookups into attributes); ``self.title_lines`` and
        ``self.mapped`` are already set."""

    def check_row(self, values: dict[str, Any], row: LedgerRow) -> None:
        """Cross-field rules; raise ``ValidationError({field: message})``. Called for every row, also
        one whose other cells failed: a field whose cell failed is absent from ``values``."""

    def find_existing(self, rows: Sequence[LedgerRow]) -> Iterable[RowError]:
        """Rows that clash with what the database holds (e.g. an ID number already registered): yield
        a ``RowError``. A row that *is* a record already registered (a row of an earlier export) is not
        an error: set ``row.existing = True`` and it is counted as 已存在 and skipped by the import — or,
        where the file says something new about it that the ledger may change, set ``row.changes`` (and
        ``row.existing_key``) and the import brings it up to date through ``update_rows``."""
        return ()

    def warn_rows(self, rows: Sequence[LedgerRow]) -> Iterable[RowError]:
        """Warnings the user sees before importing (not errors): yield ``RowError`` records."""
        return ()

    @staticmethod
    def given(values: dict[str, Any], *names: str) -> dict[str, Any]:
        """The named values a row filled in (all of them without names), so that the action's own
        defaults apply to the cells left empty: ``report(actor=self.user, **self.given(r.values, ...))``."""
        return {k: values[k] for k in (names or values) if values.get(k) not in (None, "")}

    def save(self, rows: Sequence[LedgerRow]) -> int:
        """Write a batch of new rows (valid, not already registered) through the app's actions; return
        how many were written."""
        raise NotImplementedError

    # -- columns ----------------------------------------------------------------------------------------

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    def header_of(self, field_name: str) -> str:
        col = self.column(field_name)
        return col.header if col else ""

    def has_column(self, field_name: str) -> bool:
        """Whether the file being checked has a column for ``field_name``."""
        return field_name in self.mapped

    def synonyms(self) -> dict[str, list[str]]:
        """Every other name of each field: the declaration's, its data file's and the city's."""
        out: dict[str, list[str]] = {}
        sources: list[Any] = [self.header_synonyms]
        extra = getattr(settings, "ANMIN_LEDGER_HEADER_SYNONYMS", None)
        if extra:
            sources.append(extra)
        for src in sources:
            if not src:
                continue
            table = src if isinstance(src, dict) else _synonym_file(str(src)).get(self.key, {})
            for f, names in table.items():
                out.setdefault(f, []).extend(names)
        return out

    def accepted_names(self) -> dict[str, set[str]]:
        """Each field's header names: the column's own and aliases, the synonyms, the kit's place
        names (``PLACE_SYNONYMS``) unless another column of the ledger has that name, and each name's
        variants (…日期 / …时间; 是否… for a yes/no column) that no other column answers to."""
        syn = self.synonyms()
        own = {c.field: c.names() | {hdr.normalize_header(n) for n in syn.get(c.field, ())} for c in self.columns}
        taken = {n for names in own.values() for n in names}
        out = {f: set(names) for f, names in own.items()}
        for f, names in PLACE_SYNONYMS.items():
            if f in out:
                out[f] |= {n for n in map(hdr.normalize_header, names)
                           if not any(n in other for g, other in own.items() if g != f)}
        for c in self.columns:
            if c.field in PLACE_SYNONYMS:
                continue
            parse = c.parse if callable(c.parse) else getattr(self, c.parse, None)  # some are set by prepare()
            yes_no = getattr(parse, "options", None) == ["是", "否"]
            for n in own[c.field]:
                out[c.field] |= {v for v in variants(n, yes_no=yes_no) if v not in taken}
            if hasattr(parse, "in_units") and money_unit(c.header) == "元":  # 涉案金额(万元): read, converted
                out[c.field] |= {v for v in map(in_wan, own[c.field]) if v not in taken}
        return out

    def _whole_at_first(self, mapping: dict[str, Any]) -> bool:
        required = [c.field for c in self.columns if c.required]
        return bool(required) and all(mapping.get(f) == 0 for f in required)

    def _parser(self, col: Column) -> Callable[[Any], Any]:
        return getattr(self, col.parse) if isinstance(col.parse, str) else col.parse

    def row_error(self, row: int, col_field: str, message: str, value: Any = "") -> RowError:
        """An error on ``row`` in the column of ``col_field``, its header prefixed to the message."""
        return self._error(row, col_field, message, value)

    def _error(self, row: int, col_field: str, message: str, value: Any = "") -> RowError:
        header = self.header_of(col_field)
        return RowError(row, header, col_field, headed(message, header), value)

    # -- dry run ------------------------------------------------------------------------------------------

    def dry_run(self, data: bytes, *, filename: str = "", mapping: dict[str, int | str] | None = None,
                progress: Progress | None = None) -> DryRun:
        """Parse and check every row; write nothing. ``mapping`` (field → column index or label) is a
        mapping the user confirmed; otherwise the one remembered for this layout, then names. A
        workbook whose sheets each hold part of the ledger (one per village) is read whole
        (``sheets.choose_sheets``): its rows are numbered sheet by sheet (``model.SheetRow``). The
        file is read in the office's language, Chinese, whatever the page's (code names, labels)."""
        with in_source_language():
            return self._dry_run(data, filename=filename, mapping=mapping, progress=progress)

    def _dry_run(self, data: bytes, *, filename: str, mapping: dict[str, int | str] | None,
                 progress: Progress | None) -> DryRun:
        digest = hashlib.sha256(data).hexdigest()
        report = DryRun(self.key, [], [], digest)
        required = [c.field for c in self.columns if c.required]
        wanted = self.accepted_names()

        def band_of(candidate: files.Sheet) -> hdr.Band | None:
            return hdr.find_header(candidate.rows, candidate.merged, wanted, required)

        def score(candidate: files.Sheet, band: hdr.Band | None) -> float:
            """2: the whole required header; 1 + a fraction: some of it; 0.5: a row of column names
            to map by hand; 0: a 封面 or 说明 sheet."""
            if band is None:
                return 0.5 if hdr.widest_text_row(candidate.rows) is not None else 0
            found = sum(1 for f in required if f in band.mapping)
            return 2 if found == len(required) else 1 + (found + len(band.mapping) / 100) / (len(required) + 1)

        try:
            chosen = sheets.choose_sheets(data, filename, name=self.sheet, band_of=band_of, score=score)
        except LedgerImportError as exc:
            report.file_errors.append(RowError(0, "", "", exc.message))
            return report
        sheet = chosen.primary.sheet
        report.format, report.encoding = sheet.format, sheet.encoding
        band = chosen.primary.band or hdr.widest_text_row(sheet.rows)
        if band is None:
            if sheet.format == "csv":
                what = "文件不是有效的 Excel 工作簿（.xlsx、.xls）或 CSV 台账"
            elif sheet.others:
                what = f"工作表“{sheet.name}”中（其他工作表：{'、'.join(sheet.others)}，也没有找到本台账的表头）"
            else:
                what = "文件中"
            report.file_errors.append(RowError(0, "", "", f"{what}：没有找到表头，也没有数据"))
            report.needs_mapping = False
            return report
        report.header_rows = (band.first + 1, band.last + 1)
        report.title_lines = self.title_lines = hdr.title_lines(sheet.rows, band)
        report.file_columns = band.labels
        report.layout = band.layout
        report.mapping, report.matched_by = dict(band.mapping), dict(band.matched_by)
        report.notes.extend(chosen.notes)
        self._apply_mapping(report, mapping)
        parts = self._parts(report, chosen, band)
        report.samples = self._samples(band, parts[0].data_rows)
        virtual = self._sections(report, parts)
        fields = {c.field for c in self.columns}
        known = set(report.mapping.values())
        report.columns_found = [c.header for c in self.columns if c.field in report.mapping or c.field in virtual]
        report.columns_ignored = [label for i, label in enumerate(band.labels) if label and i not in known]
        missing = [c.header for c in self.columns if c.required and c.field not in report.mapping
                   and c.field not in virtual]
        if missing:
            report.needs_mapping = True
            report.file_errors.append(RowError(report.header_rows[1], "", "", (
                f"没有认出这些必填列：{'、'.join(missing)}；请在下面指出文件中哪一列是什么，确认后即按此导入"
                "（同一格式的文件以后会自动识别）")))
            return report
        self.mapped = {f for f in report.mapping if f in fields} | set(virtual)
        self.prepare()
        report.notes.extend(unit_notes(self, report))
        skipped: list[str] = []
        total, done = sum(len(p.data_rows) for p in parts), 0
        for part in parts:
            self._check_rows(report, part, progress, skipped=skipped, counted=(done, total))
            done += len(part.data_rows)
        if progress is not None:
            progress("check", total, total)
        self._check_file(report, skipped)
        if len(parts) > 1:
            read = "、".join(f"“{p.sheet.name}”（{p.rows}行）" for p in parts[:20])
            report.notes.insert(0, f"读取了{len(parts)}个工作表：{read}，一并检查、一并导入；行号按各工作表自己的行号")
        for part in parts:
            sheets.note_hidden_rows(report, part)
        return report

    def _parts(self, report: DryRun, chosen: sheets.Chosen, band: hdr.Band) -> list[sheets.Read]:
        """Each sheet to read: its band, the mapping its rows are read by (the first sheet's, also for
        every sheet of the same layout; its own by names for another) and its data rows numbered."""
        out = []
        several = len(chosen.parts) > 1
        for k, part in enumerate(chosen.parts):
            pband = band if k == 0 or part.band is None else part.band
            same = k == 0 or pband.layout == report.layout
            rows = _fill_merged_down(part.sheet.rows, part.sheet.merged, below=pband.last)
            data_rows = [(SheetRow(part.sheet.name, i + 1, k) if several else i + 1, r)
                         for i, r in enumerate(rows[pband.last + 1 :], start=pband.last + 1)]
            out.append(sheets.Read(part.sheet, pband, dict(report.mapping if same else pband.mapping), data_rows))
        return out

    def _sections(self, report: DryRun, parts: list[sheets.Read]) -> dict[str, int]:
        """Find the heading rows of each sheet and the place cells a heading or the sheet's name fills
        (``sections``); a place field the file has no column for gets an extra column. Returns those
        extra columns (field → index); the notes say what was filled."""
        place_fields = [f for f in sections.PLACE_FIELDS if self.column(f) is not None]
        places = sections.Places()
        width = max(max(len(p.band.labels), max((len(r) for _n, r in p.data_rows), default=0)) for p in parts)
        virtual: dict[str, int] = {}
        for part in parts:
            sequence = _sequence_columns(part.band.labels, first_is_whole=self._whole_at_first(part.mapping))
            named = part.sheet.format != files.CSV and place_fields
            sheet_place = places.find(part.sheet.name) if named else None
            columns = {f: part.mapping.get(f) for f in place_fields}
            found = sections.find_sections(
                part.data_rows, merged=part.sheet.merged, columns=columns, places=places, sheet_place=sheet_place,
                skip=lambda cells, seq=sequence: hdr.is_note_row(cells) or _numbered_only(cells, seq), empty=_empty)
            for fill in found.fills.values():
                for f in fill:
                    if columns[f] is None:
                        virtual.setdefault(f, width + len(virtual))
            part.sections = found
            report.notes.extend(found.notes(sheet_place, part.sheet.name, self.header_of))
        for part in parts:
            for f, idx in virtual.items():
                part.mapping.setdefault(f, idx)
            if part.sections.fills:
                part.data_rows = [(n, _filled_row(cells, part.sections.fills.get(n), part.mapping))
                                  for n, cells in part.data_rows]
        return virtual

    def _apply_mapping(self, report: DryRun, mapping: dict[str, int | str] | None) -> None:
        how = "confirmed"
        if mapping is None:
            from .mappings import remembered

            mapping, how = remembered(self, report.layout), "remembered"
        if not mapping:
            return
        labels = [hdr.normalize_header(label) for label in report.file_columns]
        fields = {c.field for c in self.columns}
        for f, target in mapping.items():
            if f not in fields:
                continue
            if target in (None, "", -1):
                report.mapping.pop(f, None)
                report.matched_by.pop(f, None)
                continue
            if isinstance(target, str) and not target.lstrip("-").isdigit():
                norm = hdr.normalize_header(target)
                idx = next((i for i, n in enumerate(labels) if n == norm), None)
                if idx is None:
                    continue
            else:
                idx = int(target)
            if not 0 <= idx < max(len(report.file_columns), 1):
                continue
            for other, i in list(report.mapping.items()):  # a column holds one field
                if i == idx and other != f:
                    report.mapping.pop(other)
                    report.matched_by.pop(other, None)
            report.mapping[f] = idx
            report.matched_by[f] = how

    @staticmethod
    def _samples(band: hdr.Band, data_rows: list[tuple[int, list[Any]]], n: int = 3) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for _number, cells in data_rows[:50]:
            for i, v in enumerate(cells):
                if not _empty(v) and len(out.setdefault(i, [])) < n:
                    out[i].append(mask_numbers(v)[:30])
        return out

    def _check_rows(self, report: DryRun, part: sheets.Read, progress: Progress | None, *,
                    skipped: list[str], counted: tuple[int, int]) -> None:
        """Parse and check the rows of one sheet into ``report.rows`` (the rows read past, in ``skipped``)."""
        plan = []
        for col in self.columns:
            idx = part.mapping.get(col.field)
            label = part.band.labels[idx] if idx is not None and idx < len(part.band.labels) else ""
            plan.append((col, idx, column_parser(col, self._parser(col), label)))
        headers = {c.field: c.header for c in self.columns}
        header_labels = [hdr.normalize_header(x) for x in part.band.labels]
        # the header repeated (a ledger pasted from several sheets) shows in its first labelled column
        probe = next(((i, lab) for i, lab in enumerate(header_labels) if lab), None)
        # a row pre-numbered but left empty holds only its number, in the 序号 column or the first one
        sequence = _sequence_columns(part.band.labels, first_is_whole=self._whole_at_first(part.mapping))
        formulas = part.sheet.formulas
        headings = part.sections.headings if part.sections is not None else {}
        max_rows = min(self.max_rows, files.limit("MAX_ROWS", 200_000))
        before, total = counted
        for done, (number, cells) in enumerate(part.data_rows, start=before + 1):
            if progress is not None and done % 1000 == 0:
                progress("check", done, total)
            if number in headings:
                continue  # named in the notes (sections)
            if hdr.is_note_row(cells) or _numbered_only(cells, sequence):
                if any(isinstance(v, str) and v.strip() for v in cells):  # not an empty or numbered-only row
                    first = next(v for v in cells if isinstance(v, str) and v.strip())
                    what = (hdr.normalize_header(first) if hdr.is_total_label(first) else first.split()[0])[:12]
                    skipped.append(f"{where(number)}（{what}）")
                continue
            if probe is not None and probe[0] < len(cells) and isinstance(cells[probe[0]], str) \
                    and hdr.normalize_header(cells[probe[0]]) == probe[1]:
                continue
            if len(report.rows) >= max_rows:
                if not report.file_errors:
                    report.file_errors.append(RowError(number, "", "", f"台账超过{max_rows}行，请分批导入"))
                break
            line = getattr(number, "line", number)
            row = LedgerRow(number, {})
            failed: set[str] = set()
            for col, idx, parse in plan:
                raw = cells[idx] if idx is not None and idx < len(cells) else None
                if _empty(raw) and (line - 1, idx) in formulas:
                    row.errors.append(RowError(number, col.header, col.field, f"{col.header}：{FORMULA_UNSAVED}", ""))
                    failed.add(col.field)
                    continue
                if _empty(raw):
                    if col.required:
                        row.errors.append(RowError(number, col.header, col.field, f"{col.header}：必填", ""))
                        failed.add(col.field)
                    row.values[col.field] = col.default
                    continue
                row.raw[col.field] = raw
                try:
                    row.values[col.field] = parse(raw)
                except ValidationError as exc:
                    msg = "；".join(exc.messages)
                    h = headers[col.field]
                    row.errors.append(RowError(number, h, col.field, headed(msg, h), raw))
                    failed.add(col.field)
            values = {k: v for k, v in row.values.items() if k not in failed}
            try:
                self.check_row(values, row)
            except ValidationError as exc:
                for e in self._errors_from(number, exc):
                    if e.field not in failed and e not in row.errors:
                        row.errors.append(dataclasses.replace(e, value=row.raw.get(e.field, "")))
            except (KeyError, TypeError, AttributeError):
                if not failed:
                    raise  # a bug in the ledger's rules, not a consequence of a bad cell
            row.values.update({k: v for k, v in values.items() if k not in failed})
            report.rows.append(row)
            part.rows += 1

    def _check_file(self, report: DryRun, skipped: list[str]) -> None:
        """The checks across every row read: repeats, clashes with the database, warnings."""
        if skipped:
            shown = "、".join(skipped[:10]) + (f"等{len(skipped)}行" if len(skipped) > 10 else "")
            report.notes.append(f"{shown}是合计、落款或说明，不是数据行，未导入")
        self._check_unique(report.rows)
        by_row = {r.row: r for r in report.rows}
        for err in self.find_existing(report.rows):
            if err.row in by_row and err not in by_row[err.row].errors:
                r = by_row[err.row]
                r.errors.append(dataclasses.replace(err, value=err.value or r.raw.get(err.field, "")))
        for warn in [*self._person_warnings(report.rows), *self.warn_rows(report.rows)]:
            if warn.row in by_row:
                by_row[warn.row].warnings.append(warn)
        order = {c.field: i for i, c in enumerate(self.columns)}
        for r in report.rows:
            r.errors.sort(key=lambda e: order.get(e.field, len(order)))

    def _person_warnings(self, rows: Sequence[LedgerRow]) -> Iterable[RowError]:
        for name_field, id_field in self.person_fields:
            seen: dict[str, tuple[str, int]] = {}
            for r in rows:
                number, name = r.values.get(id_field), r.values.get(name_field)
                if not number or not name or not isinstance(number, str) or "*" in number \
                        or any(e.field == id_field for e in r.errors):  # already an error (a repeat)
                    continue
                first = seen.setdefault(number, (name, r.row))
                if first[0] != name:
                    yield self._error(r.row, id_field, (
                        f"{self.header_of(id_field)}：与{where(first[1])}相同，但姓名不同（“{first[0]}”与“{name}”），"
                        "请核对是否为同一人"), number)

    def _errors_from(self, number: int, exc: ValidationError) -> list[RowError]:
        if hasattr(exc, "error_dict"):
            return [
                self._error(number, f if f != "__all__" else "", m)
                for f, errs in exc.message_dict.items()
                for m in errs
            ]
        return [RowError(number, "", "", m) for m in exc.messages]

    def _check_unique(self, rows: list[LedgerRow]) -> None:
        for spec in self.unique:
            fields = (spec,) if isinstance(spec, str) else tuple(spec)
            seen: dict[tuple, int] = {}
            for r in rows:
                if any(e.field in fields for e in r.errors):
                    continue
                key = tuple(r.values.get(f) for f in fields)
                if any(v in (None, "") for v in key):
                    continue
                if key in seen:
                    header = "、".join(self.header_of(f) for f in fields)
                    r.errors.append(RowError(r.row, self.header_of(fields[0]), fields[0],
                                             f"{header}：与{where(seen[key])}重复", r.raw.get(fields[0], "")))
                else:
                    seen[key] = r.row

    # -- import ---------------------------------------------------------------------------------------------

    def run_import(self, report: DryRun, *, mode: str, progress: Progress | None = None) -> ImportResult:
        """Import what the dry run found valid, in one transaction, through ``save`` (in Chinese, as
        the dry run read it)."""
        with in_source_language():
            return self._run_import(report, mode=mode, progress=progress)

    def _run_import(self, report: DryRun, *, mode: str, progress: Progress | None) -> ImportResult:
        if mode not in MODES:
            raise ValueError(f"unknown import mode {mode!r}")
        if report.file_errors:
            raise LedgerImportError("台账文件有错误，未导入任何行", report.file_errors)
        bad = report.invalid_count
        if mode == ALL_OR_NOTHING and bad:
            raise LedgerImportError(
                f"台账有{bad}行有错误。按“{MODES[ALL_OR_NOTHING]}”方式，未导入任何行；请改正后重新上传，"
                "或选择只导入无误的行。",
                report.errors,
            )
        rows, changed = report.new_rows, report.changed_rows
        if not rows and not changed:
            if report.existing_count:
                raise LedgerImportError(f"没有需要导入的新增行：{report.existing_count}行已存在，不会重复导入")
            raise LedgerImportError("没有可以导入的行")
        written = 0
        try:
            with transaction.atomic():
                for start in range(0, len(rows), self.batch_size):
                    written += self.save(rows[start : start + self.batch_size])
                    if progress is not None:
                        progress("import", min(start + self.batch_size, len(rows)), len(rows))
                updated = self.update_rows(changed) if changed else 0
                audit.record(
                    actor=self.user,
                    action="import",
                    object_type=self.key,
                    region_code="",
                    after={
                        "ledger": self.title,
                        "mode": mode,
                        "imported": written,
                        "rows": report.total,
                        "skipped_rows": [row_value(r.row) for r in report.rows if not r.ok][:1000],
                        "existing": report.existing_count,
                        "updated": updated,
                        "file_sha256": report.sha256,
                        "mapping": {f: report.file_columns[i] for f, i in report.mapping.items()
                                    if i < len(report.file_columns)},
                    },
                    request=self.request,
                )
        except ValidationError as exc:
            raise LedgerImportError("导入时发现错误，已全部撤销，未导入任何行：" + "；".join(exc.messages)) from None
        except ActionError as exc:  # a record changed by someone between the check and the import
            raise LedgerImportError("导入时发现错误，已全部撤销，未导入任何行：" + exc.message) from None
        skipped = tuple(r.row for r in report.rows if not r.ok)
        existing = tuple(r.row for r in report.existing_rows if not r.changes)
        message = (
            f"已导入{written}行"
            + (f"，更新已登记的{updated}行" if updated else "")
            + (f"，跳过已存在的{len(existing)}行" if existing else "")
            + (f"，跳过有错误的{len(skipped)}行" if skipped else "")
        )
        return ImportResult(mode, written, skipped, False, message, existing, tuple(r.row for r in changed))

    def update_rows(self, rows: Sequence[LedgerRow]) -> int:
        """Bring the records of ``rows`` (already registered; ``LedgerRow.changes``) up to date, inside the
        import's transaction; a ledger whose ``find_existing`` sets changes says how."""
        raise NotImplementedError(f"{type(self).__name__} marks changes but does not update")
