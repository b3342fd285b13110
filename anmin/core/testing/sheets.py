"""Spreadsheets in the shapes offices keep, for tests and benchmarks: the same grid of cells (title
rows, a two-row merged header, data, notes) written as .xlsx (openpyxl), .xls (xlwt, a test-only
dependency) or CSV (any encoding). ``None`` is an empty cell; merges are (first row, first col,
last row, last col), 0-based and inclusive."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

Merge = tuple[int, int, int, int]


def xlsx(rows: Sequence[Sequence[Any]], merges: Sequence[Merge] = (), *, title: str = "台账") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(list(r))
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, (dt.date, dt.datetime)):
                cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls(rows: Sequence[Sequence[Any]], merges: Sequence[Merge] = (), *, title: str = "台账") -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(title)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    covered = set()
    for r0, c0, r1, c1 in merges:
        ws.write_merge(r0, r1, c0, c1, rows[r0][c0] if c0 < len(rows[r0]) else None)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if (i, j) in covered or v is None:
                continue
            if isinstance(v, (dt.date, dt.datetime)):
                ws.write(i, j, v, date_style)
            else:
                ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "gbk") -> bytes:
    """CSV as Excel saves it: dates as text, numbers as Excel shows them (an 18-digit number in
    scientific notation)."""

    def show(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, (dt.date, dt.datetime)):
            return f"{v:%Y/%m/%d}"
        if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= 1e12:
            return f"{v:.5E}".replace("E+", "E+")
        return str(v)

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    for r in rows:
        w.writerow([show(v) for v in r])
    return out.getvalue().encode(encoding)


def import_on_page(client, url: str, ledger_class, rows: Sequence[Sequence[Any]]):
    """Upload ``rows`` under ``ledger_class``'s headers to the ledger page at ``url`` and confirm the
    import of the valid rows (as a user would): ``(the dry-run page's HTML, the confirm response)``.
    The test needs ``settings.ANMIN_LEDGER_UPLOAD_DIR`` pointing at a temporary directory."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = xlsx([[c.header for c in ledger_class.columns], *rows])
    checked = client.post(url, {"ledger_step": "upload", "file": SimpleUploadedFile("台账.xlsx", data)})
    assert checked.status_code == 200, checked.status_code
    done = client.post(url, {"ledger_step": "confirm", "token": checked.context["token"], "mode": "valid_only"})
    return checked.content.decode(), done
