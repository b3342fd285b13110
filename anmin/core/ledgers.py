"""Excel ledgers (台账): declare the columns once, then import with a dry run that reports every bad
row, import all or only the valid rows as the user chooses, and export the same columns.

Declaring a ledger (in an app's ``importers.py``)::

    from anmin.core import ledgers

    class ResidentLedger(ledgers.Ledger):
        key = "people.residents"                  # unique; names stored uploads and audit entries
        title = "实有人口台账"
        model = Person                            # what the export lists (and the audit names)
        columns = (
            ledgers.Column("姓名", "name", ledgers.text(max_length=64), required=True),
            ledgers.Column("公民身份号码", "id_number", ledgers.id_number(), required=True),
            ledgers.Column("出生日期", "birth_date", ledgers.date(not_before=dt.date(1900, 1, 1))),
            ledgers.Column("所属村(社区)", "village", "parse_village", required=True),  # a method
        )
        unique = ("id_number",)                   # a repeat within the file is an error on the later row

        def prepare(self): ...                    # once per run: load the lookups parsers use
        def check_row(self, values, row): ...     # cross-field rules: raise ValidationError({field: msg})
        def find_existing(self, rows): ...        # duplicates in the database: yield RowError(...);
                                                  # a row that *is* a registered record: row.existing = True
        def save(self, rows) -> int: ...          # the app's actions write; one call per batch

    ledger = ResidentLedger(user=request.user, request=request)
    report = ledger.dry_run(xlsx_bytes)           # DryRun: every RowError(row, column, field, message);
                                                  # new_count / existing_count / invalid_count
    result = ledger.run_import(report, mode=ledgers.VALID_ONLY)   # or ALL_OR_NOTHING; one transaction
    ledger.export_response(queryset, reveal=False)               # protected values masked unless revealed

Rules the framework keeps: row numbers are the spreadsheet's own (the header row may be anywhere in
the first rows, under a title); a parser returns the value or raises ``ValidationError`` with a
Chinese message (the column header is prefixed when the message does not name it); nothing is
written by a dry run; ``ALL_OR_NOTHING`` imports nothing when any row is bad; both modes write in
one transaction through ``save`` and record one audit entry.

Every data row ends up in exactly one of three groups: **new** (valid, will be created), **existing**
(valid, but ``find_existing`` recognised it as a record already registered — e.g. a row of an earlier
export — so it is skipped, not imported again) and **invalid** (has errors). Only new rows reach
``save``; so exporting a ledger and dry-running the export reports 0 new and 0 errors for a ledger
whose ``find_existing`` marks its own records. A ledger that treats a registered record as an error
(the resident list) yields a ``RowError`` instead, and the row counts as invalid.

Pages: ``LedgerImportMixin`` adds upload → dry-run report → confirm to a view (usually the ledger
page itself, ``?import=1``) with the template ``anmin/import.html``. The uploaded file is kept
server-side, encrypted, between the steps; the confirmation re-reads the same bytes and refuses to
import if the dry run no longer gives the report the user confirmed (the database changed meanwhile).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import audit, clock
from .i18n import in_source_language
from .protected import Protected, parse_id_number, validate_phone_number
from .protected.crypto import decrypt, encrypt

__all__ = [
    "ALL_OR_NOTHING",
    "VALID_ONLY",
    "Column",
    "DryRun",
    "ImportResult",
    "Ledger",
    "LedgerImportError",
    "LedgerImportMixin",
    "LedgerRow",
    "RowError",
    "UploadStore",
    "boolean",
    "choice",
    "date",
    "decimal",
    "id_number",
    "integer",
    "phone",
    "text",
    "xlsx_response",
]

ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
MODES = {ALL_OR_NOTHING: "全部导入（有任何错误则一行也不导入）", VALID_ONLY: "只导入无误的行（跳过有错误的行）"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_SEARCH_ROWS = 5


# --- parsers ---------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def text(*, max_length: int | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        s = _cell_text(value)
        if max_length is not None and len(s) > max_length:
            raise ValidationError(f"不能超过{max_length}个字（当前{len(s)}个）")
        return s

    return parse


def integer(*, min_value: int | None = None, max_value: int | None = None) -> Callable[[Any], int]:
    from .bounds import MAX_INT

    max_value = MAX_INT if max_value is None else max_value  # never beyond the column (the dry run says so)

    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValidationError("应为整数")
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError("应为整数")
        s = _cell_text(value).rstrip("级")
        if not re.fullmatch(r"-?\d+", s):
            raise ValidationError("应为整数")
        n = int(s)
        if (min_value is not None and n < min_value) or (max_value is not None and n > max_value):
            if min_value is not None and max_value is not None:
                raise ValidationError(f"应在{min_value}至{max_value}之间")
            raise ValidationError(f"不能小于{min_value}" if min_value is not None else f"不能大于{max_value}")
        return n

    return parse


def decimal(*, min_value: Decimal | int | None = None) -> Callable[[Any], Decimal]:
    def parse(value: Any) -> Decimal:
        try:
            d = Decimal(_cell_text(value).replace(",", "").removesuffix("元"))
        except InvalidOperation:
            raise ValidationError("应为数字") from None
        if min_value is not None and d < Decimal(min_value):
            raise ValidationError(f"不能小于{min_value}")
        if not d.is_finite() or abs(d) >= Decimal(10) ** 12:
            raise ValidationError("数值过大（应小于 1,000,000,000,000）")  # the amount columns' limit
        return d

    return parse


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def date(*, not_after_today: bool = True, not_before: dt.date | None = None) -> Callable[[Any], dt.date]:
    """A date cell, or text such as 2020-01-02, 2020/1/2, 2020年1月2日 or 20200102; from 1949-10-01
    (``not_before``: birth dates pass 1900-01-01) to today or, with ``not_after_today=False``, the
    platform's horizon (``core.bounds``)."""
    from .bounds import MIN_DATE, latest_date

    floor = MIN_DATE if not_before is None else not_before

    def parse(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            d = value.date()
        elif isinstance(value, dt.date):
            d = value
        else:
            s = _cell_text(value).split(" ")[0]
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
        if not_after_today and d > clock.today():
            raise ValidationError("不能晚于今天")
        if d < floor or d > latest_date():
            raise ValidationError(f"应在 {floor:%Y-%m-%d} 至 {latest_date():%Y-%m-%d} 之间")
        return d

    return parse


def choice(options: dict[str, Any] | Sequence[tuple[Any, str]]) -> Callable[[Any], Any]:
    """One of the given choices, by label or by stored value (``TextChoices.choices`` works). Labels are
    read in Chinese, whatever language is active when the ledger's columns are defined."""
    with in_source_language():
        pairs = list(options.items()) if isinstance(options, dict) else [(str(lbl), v) for v, lbl in options]
        pairs = [(str(label), value) for label, value in pairs]
    mapping: dict[str, Any] = {}
    for label, value in pairs:
        mapping[_cell_text(label)] = value
        mapping[_cell_text(value)] = value
    labels = "、".join(dict.fromkeys(str(label) for label, _value in pairs))

    def parse(value: Any) -> Any:
        s = _cell_text(value)
        if s not in mapping:
            raise ValidationError(f"“{s}”不是可选值（可选：{labels}）")
        return mapping[s]

    return parse


_TRUE = {"是", "有", "y", "yes", "true", "1", "√"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×"}


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

    return parse


def id_number(*, label: str = "公民身份号码") -> Callable[[Any], str]:
    """A resident ID number (GB 11643, check digit included); returns the 18-character form."""

    def parse(value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # Excel keeps only 15 significant digits of a number: the last digits are already lost.
            raise ValidationError(f"{label}：单元格是数值格式，末位已丢失；请把该列设为“文本”后重新填写")
        return parse_id_number(_cell_text(value), label=label).number

    return parse


def phone(*, label: str = "联系电话") -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        return validate_phone_number(_cell_text(value), label=label)

    return parse


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

    def names(self) -> set[str]:
        return {normalize_header(self.header), *(normalize_header(a) for a in self.aliases)}


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header row counts)
    column: str  # the column header ("" for the whole row or the file)
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "field": self.field, "message": self.message}


@dataclass
class LedgerRow:
    row: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    #: Set by ``Ledger.find_existing``: the row is a record already registered (skipped on import).
    existing: bool = False

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


class LedgerImportError(Exception):
    """The import was refused or failed; nothing was written. ``message`` is for the user."""

    def __init__(self, message: str, errors: Sequence[RowError] = ()):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


def normalize_header(value: Any) -> str:
    s = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"[\s*＊:：]", "", s)


class Ledger:
    """Base of a ledger declaration (see the module docstring). One instance serves one run."""

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    model: ClassVar[Any] = None
    columns: ClassVar[tuple[Column, ...]] = ()
    unique: ClassVar[tuple[str | tuple[str, ...], ...]] = ()
    sheet: ClassVar[str | None] = None  # default: the first sheet
    batch_size: ClassVar[int] = 1000
    max_rows: ClassVar[int] = 200_000

    def __init__(self, *, user=None, request=None) -> None:
        self.user = user
        self.request = request

    # -- hooks the app implements --------------------------------------------------------------------

    def prepare(self) -> None:
        """Called once before parsing (load lookups into attributes)."""

    def check_row(self, values: dict[str, Any], row: LedgerRow) -> None:
        """Cross-field rules on a row whose cells parsed; raise ``ValidationError({field: message})``."""

    def find_existing(self, rows: Sequence[LedgerRow]) -> Iterable[RowError]:
        """Rows that clash with what the database holds (e.g. an ID number already registered): yield
        a ``RowError``. A row that *is* a record already registered (a row of an earlier export) is not
        an error: set ``row.existing = True`` and it is counted as 已存在 and skipped by the import."""
        return ()

    def save(self, rows: Sequence[LedgerRow]) -> int:
        """Write a batch of new rows (valid, not already registered) through the app's actions; return
        how many were written."""
        raise NotImplementedError

    # -- dry run ------------------------------------------------------------------------------------------

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    def header_of(self, field_name: str) -> str:
        col = self.column(field_name)
        return col.header if col else ""

    def _parser(self, col: Column) -> Callable[[Any], Any]:
        return getattr(self, col.parse) if isinstance(col.parse, str) else col.parse

    def row_error(self, row: int, col_field: str, message: str) -> RowError:
        """An error on ``row`` in the column of ``col_field``, its header prefixed to the message."""
        return self._error(row, col_field, message)

    def _error(self, row: int, col_field: str, message: str) -> RowError:
        header = self.header_of(col_field)
        if header and not message.startswith(header):
            message = f"{header}：{message}"
        return RowError(row, header, col_field, message)

    def dry_run(self, data: bytes) -> DryRun:
        """Parse and check every row; write nothing."""
        digest = hashlib.sha256(data).hexdigest()
        report = DryRun(self.key, [], [], digest)
        try:
            header_row, mapping, ignored, rows = self._read(data)
        except LedgerImportError as exc:
            report.file_errors.append(RowError(0, "", "", exc.message))
            return report
        report.columns_found = [c.header for c in self.columns if c.field in mapping]
        report.columns_ignored = ignored
        missing = [c.header for c in self.columns if c.required and c.field not in mapping]
        if missing:
            report.file_errors.append(RowError(header_row, "", "", f"缺少必填列：{'、'.join(missing)}"))
            return report
        self.prepare()
        parsers = {c.field: self._parser(c) for c in self.columns}
        for number, cells in rows:
            if len(report.rows) >= self.max_rows:
                report.file_errors.append(RowError(number, "", "", f"台账超过{self.max_rows}行，请分批导入"))
                break
            row = LedgerRow(number, {})
            for col in self.columns:
                idx = mapping.get(col.field)
                raw = cells[idx] if idx is not None and idx < len(cells) else None
                if raw is None or (isinstance(raw, str) and not raw.strip()):
                    if col.required:
                        row.errors.append(self._error(number, col.field, f"{col.header}：必填"))
                    row.values[col.field] = col.default
                    continue
                try:
                    row.values[col.field] = parsers[col.field](raw)
                except ValidationError as exc:
                    row.errors.append(self._error(number, col.field, "；".join(exc.messages)))
            if row.ok:
                try:
                    self.check_row(row.values, row)
                except ValidationError as exc:
                    row.errors.extend(self._errors_from(number, exc))
            report.rows.append(row)
        self._check_unique(report.rows)
        by_row = {r.row: r for r in report.rows}
        for err in self.find_existing(report.rows):
            if err.row in by_row and err not in by_row[err.row].errors:
                by_row[err.row].errors.append(err)
        for r in report.rows:
            r.errors.sort(key=lambda e: self._column_order(e.field))
        return report

    def _column_order(self, field_name: str) -> int:
        return next((i for i, c in enumerate(self.columns) if c.field == field_name), len(self.columns))

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
                    r.errors.append(
                        RowError(r.row, self.header_of(fields[0]), fields[0], f"{header}：与第{seen[key]}行重复")
                    )
                else:
                    seen[key] = r.row

    def _read(self, data: bytes) -> tuple[int, dict[str, int], list[str], list[tuple[int, tuple]]]:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises several kinds for a file that is not a workbook
            raise LedgerImportError("文件不是有效的 Excel 工作簿（.xlsx）") from None
        try:
            ws = wb[self.sheet] if self.sheet and self.sheet in wb.sheetnames else wb.worksheets[0]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some writers record a wrong sheet size; read what is there
            it = ws.iter_rows(values_only=True)
            wanted = {c.field: c.names() for c in self.columns}
            required = [c for c in self.columns if c.required]
            found = None
            for number in range(1, HEADER_SEARCH_ROWS + 1):
                cells = next(it, None)
                if cells is None:
                    break
                names = [normalize_header(c) for c in cells]
                mapping = {}
                for f, accepted in wanted.items():
                    idx = next((i for i, n in enumerate(names) if n in accepted), None)
                    if idx is not None:
                        mapping[f] = idx
                if mapping and all(c.field in mapping for c in required):
                    known = set().union(*wanted.values())
                    ignored = [
                        str(c).strip() for c in cells if c not in (None, "") and normalize_header(c) not in known
                    ]
                    found = (number, mapping, ignored)
                    break
            if found is None:
                headers = "、".join(c.header for c in required)
                raise LedgerImportError(f"前{HEADER_SEARCH_ROWS}行中没有找到表头（应包含：{headers}）")
            number, mapping, ignored = found
            rows = []
            for cells in it:
                number += 1
                if cells and any(c is not None and not (isinstance(c, str) and not c.strip()) for c in cells):
                    rows.append((number, cells))
                    if len(rows) > self.max_rows:
                        break
            return found[0], mapping, ignored, rows
        finally:
            wb.close()

    # -- import ---------------------------------------------------------------------------------------------

    def run_import(self, report: DryRun, *, mode: str) -> ImportResult:
        """Import what the dry run found valid, in one transaction, through ``save``."""
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
        rows = report.new_rows
        if not rows:
            if report.existing_count:
                raise LedgerImportError(f"没有需要导入的新增行：{report.existing_count}行已存在，不会重复导入")
            raise LedgerImportError("没有可以导入的行")
        written = 0
        try:
            with transaction.atomic():
                for start in range(0, len(rows), self.batch_size):
                    written += self.save(rows[start : start + self.batch_size])
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
                        "skipped_rows": [r.row for r in report.rows if not r.ok][:1000],
                        "existing": report.existing_count,
                        "file_sha256": report.sha256,
                    },
                    request=self.request,
                )
        except ValidationError as exc:
            raise LedgerImportError("导入时发现错误，已全部撤销，未导入任何行：" + "；".join(exc.messages)) from None
        skipped = tuple(r.row for r in report.rows if not r.ok)
        existing = tuple(r.row for r in report.existing_rows)
        message = (
            f"已导入{written}行"
            + (f"，跳过已存在的{len(existing)}行" if existing else "")
            + (f"，跳过有错误的{len(skipped)}行" if skipped else "")
        )
        return ImportResult(mode, written, skipped, False, message, existing)

    # -- export ---------------------------------------------------------------------------------------------

    def export_value(self, col: Column, obj: Any, *, reveal: bool) -> Any:
        spec = col.export if col.export is not None else col.field
        if callable(spec):
            value = spec(obj)
        else:
            value = obj
            for part in spec.split("."):
                display = getattr(value, f"get_{part}_display", None)
                value = display() if callable(display) else getattr(value, part, None)
                if value is None:
                    break
        if isinstance(value, Protected):
            return value.reveal() if reveal else value.masked
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if value is None or isinstance(value, (int, float, str, dt.date, Decimal)):
            return value
        return str(value)

    def workbook(self, objects: Iterable[Any] = (), *, reveal: bool = False) -> bytes:
        """The ledger as .xlsx: the import's own headers (required ones starred), then one row per object.
        With no objects it is the blank template users fill in. Headers and labels are written in
        Chinese whatever the page's language, so the file re-imports."""
        with in_source_language():
            return self._workbook(objects, reveal=reveal)

    def _workbook(self, objects: Iterable[Any], *, reveal: bool) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(str(self.title)[:31])
        for idx, col in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(idx)].width = col.width
        from openpyxl.cell import WriteOnlyCell

        header = []
        for col in self.columns:
            cell = WriteOnlyCell(ws, value=f"{col.header}*" if col.required else col.header)
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for obj in objects:
            ws.append([self.export_value(col, obj, reveal=reveal) for col in self.columns])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def export_response(self, objects: Iterable[Any], *, reveal: bool = False, filename: str | None = None):
        """An .xlsx download of ``objects`` in this ledger's columns (re-importable as it is)."""
        return xlsx_response(self.workbook(objects, reveal=reveal), filename or str(self.title))

    def errors_workbook(self, report: DryRun) -> bytes:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("错误清单")
        ws.append(["行号", "列", "错误"])
        for e in report.errors:
            ws.append([e.row or "", e.column, e.message])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")  # the business date, as the records
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.xlsx')}"
    return response


# --- uploads kept between the steps ---------------------------------------------------------------------------

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class StoredUpload:
    token: str
    data: bytes
    meta: dict[str, Any]


class UploadStore:
    """Uploaded ledgers kept server-side between the dry run and the confirmation: encrypted with the
    data key (they hold ID numbers), bound to the user and the ledger, removed after the import or
    after ``ANMIN_LEDGER_UPLOAD_HOURS`` (24)."""

    def __init__(self, directory: Path | None = None) -> None:
        default = Path(getattr(settings, "VAR_DIR", Path("var"))) / "ledger-uploads"
        self.directory = Path(directory or getattr(settings, "ANMIN_LEDGER_UPLOAD_DIR", default))

    def _paths(self, token: str) -> tuple[Path, Path]:
        if not _TOKEN.match(token or ""):
            raise LookupError("bad token")
        return self.directory / f"{token}.bin", self.directory / f"{token}.json"

    @staticmethod
    def _context(ledger_key: str, user_id: Any) -> str:
        return f"anmin.ledgers.upload|{ledger_key}|{user_id}"

    def put(self, *, user_id: Any, ledger_key: str, filename: str, data: bytes) -> str:
        self.purge()
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        token = secrets.token_urlsafe(24)
        blob, meta = self._paths(token)
        sealed = encrypt(base64.b64encode(data).decode("ascii"), context=self._context(ledger_key, user_id))
        _write_private(blob, sealed.encode("ascii"))
        _write_private(
            meta,
            json.dumps(
                {
                    "user": user_id,
                    "ledger": ledger_key,
                    "filename": filename[:200],
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "created": time.time(),
                    "fingerprint": "",
                }
            ).encode(),
        )
        return token

    def get(self, token: str, *, user_id: Any, ledger_key: str) -> StoredUpload:
        blob, meta_path = self._paths(token)
        try:
            meta = json.loads(meta_path.read_text())
            sealed = blob.read_text()
        except (OSError, ValueError):
            raise LookupError("no such upload") from None
        if meta.get("user") != user_id or meta.get("ledger") != ledger_key:
            raise LookupError("not this user's upload")
        data = base64.b64decode(decrypt(sealed, context=self._context(ledger_key, user_id)))
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            raise LookupError("upload changed")
        return StoredUpload(token, data, meta)

    def set_fingerprint(self, token: str, fingerprint: str) -> None:
        _blob, meta_path = self._paths(token)
        meta = json.loads(meta_path.read_text())
        meta["fingerprint"] = fingerprint
        _write_private(meta_path, json.dumps(meta).encode())

    def claim(self, token: str) -> bool:
        """Take the upload for importing; only one of two concurrent confirmations gets it."""
        blob, _meta = self._paths(token)
        try:
            os.rename(blob, blob.with_suffix(".importing"))
        except OSError:
            return False
        return True

    def release(self, token: str) -> None:
        blob, _meta = self._paths(token)
        with contextlib.suppress(OSError):
            os.rename(blob.with_suffix(".importing"), blob)

    def delete(self, token: str) -> None:
        blob, meta = self._paths(token)
        for p in (blob, blob.with_suffix(".importing"), meta):
            p.unlink(missing_ok=True)

    def purge(self) -> None:
        if not self.directory.exists():
            return
        cutoff = time.time() - 3600 * int(getattr(settings, "ANMIN_LEDGER_UPLOAD_HOURS", 24))
        for p in self.directory.iterdir():
            try:
                if p.stat().st_mtime < cutoff:
                    p.unlink(missing_ok=True)
            except OSError:
                continue


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


# --- the upload → report → confirm pages --------------------------------------------------------------------------


class LedgerImportMixin:
    """Adds a ledger import to a view: ``?import=1`` shows the upload form, ``?import=template``
    downloads the blank template; posts carry ``ledger_step`` = ``upload`` (store the file and show
    the dry-run report), ``confirm`` (with ``token`` and ``mode``) or ``errors`` (the error list as
    .xlsx). Users without ``import_permission`` get 404 for all of it."""

    ledger_class: ClassVar[type[Ledger]]
    import_permission: ClassVar[str | None] = None
    import_template_name: ClassVar[str] = "anmin/import.html"
    import_param: ClassVar[str] = "import"
    max_upload_bytes: ClassVar[int] = 20 * 1024 * 1024
    shown_errors: ClassVar[int] = 500

    def may_import(self) -> bool:
        return self.import_permission is None or self.request.user.has_perm(self.import_permission)

    def get_ledger(self) -> Ledger:
        return self.ledger_class(user=self.request.user, request=self.request)

    def upload_store(self) -> UploadStore:
        return UploadStore()

    def import_back_url(self) -> str:
        return self.request.path

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get(self.import_param)
        if wanted:
            if not self.may_import():
                raise Http404
            ledger = self.get_ledger()
            if wanted == "template":
                return xlsx_response(ledger.workbook(), f"{ledger.title}（模板）")
            return self.render_import(ledger, step="upload")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        step = request.POST.get("ledger_step")
        if step is None:
            handler = getattr(super(), "post", None)
            if handler is None:
                return HttpResponse(status=405)
            return handler(request, *args, **kwargs)
        if not self.may_import():
            raise Http404
        ledger = self.get_ledger()
        if step == "upload":
            return self.import_upload(ledger)
        if step in ("confirm", "errors"):
            return self.import_confirm(ledger, errors_only=step == "errors")
        return self.render_import(ledger, step="upload", problem="未知的操作", status=400)

    def render_import(self, ledger: Ledger, *, step: str, status: int = 200, **ctx) -> HttpResponse:
        report: DryRun | None = ctx.get("report")
        context = {
            "title": f"导入{ledger.title}",
            "ledger": ledger,
            "step": step,
            "back_url": self.import_back_url(),
            "modes": MODES,
            "import_param": self.import_param,
            **ctx,
        }
        if report is not None:
            errors = report.errors
            context.update(
                errors=errors[: self.shown_errors],
                error_count=len(errors),
                more_errors=max(0, len(errors) - self.shown_errors),
            )
        return render(self.request, self.import_template_name, context, status=status)

    def import_upload(self, ledger: Ledger) -> HttpResponse:
        f = self.request.FILES.get("file")
        if f is None:
            return self.render_import(ledger, step="upload", problem="请选择要导入的 Excel 文件（.xlsx）", status=400)
        if not f.name.lower().endswith(".xlsx"):
            return self.render_import(
                ledger, step="upload", problem="文件：只支持 .xlsx 格式（可在 Excel 中“另存为”）", status=400
            )
        if f.size > self.max_upload_bytes:
            return self.render_import(
                ledger, step="upload", status=400, problem=f"文件：不能超过 {self.max_upload_bytes // (1024 * 1024)} MB"
            )
        data = f.read()
        store = self.upload_store()
        token = store.put(user_id=self.request.user.pk, ledger_key=ledger.key, filename=f.name, data=data)
        report = ledger.dry_run(data)
        store.set_fingerprint(token, report.fingerprint)
        return self.render_import(ledger, step="report", report=report, token=token, filename=f.name)

    def import_confirm(self, ledger: Ledger, *, errors_only: bool) -> HttpResponse:
        token = self.request.POST.get("token", "")
        store = self.upload_store()
        try:
            upload = store.get(token, user_id=self.request.user.pk, ledger_key=ledger.key)
        except LookupError:
            return self.render_import(
                ledger, step="upload", status=409, problem="该上传已导入、已过期或不存在，请重新上传台账"
            )
        report = ledger.dry_run(upload.data)
        filename = upload.meta.get("filename", "")
        if errors_only:
            return xlsx_response(ledger.errors_workbook(report), f"{ledger.title}（错误清单）")
        mode = self.request.POST.get("mode", "")
        if mode not in MODES:
            return self.render_import(
                ledger,
                step="report",
                report=report,
                token=token,
                filename=filename,
                status=400,
                problem="请选择导入方式",
            )
        if report.fingerprint != upload.meta.get("fingerprint"):
            # The database changed since the user saw the report: show the new one, import nothing.
            store.set_fingerprint(token, report.fingerprint)
            return self.render_import(
                ledger,
                step="report",
                report=report,
                token=token,
                filename=filename,
                status=409,
                problem="预检结果与您确认时不同（其间数据已有变化），未导入任何行；请核对下面的最新结果后重新确认",
            )
        if not store.claim(token):
            return self.render_import(ledger, step="upload", status=409, problem="该上传正在导入或已导入，请勿重复提交")
        try:
            result = ledger.run_import(report, mode=mode)
        except LedgerImportError as exc:
            store.release(token)
            return self.render_import(
                ledger,
                step="report",
                report=report,
                token=token,
                filename=filename,
                status=422,
                problem=exc.message,
                chosen_mode=mode,
            )
        store.delete(token)
        return self.render_import(ledger, step="done", result=result, chosen_mode=mode, filename=filename)
