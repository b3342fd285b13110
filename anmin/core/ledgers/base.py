"""The ledger declarations: columns, rows, the dry run report and ``Ledger`` itself (see the package
docstring)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from .. import audit, clock
from ..i18n import in_source_language
from ..protected import Protected
from .parsers import text

ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
MODES = {ALL_OR_NOTHING: "全部导入（有任何错误则一行也不导入）", VALID_ONLY: "只导入无误的行（跳过有错误的行）"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_SEARCH_ROWS = 5


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
