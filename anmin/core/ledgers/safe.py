"""Safe spreadsheet output: no cell an export writes is ever a live formula (CSV / formula injection).

A text value that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken
as a formula by Excel, WPS or LibreOffice (``=cmd|' /C calc'!A0``, ``=HYPERLINK(...)``). In .xlsx such
a value is written as a *string* cell with Excel's "quote prefix" (the cell shows and edits as text;
the stored value is the original, so a re-import reads it back unchanged). In CSV, which has no cell
types, it is prefixed with ``'``; the ledger import removes that prefix again (``unquote``), so the
round trip keeps the original value in both formats.

Every spreadsheet the platform writes goes through ``write_row`` / ``cell`` (ledger exports, the
generic table export, templates, error lists, chart data) and, for CSV, ``csv_value``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (openpyxl refuses them); dropped rather than failing an export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_dangerous(value: Any) -> bool:
    return isinstance(value, str) and value[:1] in DANGEROUS_STARTS


def clean_text(value: str) -> str:
    return _ILLEGAL.sub("", value)


def plain(value: Any) -> Any:
    """A value a spreadsheet cell can hold: numbers, dates and text as they are, the rest as text."""
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return clean_text(str(value))


def cell(ws, value: Any, **style):
    """A write-only cell holding ``value`` safely: a text that looks like a formula stays text."""
    from openpyxl.cell import WriteOnlyCell

    value = plain(value)
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value:
        c.data_type = "s"  # never "f", whatever the text starts with
        if is_dangerous(value):
            c.quotePrefix = True
    for name, v in style.items():
        setattr(c, name, v)
    return c


def write_row(ws, values: Iterable[Any], **style) -> None:
    """Append a row to a (write-only or normal) worksheet with every text cell written as text."""
    if getattr(ws, "_write_only", False) or type(ws).__name__ == "WriteOnlyWorksheet":
        ws.append([cell(ws, v, **style) for v in values])
        return
    values = [plain(v) for v in values]
    ws.append(values)
    row = ws.max_row
    for idx, v in enumerate(values, start=1):
        if isinstance(v, str) and v:
            c = ws.cell(row=row, column=idx)
            c.data_type = "s"
            if is_dangerous(v):
                c.quotePrefix = True
        if style:
            c = ws.cell(row=row, column=idx)
            for name, s in style.items():
                setattr(c, name, s)


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: formula-like text prefixed with ``'``."""
    value = plain(value)
    if is_dangerous(value):
        return "'" + value
    return value


def unquote(value: Any) -> Any:
    """Undo ``csv_value``'s prefix on import: ``'=x`` → ``=x`` (only before a formula character)."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in DANGEROUS_STARTS:
        return value[1:]
    return value


_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def sheet_title(title: Any) -> str:
    """A worksheet name Excel accepts: none of \\ / ? * [ ] : (a title like "学校/幼儿园" becomes
    "学校、幼儿园"), at most 31 characters, never empty."""
    return (_SHEET_FORBIDDEN.sub("、", str(title)).strip("' ") or "Sheet1")[:31]
