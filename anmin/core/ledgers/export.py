"""A ledger's export, blank template and error list as .xlsx (or CSV), written safely and streamed.

Exports are written row by row by openpyxl's write-only workbook into a temporary file (constant
memory whatever the ledger's size) and sent from that file; every text cell goes through
``safe.cell`` so nothing is ever a live formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.db import connections
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils import timezone

from .. import clock
from ..i18n import in_source_language
from ..protected import Protected
from . import safe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def in_chunks(objects: Iterable[Any]) -> Iterable[Any]:
    """A queryset read a chunk at a time, its related rows prefetched per chunk; anything else as it is.

    Where the database has no row values for Django's prefetch (SQLite: ``supports_tuple_lookups`` is
    False), the prefetch of a relation is written as one ``id = … OR id = …`` term per distinct row, and
    SQLite refuses an expression deeper than 1,000: the city's 网格事件台账 (17,884 events, over a thousand
    reporters) failed to export with 503. Chunks of 500 keep every prefetch under that depth; PostgreSQL
    reads 2,000 at a time."""
    if not isinstance(objects, QuerySet):
        return objects
    rows = 2000 if connections[objects.db].features.supports_tuple_lookups else 500
    return objects.iterator(chunk_size=rows)


def _stamped(filename: str, suffix: str) -> str:
    stamp = timezone.localtime(clock.now_or_real()).strftime("%Y%m%d-%H%M")  # the business date, as the records
    return f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.{suffix}')}"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _stamped(filename, "xlsx")
    return response


class StreamedFile(FileResponse):
    """A file sent in chunks; ``content`` still reads it whole (for callers written for HttpResponse)."""

    @property
    def content(self) -> bytes:
        if not hasattr(self, "_whole"):
            self._whole = b"".join(self.streaming_content)
        return self._whole


def file_response(f, filename: str, suffix: str = "xlsx", content_type: str = XLSX_CONTENT_TYPE) -> FileResponse:
    f.seek(0)
    response = StreamedFile(f, content_type=content_type)
    response["Content-Disposition"] = _stamped(filename, suffix)
    return response


class ExportMixin:
    """The export side of ``Ledger`` (``columns``, ``title`` and ``key`` come from the ledger)."""

    def export_value(self, col, obj: Any, *, reveal: bool) -> Any:
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

    def export_queryset(self, user=None):
        """What ``anmin ledger export`` lists for ``user``: the model's records the user may see."""
        return self.model.objects.visible_to(user or self.user)

    def write_workbook(self, out, objects: Iterable[Any] = (), *, reveal: bool = False, template: bool = False,
                       progress: Callable[[int], None] | None = None) -> int:
        """Write the ledger as .xlsx to the file ``out``: the import's own headers (required ones
        starred), then one row per object; returns the number of rows. Headers and labels are in
        Chinese whatever the page's language, so the file re-imports. ``template``: notes on each
        header and drop-down lists for the columns with fixed values."""
        from openpyxl import Workbook
        from openpyxl.comments import Comment
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        n = 0
        with in_source_language():
            wb = Workbook(write_only=True)
            ws = wb.create_sheet(safe.sheet_title(self.title))
            for idx, col in enumerate(self.columns, start=1):
                ws.column_dimensions[get_column_letter(idx)].width = col.width
            if template:
                for idx, col in enumerate(self.columns, start=1):
                    options = self.column_options(col)
                    if options:
                        listed = ",".join(o.replace(",", "，") for o in options)
                        if len(listed) <= 250:  # Excel's limit for an inline list
                            dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                            dv.add(f"{get_column_letter(idx)}2:{get_column_letter(idx)}5000")
                            ws.data_validations.append(dv)
            header = []
            for col in self.columns:
                c = safe.cell(ws, f"{col.header}*" if col.required else col.header, font=Font(bold=True))
                if template and (col.help or col.required):
                    note = "；".join(filter(None, ["必填" if col.required else "", str(col.help)]))
                    c.comment = Comment(note, "安民")
                header.append(c)
            ws.append(header)
            for obj in in_chunks(objects):
                ws.append([safe.cell(ws, self.export_value(col, obj, reveal=reveal)) for col in self.columns])
                n += 1
                if progress is not None and n % 1000 == 0:
                    progress(n)
            wb.save(out)
        return n

    def column_options(self, col) -> list[str]:
        """The values offered in the template's drop-down list for ``col``."""
        if col.options:
            return [str(o) for o in col.options]
        parse = getattr(self, col.parse, None) if isinstance(col.parse, str) else col.parse
        return [str(o) for o in getattr(parse, "options", None) or []]

    def workbook(self, objects: Iterable[Any] = (), *, reveal: bool = False) -> bytes:
        """The ledger as .xlsx bytes (see ``write_workbook``); with no objects, the blank template."""
        buf = io.BytesIO()
        self.write_workbook(buf, objects, reveal=reveal, template=not objects)
        return buf.getvalue()

    def template(self) -> bytes:
        """The blank template with notes and drop-down lists, for offices starting from scratch."""
        buf = io.BytesIO()
        self.write_workbook(buf, (), template=True)
        return buf.getvalue()

    def template_response(self) -> HttpResponse:
        return xlsx_response(self.template(), f"{self.title}（模板）")

    def export_response(self, objects: Iterable[Any], *, reveal: bool = False, filename: str | None = None):
        """An .xlsx download of ``objects`` in this ledger's columns (re-importable as it is), written
        to a temporary file row by row and streamed from it."""
        f = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response once sent
        self.write_workbook(f, objects, reveal=reveal)
        return file_response(f, filename or str(self.title))

    def write_csv(self, out, objects: Iterable[Any], *, reveal: bool = False) -> int:
        """The ledger as CSV (UTF-8 with BOM, which Excel opens); formula-like text prefixed with '."""
        n = 0
        with in_source_language():
            w = csv.writer(out)
            w.writerow([safe.csv_value(c.header) for c in self.columns])
            for obj in in_chunks(objects):
                w.writerow([safe.csv_value(self.export_value(c, obj, reveal=reveal)) for c in self.columns])
                n += 1
        return n

    def errors_workbook(self, report) -> bytes:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("错误清单")
        safe.write_row(ws, ["行号", "列", "单元格内容", "错误"])
        for e in report.errors:
            safe.write_row(ws, [_row_cell(e.row), e.column, e.shown, e.message])
        for w in report.warnings:
            safe.write_row(ws, [_row_cell(w.row), w.column, w.shown, f"提醒：{w.message}"])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def _row_cell(row: int) -> int | str:
    """The 行号 cell of the error list: the number, or 古城村 第5行 for a row of one of several sheets."""
    if hasattr(row, "sheet"):
        return f"{row.sheet} 第{row.line}行"
    return int(row) if row else ""
