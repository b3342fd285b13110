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


def xlsx(rows: Sequence[Sequence[Any]], merges: Sequence[Merge] = (), *, title: str = "台账",
         cover: Sequence[Sequence[Any]] | None = None, hidden: Sequence[int] = ()) -> bytes:
    """``cover``: a first sheet (填表说明) before the ledger's; ``hidden``: 0-based columns hidden."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    if cover is not None:
        ws.title = "填表说明"
        for r in cover:
            ws.append(list(r))
        ws = wb.create_sheet()
    ws.title = title
    for c in hidden:
        ws.column_dimensions[get_column_letter(c + 1)].hidden = True
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


def with_results(data: bytes, results: dict[str, Any]) -> bytes:
    """An .xlsx (from ``xlsx``) whose formula cells (a cell written as ``=B5*10000``) keep the result Excel
    saves with them (``results``: formula without ``=`` → value), as a file opened and saved in Excel does."""
    import re
    import zipfile
    from xml.sax.saxutils import escape

    def cached(m: re.Match) -> bytes:
        formula = m[2].decode()
        if formula not in results:
            return m[0]
        value = results[formula]
        kind = b' t="str"' if isinstance(value, str) else b""
        return m[1] + kind + b"><f>" + m[2] + b"</f><v>" + escape(str(value)).encode() + b"</v></c>"

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                body = re.sub(rb'(<c r="[A-Z]+\d+")><f>(.*?)</f><v\s*/?>(?:</v>)?</c>', cached, body)
            dst.writestr(item, body)
    return out.getvalue()


def xls(rows: Sequence[Sequence[Any]], merges: Sequence[Merge] = (), *, title: str = "台账",
        cover: Sequence[Sequence[Any]] | None = None, hidden: Sequence[int] = ()) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    if cover is not None:
        first = wb.add_sheet("填表说明")
        for i, r in enumerate(cover):
            for j, v in enumerate(r):
                if v is not None:
                    first.write(i, j, v)
    ws = wb.add_sheet(title)
    for c in hidden:
        ws.col(c).hidden = True
    _xls_sheet(ws, rows, merges)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook(sheets: dict[str, tuple[Sequence[Sequence[Any]], Sequence[Merge]]], *, kind: str = "xlsx",
             hidden_sheets: Sequence[str] = (), hidden_rows: dict[str, Sequence[int]] | None = None,
             filters: dict[str, str] | None = None) -> bytes:
    """A workbook of several sheets, each ``name: (rows, merges)``, in order (one per village, one per
    month): as .xlsx (``hidden_sheets`` hidden; ``hidden_rows`` 0-based per sheet; ``filters`` an
    autofilter range per sheet, with a condition on its first column) or .xls (xlwt, no hiding)."""
    if kind == "xls":
        import xlwt

        wb = xlwt.Workbook(encoding="utf-8")
        for name, (rows, merges) in sheets.items():
            _xls_sheet(wb.add_sheet(name), rows, merges)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, (rows, merges) in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(list(r))
        for r0, c0, r1, c1 in merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        for r in (hidden_rows or {}).get(name, ()):
            ws.row_dimensions[r + 1].hidden = True
        if filters and name in filters:
            ws.auto_filter.ref = filters[name]
            ws.auto_filter.add_filter_column(0, ["本月"])
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls_sheet(ws, rows, merges) -> None:
    import xlwt

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


def office_grid(title: str, unit: str, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
                blank_after: int = 1, total: Sequence[Any] | None = ("合计",),
                footer: str | None = "填表人：张三    审核人：李四    联系电话：0374-8000000",
                ) -> tuple[list[list[Any]], list[Merge], list[int]]:
    """A ledger as a county office keeps it: a title row, a 填报单位 row, a two-row merged header
    with a 序号 column (a label ``上/下`` is a group over its column, any other label is merged down
    both rows), the rows numbered, an empty row after the first ``blank_after`` rows, a 合计 row and
    a 填表人 footer. Returns ``(grid, merges, spreadsheet row number of each data row)``."""
    labels = ["序号", *header]
    width = len(labels)
    upper: list[Any] = []
    lower: list[Any] = []
    merges: list[Merge] = [(0, 0, 0, width - 1)]
    for c, label in enumerate(labels):
        group, _, own = label.rpartition("/")
        if group:
            upper.append(None if c and labels[c - 1].rpartition("/")[0] == group else group)
            lower.append(own)
        else:
            upper.append(own)
            lower.append(None)
            merges.append((2, c, 3, c))
    c = 0
    while c < width:  # each group's label across its columns
        group = labels[c].rpartition("/")[0]
        end = c
        while group and end + 1 < width and labels[end + 1].rpartition("/")[0] == group:
            end += 1
        if group and end > c:
            merges.append((2, c, 2, end))
        c = end + 1
    grid: list[list[Any]] = [[title], [unit], upper, lower]
    numbers = []
    for i, r in enumerate(rows, start=1):
        grid.append([i, *r])
        numbers.append(len(grid))
        if i == blank_after:
            grid.append([])
    if total is not None:
        grid.append(list(total))
    if footer:
        grid.append([footer])
    return grid, merges, numbers


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
