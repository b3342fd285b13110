"""Column definitions shared by ledger pages and their Excel export (one source for both)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import clock, codes
from .i18n import one_language, one_zone, zone
from .markup import esc
from .money import is_money, money

NOWRAP = ' class="nowrap"'  # (a money column has a class of its own: not both)


def when(value: Any) -> str:
    """A moment as the pages show one: in the viewer's time zone, to the minute ("2020-12-10 09:36",
    not ``2020-12-10 01:36:07.58+00:00``); nothing as ""."""
    if value is None or value == "":
        return ""
    if getattr(value, "tzinfo", None) is not None:
        value = value.astimezone(zone())
    return value.strftime("%Y-%m-%d %H:%M")


def shown(value: Any) -> Any:
    """A value as a page or a ledger shows it: a yes/no field as 是/否 (not True/False), nothing as ""."""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    return "" if value is None else value


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[Any], Any] | None = None  # default: the attribute named ``key`` (dotted path allowed)
    link: bool = False  # render as a link to the object's detail page
    width: int = 16
    html: Callable[[Any], Any] | None = None  # on screen only (a badge); the Excel cell is ``get``
    # a sum of money: 1,234,567.00 on screen, the number in Excel; None: when ``key`` is a ``MoneyField``
    money: bool | None = None
    # kept on one line on screen (a case number, a moment): "WG-2020-" above "017884" on a desktop
    nowrap: bool = False

    def __post_init__(self) -> None:
        # the key's path and its display method's name, worked out once (``get`` runs for every cell)
        *path, last = self.key.split(".")
        object.__setattr__(self, "_path", tuple(path))
        object.__setattr__(self, "_last", last)
        object.__setattr__(self, "_display", f"get_{last}_display")

    def get(self, obj: Any) -> Any:
        if self.value is not None:
            return self.value(obj)
        target: Any = obj
        for part in self._path:
            target = getattr(target, part, None)
            if target is None:
                return ""
        display = getattr(target, self._display, None)
        value = display() if callable(display) else getattr(target, self._last, None)
        if callable(value) and not getattr(value, "do_not_call_in_templates", False):
            value = value()  # a method named as the key (get_kind_display), called as a template would
        if value is None:  # ``shown``, written out: it runs for every cell of a page
            return ""
        if value.__class__ is bool:
            return gettext("是") if value else gettext("否")
        return value


class Table:
    """A ledger table: a list of columns bound to rows."""

    columns: tuple[Column, ...] = ()

    def __init__(self, rows: Iterable[Any]):
        self.rows = rows

    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def cells(self):
        for obj in self.rows:
            yield obj, [(c, c.get(obj)) for c in self.columns]

    def rows_html(self, row_class: Callable[[Any], str] | None = None) -> str:
        """The ``<tbody>`` rows of a ledger page, built in Python: the markup ``anmin/ledger.html``
        would render cell by cell, in a fraction of the time (50 rows × 11 columns are 550 template
        cells, most of a page's CPU). Empty when there are no rows (the template says so)."""
        # each cell's attributes after ``<td``: its label (a phone shows it before the value), its class
        headers = [f'data-label="{esc(c.header)}"' + (NOWRAP if c.nowrap else "") for c in self.columns]
        linked = any(c.link for c in self.columns)
        # the cells ask for the language and code names cell by cell (core.i18n, core.codes)
        with one_language(), one_zone(), codes.held(), clock.one_moment():
            return self._rows_html(headers, linked, row_class)

    def _rows_html(self, headers, linked, row_class) -> str:
        sums: set[str] | None = None  # the money columns, known from the first row's model
        rows: list[str] = []
        for obj, cells in self.cells():
            if sums is None:
                sums = {c.key for c in self.columns if c.money or (c.money is None and is_money(obj, c.key))}
            url = esc(obj.get_absolute_url()) if linked else ""
            tds = "".join(
                f'<td {header}><a href="{url}">{esc(value)}</a></td>' if col.link
                else f'<td {header} class="money">{esc(money(value))}</td>'
                if col.key in sums and not col.html
                else f'<td {header}>{esc(col.html(obj))}</td>' if col.html
                # a moment as the pages show one (``when``), not ``2020-12-10 01:36:07.58+00:00``
                else f'<td {header}>{esc(when(value) if isinstance(value, dt.datetime) else value)}</td>'
                for header, (col, value) in zip(headers, cells, strict=True))
            rows.append(f'<tr class="{esc(row_class(obj)) if row_class else ""}">{tds}</tr>')
        return mark_safe("".join(rows))  # every value above was escaped (markup.esc)

    def to_xlsx(self, *, title: str, filename: str) -> HttpResponse:
        """The rows as .xlsx, written row by row to a temporary file and streamed from it; no text
        cell is ever a formula (``core.ledgers.safe``)."""
        from .ledgers.export import file_response

        f = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response once sent
        self.write_xlsx(f, title=title)
        return file_response(f, filename)

    def write_xlsx(self, out, *, title: str, progress=None) -> int:
        """Write the rows as .xlsx to the file ``out``; ``progress(n)`` every 1,000 rows. Returns the rows."""
        from .ledgers import safe
        from .ledgers.export import in_chunks

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(safe.sheet_title(title))
        for idx, col in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(idx)].width = col.width
        ws.freeze_panes = "A2"
        ws.append([safe.cell(ws, h, font=Font(bold=True)) for h in self.headers()])
        rows = in_chunks(self.rows)
        n = 0
        for obj in rows:
            ws.append([safe.cell(ws, _excel_value(c.get(obj))) for c in self.columns])
            n += 1
            if progress is not None and n % 1000 == 0:
                progress(n)
        wb.save(out)
        return n


def _excel_value(value: Any) -> Any:
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (int, float, str, Decimal)) or value is None:  # a number stays a number cell
        return value
    return str(value)
