"""Column definitions shared by ledger pages and their Excel export (one source for both)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anmin.core import clock


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[Any], Any] | None = None  # default: the attribute named ``key`` (dotted path allowed)
    link: bool = False  # render as a link to the object's detail page
    width: int = 16

    def get(self, obj: Any) -> Any:
        if self.value is not None:
            return self.value(obj)
        *path, last = self.key.split(".")
        target: Any = obj
        for part in path:
            target = getattr(target, part, None)
            if target is None:
                return ""
        display = getattr(target, f"get_{last}_display", None)
        val = display() if callable(display) else getattr(target, last, None)
        return "" if val is None else val


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

    def to_xlsx(self, *, title: str, filename: str) -> HttpResponse:
        wb = Workbook(write_only=False)
        ws = wb.active
        ws.title = str(title)[:31]
        ws.append(self.headers())
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for idx, col in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(idx)].width = col.width
        for obj in self.rows:
            ws.append([_excel_value(c.get(obj)) for c in self.columns])
        ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")  # the business date, as the records
        response = HttpResponse(
            buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.xlsx')}"
        return response


def _excel_value(value: Any) -> Any:
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (int, float, str)) or value is None:
        return value
    return str(value)
