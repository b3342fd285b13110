"""The records of a ledger run: columns, row errors, rows, the dry-run report, the import result."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .header import normalize_header
from .parsers import text

# --- declarations -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header, the key its value is stored under, and how to parse a cell.

    ``parse`` is a callable ``(cell) -> value`` or the name of a method of the ledger. ``export``
    is a callable ``(obj) -> value`` or an attribute path (default: ``field``); protected values are
    masked on export unless revealed.
    """

    header: str
    field: str
    parse: Callable[[Any], Any] | str = field(default_factory=text)
    required: bool = False
    aliases: tuple[str, ...] = ()
    default: Any = None
    export: Callable[[Any], Any] | str | None = None
    width: int = 16
    help: str = ""
    #: Values offered in the template's drop-down list (a validation list), e.g. a choice's labels.
    options: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {normalize_header(self.header), *(normalize_header(a) for a in self.aliases)}


class SheetRow(int):
    """The number of a row of a ledger read from several sheets of one workbook (one per village,
    one per month): as a number it is unique across the sheets (the sheet's place × 10,000,000 + its
    row), so rows of different sheets never collide as keys and sort sheet by sheet; shown (``str``,
    f-strings, templates) it is the sheet's own row number, and ``where`` names the sheet too."""

    SPAN = 10_000_000
    sheet: str
    line: int

    def __new__(cls, sheet: str, line: int, part: int) -> SheetRow:
        obj = super().__new__(cls, part * cls.SPAN + line)
        obj.sheet, obj.line = sheet, line
        return obj

    def __reduce__(self):
        return SheetRow, (self.sheet, self.line, int(self) // self.SPAN)

    def __str__(self) -> str:
        return str(self.line)

    def __format__(self, spec: str) -> str:
        return format(self.line, spec)

    def __repr__(self) -> str:
        return f"SheetRow({self.sheet!r}, {self.line})"


def where(row: int) -> str:
    """第5行, or 工作表“古城村”第5行 for a row of a workbook read sheet by sheet."""
    if isinstance(row, SheetRow):
        return f"工作表“{row.sheet}”第{row.line}行"
    return f"第{row}行"


def row_value(row: int) -> int | str:
    """A row number for JSON (an audit entry): the number, or 古城村!5 for a row of one of several sheets."""
    return f"{row.sheet}!{row.line}" if isinstance(row, SheetRow) else int(row)


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header row counts)
    column: str  # the column header ("" for the whole row or the file)
    field: str
    message: str
    value: Any = ""  # the cell as the file has it ("" when the error is not about one cell)

    def as_dict(self) -> dict[str, Any]:
        return {"row": int(getattr(self.row, "line", self.row)), "sheet": self.sheet, "column": self.column,
                "field": self.field, "value": self.shown, "message": self.message}

    @property
    def sheet(self) -> str:
        """The sheet of the row, when the ledger was read from several sheets; else ""."""
        return getattr(self.row, "sheet", "")

    @property
    def shown(self) -> str:
        """The cell as shown on screen, in lists and in JSON: a run of digits as long as an ID number
        or a phone number is masked (the report is not a place to copy personal numbers from)."""
        return mask_numbers(self.value)


_LONG_NUMBER = re.compile(r"\d{10,}[Xx]?")


def mask_numbers(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = f"{value:.0f}"
    s = str(value)

    def mask(m: re.Match) -> str:
        t = m.group(0)
        return t[:3] + "*" * (len(t) - 5) + t[-2:]

    return _LONG_NUMBER.sub(mask, s)


@dataclass
class LedgerRow:
    row: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    #: Set by ``Ledger.find_existing``: the row is a record already registered (skipped on import).
    existing: bool = False
    #: Things the user should see before importing that do not stop the row (e.g. one ID number
    #: under two names); ``RowError`` records, shown apart from the errors.
    warnings: list[RowError] = field(default_factory=list)
    #: The cells as read, by field (for the error's ``value`` and the mapping step's samples).
    raw: dict[str, Any] = field(default_factory=dict)
    #: Set by ``Ledger.find_existing`` on a row that is a record already registered, when the file says
    #: something new about it that the ledger may bring up to date (a suspect's 诉讼状态 moved on): the
    #: fields and their new values; ``existing_key`` names the record (the ledger's own, e.g. pk and version).
    changes: dict[str, Any] = field(default_factory=dict)
    existing_key: Any = None
    #: What will change, for the person confirming (“诉讼状态：已抓获 → 已判决”).
    change_note: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_new(self) -> bool:
        """Valid and not already registered: what an import would create."""
        return self.ok and not self.existing


@dataclass
class DryRun:
    ledger: str
    rows: list[LedgerRow]
    file_errors: list[RowError]
    sha256: str
    columns_found: list[str] = field(default_factory=list)
    columns_ignored: list[str] = field(default_factory=list)
    #: How the file was read: format ("xlsx", "xls", "csv"), text encoding of a CSV.
    format: str = ""
    encoding: str = ""
    #: The header band (spreadsheet row numbers, inclusive) and the title lines above it.
    header_rows: tuple[int, int] = (0, 0)
    title_lines: list[str] = field(default_factory=list)
    #: The file's columns: index → label (a two-row header joined as "当事人基本情况/姓名").
    file_columns: list[str] = field(default_factory=list)
    #: field → column index used; how each field was matched ("name", "synonym", "remembered", "confirmed").
    mapping: dict[str, int] = field(default_factory=dict)
    matched_by: dict[str, str] = field(default_factory=dict)
    #: A few values of each file column, for the mapping step.
    samples: dict[int, list[str]] = field(default_factory=dict)
    #: The file's layout (its header labels), which a confirmed mapping is remembered under.
    layout: str = ""
    #: True when required fields were not found: the user must say which column is which.
    needs_mapping: bool = False
    #: What the user should know about the file that is no row's error (rows of totals and notes
    #: under the table that were read past), in Chinese.
    notes: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[RowError]:
        out: list[RowError] = []
        for r in self.rows:
            out.extend(r.warnings)
        return out

    def mapping_rows(self, ledger) -> list[dict[str, Any]]:
        """The mapping step: every file column with its samples and the field it is mapped to."""
        by_index = {idx: f for f, idx in self.mapping.items()}
        return [
            {"index": i, "label": label, "samples": self.samples.get(i, []), "field": by_index.get(i, ""),
             "matched_by": self.matched_by.get(by_index.get(i, ""), "")}
            for i, label in enumerate(self.file_columns)
            if label or self.samples.get(i)
        ]

    def as_dict(self, *, limit: int | None = None) -> dict[str, Any]:
        errors = [e.as_dict() for e in self.errors]
        return {
            "ledger": self.ledger,
            "format": self.format,
            "encoding": self.encoding,
            "header_rows": list(self.header_rows),
            "title": self.title_lines,
            "mapping": {f: {"column": self.file_columns[i] if i < len(self.file_columns) else "", "index": i,
                            "by": self.matched_by.get(f, "")} for f, i in self.mapping.items()},
            "needs_mapping": self.needs_mapping,
            "columns_ignored": self.columns_ignored,
            "notes": self.notes,
            "rows": self.total,
            "new": self.new_count,
            "existing": self.unchanged_count,
            "changed": self.changed_count,
            "invalid": self.invalid_count,
            "errors": errors[:limit] if limit else errors,
            "warnings": [w.as_dict() for w in self.warnings],
        }

    @property
    def errors(self) -> list[RowError]:
        out = list(self.file_errors)
        for r in self.rows:
            out.extend(r.errors)
        return out

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def valid_rows(self) -> list[LedgerRow]:
        return [r for r in self.rows if r.ok] if not self.file_errors else []

    @property
    def valid_count(self) -> int:
        return len(self.valid_rows)

    @property
    def new_rows(self) -> list[LedgerRow]:
        """Valid rows that are not already registered: what an import creates."""
        return [r for r in self.valid_rows if not r.existing]

    @property
    def new_count(self) -> int:
        return len(self.new_rows)

    @property
    def existing_rows(self) -> list[LedgerRow]:
        """Valid rows recognised as records already registered: skipped, not imported again."""
        return [r for r in self.valid_rows if r.existing]

    @property
    def existing_count(self) -> int:
        return len(self.existing_rows)

    @property
    def changed_rows(self) -> list[LedgerRow]:
        """Rows of records already registered that the import brings up to date (``LedgerRow.changes``)."""
        return [r for r in self.existing_rows if r.changes]

    @property
    def changed_count(self) -> int:
        return len(self.changed_rows)

    @property
    def unchanged_count(self) -> int:
        """Rows of records already registered that say nothing new: skipped."""
        return self.existing_count - self.changed_count

    @property
    def invalid_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    @property
    def fingerprint(self) -> str:
        """What the user confirms: the file, every error and which rows would be imported."""
        payload = [
            self.ledger,
            self.sha256,
            [e.as_dict() for e in self.errors],
            [r.row for r in self.valid_rows],
            [r.row for r in self.existing_rows],
            [[r.row, sorted(r.changes)] for r in self.changed_rows],
            sorted(self.mapping.items()),
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    mode: str
    imported: int
    skipped_rows: tuple[int, ...]  # rows with errors
    refused: bool
    message: str
    existing_rows: tuple[int, ...] = ()  # rows already registered, not imported again
    updated_rows: tuple[int, ...] = ()  # rows of records already registered, brought up to date


class LedgerImportError(Exception):
    """The import was refused or failed; nothing was written. ``message`` is for the user."""

    def __init__(self, message: str, errors: Sequence[RowError] = ()):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)
