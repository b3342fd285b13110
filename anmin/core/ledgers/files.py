"""Reading a ledger file: .xlsx, .xls or CSV, with every limit enforced before the parse.

``read_sheet(data, filename)`` returns a ``Sheet``: rows of cell values (text, numbers, dates, bools;
an empty cell is ``None``) and the merged ranges. The format is told by the bytes, not the name:

* .xlsx (a ZIP): the archive's directory is checked first — entries, declared sizes and ratios — and
  then every entry is inflated with a budget, so a bomb (a 300 KB file that unpacks to 400 MB,
  whatever its headers claim) is refused within a fraction of a second, before any XML is parsed.
* .xls (an OLE compound file, WPS and old Excel) and .xlsx are read by ``python-calamine`` (Rust).
* .xlsx: before calamine reads a sheet, its XML is streamed once (``_scan_sheet``) to find where the
  content really is: only rows with content count toward the row limit; content more than
  ``MAX_GAP`` empty rows below the rest is refused as a stray cell, named by its address; a sheet whose
  cells (even empty ones) reach far beyond its content is streamed by openpyxl (read-only) down to its
  last row with content instead of having calamine fill the whole area; formula cells without a saved
  result are listed (``Sheet.formulas``: never evaluated, the check reports them). Rows come back
  trimmed of trailing empty cells, an empty row as ``()``, and nothing after the last row with content.
* Without a sheet name, ``choose`` picks the sheet: the first one holding the ledger's whole header,
  else the one holding most of it (the first sheet being a 填表说明 or 封面).
* CSV: UTF-8 with or without BOM, else GB18030 (a superset of GBK); comma, tab or semicolon; a
  ``'`` that an export put before a formula character is removed again (``safe.unquote``).

Limits (settings, with these defaults): ``ANMIN_LEDGER_MAX_BYTES`` 20 MB for the file,
``ANMIN_LEDGER_MAX_UNPACKED_BYTES`` 200 MB unpacked, ``ANMIN_LEDGER_MAX_RATIO`` 100 per entry,
``ANMIN_LEDGER_MAX_ROWS`` 200,000 rows, ``ANMIN_LEDGER_MAX_COLUMNS`` 200, ``ANMIN_LEDGER_MAX_CELL``
32,767 characters per cell (Excel's own limit; a cell longer than its column allows is that row's
error). Every refusal is a ``LedgerImportError`` with a Chinese message.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from .model import LedgerImportError
from .safe import unquote

XLSX, XLS, CSV = "xlsx", "xls", "csv"
FORMAT_NAMES = {XLSX: "Excel 工作簿（.xlsx）", XLS: "Excel 97-2003 工作簿（.xls）", CSV: "CSV 文本"}
ACCEPTED_SUFFIXES = (".xlsx", ".xls", ".csv")


def limit(name: str, default: int) -> int:
    return int(getattr(settings, f"ANMIN_LEDGER_{name}", default))


#: The most characters a cell may hold (Excel's own limit): beyond it the file is not one Excel wrote.
#: A cell longer than its column allows (5,000 for a 案情) is that row's error, named by its column.
MAX_CELL = 32767


def max_bytes() -> int:
    return limit("MAX_BYTES", 20 * 1024 * 1024)


@dataclass
class Sheet:
    #: One entry per spreadsheet row down to the last row with content; an empty row is ``()``, and
    #: trailing empty cells are trimmed (so a cell past the end of its row is empty).
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # 0-based, inclusive
    format: str = XLSX
    encoding: str = ""
    #: The sheet read (Excel) and the names of the workbook's other sheets, in order.
    name: str = ""
    others: list[str] = field(default_factory=list)
    #: (row, column), 0-based, of formula cells the file holds no saved result for (an .xlsx written
    #: by a program, not saved by Excel): their value is unknown, so the check reports them.
    formulas: set[tuple[int, int]] = field(default_factory=set)
    #: The sheet's place in the workbook (0-based) and whether it is shown (not a hidden sheet).
    index: int = 0
    visible: bool = True
    #: .xlsx: the rows (1-based) hidden, by hand or by a filter, and whether a filter is set on the
    #: sheet (calamine reads hidden rows like any other; an .xls's are not known).
    hidden_rows: set[int] = field(default_factory=set)
    filtered: bool = False


def detect_format(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        return XLSX
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return XLS
    return CSV


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_archive(data: bytes) -> None:
    """Refuse a ZIP that is too big unpacked, too compressed, or not what it claims — before parsing.

    The declared sizes are checked first (instant for an honest bomb); then each entry is inflated in
    chunks with the remaining budget, which catches a bomb whose headers lie."""
    budget = limit("MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
    ratio = limit("MAX_RATIO", 100)
    refuse = LedgerImportError(
        f"文件解压后过大或压缩比异常（可能是“压缩炸弹”），已拒绝；台账解压后不能超过{_mb(budget)}。"
        "如确为正常台账，请删去多余的工作表、图片和空行后重新保存再上传"
    )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise LedgerImportError("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏") from None
    if len(infos) > 10_000:
        raise refuse
    declared = 0
    for info in infos:
        declared += info.file_size
        if declared > budget:
            raise refuse
        if info.file_size > 1024 * 1024 and info.file_size > ratio * max(info.compress_size, 1):
            raise refuse
    left = budget
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise LedgerImportError("文件使用了不支持的压缩方式，请用 Excel 或 WPS 重新保存为 .xlsx")
        if info.flag_bits & 0x1:
            raise LedgerImportError("文件已加密（设置了打开密码），请取消密码后再上传")
        try:
            # Inflate the compressed stream ourselves: a lying header must not decide how much we inflate.
            start = info.header_offset
            header = data[start : start + 30]
            name_len = int.from_bytes(header[26:28], "little")
            extra_len = int.from_bytes(header[28:30], "little")
            body = start + 30 + name_len + extra_len
            payload = memoryview(data)[body : body + info.compress_size]
            if info.compress_type == zipfile.ZIP_STORED:
                left -= len(payload)
            else:
                left = _inflate(payload, left, ratio, refuse)
            if left < 0:
                raise refuse
        except LedgerImportError:
            raise
        except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError):
            raise LedgerImportError("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏") from None


def _inflate(payload: memoryview, left: int, ratio: int, refuse: Exception) -> int:
    """Inflate one entry 1 MB at a time; refuse as soon as it exceeds the budget or the ratio."""
    inflater = zlib.decompressobj(-15)
    step, out_step = 65536, 1024 * 1024
    produced = consumed = 0
    pos = 0
    while pos < len(payload) or inflater.unconsumed_tail:
        if inflater.unconsumed_tail:
            chunk = inflater.decompress(inflater.unconsumed_tail, out_step)
        else:
            piece = payload[pos : pos + step]
            pos += len(piece)
            consumed += len(piece)
            chunk = inflater.decompress(piece, out_step)
        produced += len(chunk)
        left -= len(chunk)
        if left < 0 or (produced > 4 * out_step and produced > ratio * max(consumed, 1)):
            raise refuse
        if inflater.eof:
            break
    return left


def read_sheet(data: bytes, filename: str = "", *, sheet: str | None = None,
               choose: Callable[[Sheet], float] | None = None) -> Sheet:
    """The named sheet of an .xlsx/.xls/CSV file — without a name, the first sheet ``choose`` scores
    2 or more (e.g. the one holding the ledger's whole header), else the first of the best scored (a
    partial header beats a 填表说明 sheet that names a column or two) — checked against every limit."""
    kind = _check_file(data, filename)
    if kind in (XLSX, XLS):
        return _read_workbook(data, kind, sheet, choose)
    return _read_csv_checked(data)


def _check_file(data: bytes, filename: str) -> str:
    """The file's format, after the checks made before anything is parsed (size, ZIP bomb, name)."""
    if not data:
        raise LedgerImportError("文件是空的")
    if len(data) > max_bytes():
        raise LedgerImportError(f"文件不能超过{_mb(max_bytes())}；请分成几个文件导入")
    kind = detect_format(data)
    if kind == XLSX:
        check_archive(data)
    if kind == CSV:
        lower = (filename or "").lower()
        if lower.endswith((".xlsx", ".xls")):
            raise LedgerImportError(f"文件扩展名是{lower[lower.rfind('.'):]}，但内容不是 Excel 工作簿，可能已损坏")
    return kind


def _read_csv_checked(data: bytes) -> Sheet:
    result = _read_csv(data)
    _check_shape(result)
    return result


def _open_workbook(data: bytes, kind: str) -> tuple[Any, list[str], dict[str, str], set[str]]:
    """calamine's workbook, its sheet names, each worksheet's part (.xlsx) and the hidden sheets."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
        hidden = {m.name for m in wb.sheets_metadata if str(m.visible).rsplit(".", 1)[-1] != "Visible"}
    except Exception:  # calamine raises several kinds for a file that is not a workbook
        raise LedgerImportError(f"文件不是有效的{FORMAT_NAMES[kind]}，可能已损坏或设置了密码") from None
    if not names:
        raise LedgerImportError("工作簿中没有工作表")
    return wb, names, _sheet_parts(data) if kind == XLSX else {}, hidden


def _read_one(data: bytes, kind: str, wb: Any, names: list[str], parts: dict[str, str], hidden: set[str],
              index: int) -> Sheet | None:
    if kind == XLSX and parts and names[index] not in parts:
        return None  # a chart sheet
    result = _read_excel(data, kind, wb, index, parts.get(names[index]))
    _check_shape(result)
    result.name, result.others = names[index], [n for n in names if n != names[index]]
    result.index, result.visible = index, names[index] not in hidden
    return result


def iter_sheets(data: bytes, filename: str = "") -> Iterator[Sheet]:
    """Every sheet of the file (up to ``MAX_SHEETS``), read and checked against the limits one at a
    time, in the workbook's order; a CSV is one sheet. A caller keeping several sheets enforces the
    row limit across them (``sheets.choose_sheets``)."""
    kind = _check_file(data, filename)
    if kind == CSV:
        yield _read_csv_checked(data)
        return
    wb, names, parts, hidden = _open_workbook(data, kind)
    for index in range(min(len(names), MAX_SHEETS)):
        result = _read_one(data, kind, wb, names, parts, hidden, index)
        if result is not None:
            yield result


def _read_workbook(data: bytes, kind: str, sheet_name: str | None,
                   choose: Callable[[Sheet], float] | None) -> Sheet:
    wb, names, parts, hidden = _open_workbook(data, kind)
    if sheet_name and sheet_name in names:
        order = [names.index(sheet_name)]
    elif choose is None:
        order = [0]
    else:  # the ledger may be on a later sheet (the first one being 填表说明): the first that has its header
        order = list(range(min(len(names), _MAX_SHEETS_TRIED)))
    best: tuple[float, Sheet] | None = None
    for index in order:
        result = _read_one(data, kind, wb, names, parts, hidden, index)
        if result is None:
            continue
        if choose is None:
            return result
        score = float(choose(result))
        if score >= 2:
            return result
        if best is None or score > best[0]:
            best = (score, result)
    if best is None:
        raise LedgerImportError("工作簿中没有工作表")
    return best[1]


_MAX_SHEETS_TRIED = 20
#: Sheets read of a workbook whose every sheet may hold part of the ledger (one per township: 26).
MAX_SHEETS = 64


def _read_excel(data: bytes, kind: str, wb: Any, index: int, part: str | None) -> Sheet:
    scan = _scan_sheet(data, part) if part else None
    if scan is not None and not scan.rows:
        return Sheet([], scan.merged, kind)
    try:
        if scan is not None and scan.sparse:  # a few cells far apart: calamine would fill the whole area
            return _read_sparse(data, index, scan)
        ws = wb.get_sheet_by_index(index)
        if scan is None:  # .xls: calamine's own extent (an .xls has at most 65,536 rows)
            if ws.total_height > limit("MAX_ROWS", 200_000) + 100:
                raise LedgerImportError(f"台账超过{limit('MAX_ROWS', 200_000)}行，请分批导入")
            if ws.total_width > limit("MAX_COLUMNS", 200):
                raise LedgerImportError(f"台账超过{limit('MAX_COLUMNS', 200)}列，请删去多余的列")
        start_row, start_col = ws.start or (0, 0)
        last = scan.last_row if scan is not None else None  # 1-based; nothing below it has content
        rows: list[Any] = [() for _ in range(start_row)]
        pad = [None] * start_col
        for number, r in enumerate(ws.iter_rows(), start=start_row + 1):
            if last is not None and number > last:
                break
            rows.append(_trimmed(pad + [_excel_value(v) for v in r]) if r else ())
        merged = list(ws.merged_cell_ranges or []) if kind == XLSX or hasattr(ws, "merged_cell_ranges") else []
    except LedgerImportError:
        raise
    except Exception:  # calamine raises several kinds for a file that is not a workbook
        what = FORMAT_NAMES[kind]
        raise LedgerImportError(f"文件不是有效的{what}，可能已损坏或设置了密码") from None
    _drop_trailing(rows)
    out = Sheet(rows, merged or [], kind, formulas=scan.formulas if scan is not None else set())
    if scan is not None:
        out.hidden_rows, out.filtered = scan.hidden, scan.filtered
    return out


def _read_sparse(data: bytes, index: int, scan: _Scan) -> Sheet:
    """The cells down to the last row with content and across to the last column with content,
    streamed by openpyxl (read-only): empty rows cost nothing."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb.worksheets[index]
        rows: list[Any] = []
        for r in ws.iter_rows(min_row=1, max_row=scan.last_row, max_col=max(scan.last_col, 1), values_only=True):
            rows.append(_trimmed([_excel_value(_midnight(v)) for v in r]) if any(v is not None for v in r) else ())
    finally:
        wb.close()
    _drop_trailing(rows)
    out = Sheet(rows, scan.merged, XLSX, formulas=scan.formulas)
    out.hidden_rows, out.filtered = scan.hidden, scan.filtered
    return out


def _midnight(v: Any) -> Any:
    """openpyxl gives a date cell as a datetime; calamine as a date when it has no time: the same."""
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date()
    return v


def _trimmed(cells: list[Any]) -> list[Any]:
    end = len(cells)
    while end and cells[end - 1] is None:
        end -= 1
    return cells[:end] if end < len(cells) else cells


def _drop_trailing(rows: list[Any]) -> None:
    while rows and not rows[-1]:
        rows.pop()


# --- a first look at an .xlsx sheet's XML: where its content really is ---------------------------------

_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_R_ATTR = re.compile(rb'\br="([A-Z]*)(\d*)"')
_T_ATTR = re.compile(rb'\bt="(\w+)"')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?(?:v|t)(?:\s[^>]*)?>[^<]|<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|t)(?:\s[^>]*)?>[^<]")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_FILTER = re.compile(rb"<(?:\w+:)?filterColumn\b")
#: Content this many empty rows below the rest is not part of the ledger.
MAX_GAP = 1000


@dataclass
class _Scan:
    last_row: int = 0  # 1-based, of the last row with content (above any isolated cell)
    last_col: int = 0  # 1-based, the widest row's last column with content
    rows: int = 0  # rows with content
    cells_row: int = 0  # the extent of the cells that have a value element, even an empty one
    cells_col: int = 0
    formulas: set[tuple[int, int]] = field(default_factory=set)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)  # rows (1-based) marked hidden="1"
    filtered: bool = False  # an autoFilter with a condition on a column

    @property
    def sparse(self) -> bool:
        """Whether calamine, which fills the whole area up to the last cell, would allocate far more
        than the content needs (an empty string or a lone cell far below or to the right)."""
        return self.cells_row * self.cells_col > 2 * self.rows * self.last_col + 500_000


def column_index(letters: bytes | str) -> int:
    """A → 1, Z → 26, AA → 27."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _sheet_parts(data: bytes) -> dict[str, str]:
    """Each worksheet's name → its part in the ZIP (xl/worksheets/sheet1.xml), from the workbook."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error):
        raise LedgerImportError("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏") from None
    targets = {}
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)", rels):
        rid = re.search(rb'\bId="([^"]*)"', m.group(1))
        target = re.search(rb'\bTarget="([^"]*)"', m.group(1))
        if rid and target:
            t = html.unescape(target.group(1).decode("utf-8", "replace"))
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    names = set(zf.namelist())
    out = {}
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)", book):
        name = re.search(rb'\bname="([^"]*)"', m.group(1))
        rid = re.search(rb'\b(?:\w+:)?id="([^"]*)"', m.group(1))
        part = targets.get(rid.group(1)) if rid else None
        if name and part in names and "/worksheets/" in part:
            out[html.unescape(name.group(1).decode("utf-8", "replace"))] = part
    return out


def _scan_sheet(data: bytes, part: str) -> _Scan:
    """Stream the sheet's XML once (1 MB at a time): the rows and columns that hold content, formula
    cells without a saved result, merged ranges. Refuses, before any cell is read, a sheet with more
    rows or columns of content than allowed, and content far below the rest (a stray cell)."""
    scan = _Scan()
    max_rows, max_cols = limit("MAX_ROWS", 200_000), limit("MAX_COLUMNS", 200)
    row_number = 0
    tail = b""
    tags: tuple[bytes, bytes] | None = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)).open(part) as f:
            while True:
                chunk = f.read(1024 * 1024)
                buf = tail + chunk
                if tags is None:
                    sd = _SHEET_DATA.search(buf)
                    if sd is None and chunk and len(buf) < 16 * 1024 * 1024:
                        tail = buf
                        continue
                    prefix = (sd.group(1) if sd else b"") or b""
                    tags = (b"<" + prefix + b"row", b"</" + prefix + b"row>")
                end = 0
                for attrs, body, after in _rows(buf, *tags):
                    end = after
                    r = _R_ATTR.search(attrs)
                    row_number = int(r.group(2)) if r and r.group(2) else row_number + 1
                    if _HIDDEN.search(attrs):
                        scan.hidden.add(row_number)
                    if body:
                        _scan_row(scan, row_number, body, max_cols)
                rest = buf[end:]
                start = rest.find(tags[0])
                if start >= 0 and chunk:  # a row not complete yet
                    tail = rest[start:]
                else:  # between or after the rows: keep only an element cut in two by the chunk
                    cut = max(rest.rfind(b"<"), 0) if chunk else len(rest)
                    _scan_merges(scan, rest[:cut])
                    tail = rest[cut:]
                if not chunk:
                    break
    except LedgerImportError:
        raise
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error):
        raise LedgerImportError("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏") from None
    if scan.rows > max_rows + 100:
        raise LedgerImportError(f"台账超过{max_rows}行，请分批导入")
    return scan


def _rows(buf: bytes, start_tag: bytes, end_tag: bytes):
    """(attributes, content, end offset) of each complete ``<row>`` element in ``buf``."""
    pos = 0
    n = len(start_tag)
    while True:
        i = buf.find(start_tag, pos)
        if i < 0:
            return
        j = buf.find(b">", i)
        if j < 0:
            return
        if buf[i + n : i + n + 1] not in (b" ", b">", b"/", b"\t", b"\n", b"\r"):  # <rowBreaks>
            pos = j + 1
            continue
        if buf[j - 1 : j] == b"/":  # <row r="5"/>: an empty row
            yield buf[i + n : j], b"", j + 1
            pos = j + 1
            continue
        k = buf.find(end_tag, j)
        if k < 0:
            return
        pos = k + len(end_tag)
        yield buf[i + n : j], buf[j + 1 : k], pos


def _scan_merges(scan: _Scan, text: bytes) -> None:
    if b"filterColumn" in text and _FILTER.search(text):
        scan.filtered = True
    for mm in _MERGE.finditer(text):
        c0, r0 = column_index(mm.group(1)), int(mm.group(2))
        c1, r1 = (column_index(mm.group(3)), int(mm.group(4))) if mm.group(3) else (c0, r0)
        scan.merged.append(((r0 - 1, c0 - 1), (r1 - 1, c1 - 1)))


def _scan_row(scan: _Scan, number: int, body: bytes, max_cols: int) -> None:
    if b"<f" not in body:  # the common row: its last cell tells its extent
        if not _VALUE.search(body):
            if b"</" not in body:
                return  # only formatted cells, no value element: calamine skips them too
            last = -1  # empty values (an empty text): no content, but calamine's area reaches them
        else:
            last = body.rfind(b"<c ")
        m = _CELL.match(body, last) if last >= 0 else None
        r = _R_ATTR.search(m.group(1)) if m else None
        if m and r and r.group(1) and m.group(2) and _VALUE.search(m.group(2)):
            col = column_index(r.group(1))
            scan.cells_row, scan.cells_col = max(scan.cells_row, number), max(scan.cells_col, col)
            _content(scan, number, col, max_cols)
            return
    col = 0
    content_col = 0
    for c in _CELL.finditer(body):
        attrs, inner = c.group(1), c.group(2)
        r = _R_ATTR.search(attrs)
        col = column_index(r.group(1)) if r and r.group(1) else col + 1
        if inner is None or not inner.strip():
            continue
        scan.cells_row, scan.cells_col = max(scan.cells_row, number), max(scan.cells_col, col)
        if not _HAS_VALUE.search(inner):
            continue
        if _FORMULA.search(inner) and not _VALUE.search(inner):
            t = _T_ATTR.search(attrs)
            if t and t.group(1) == b"str":
                continue  # Excel saved the formula's result: an empty text
            scan.formulas.add((number - 1, col - 1))
        content_col = col
    if content_col:
        _content(scan, number, content_col, max_cols)


def _content(scan: _Scan, number: int, col: int, max_cols: int) -> None:
    """Row ``number`` has content, its last in column ``col`` (1-based)."""
    if col > max_cols:
        raise LedgerImportError(f"第{number}行超过{max_cols}列（{column_letters(col)}{number}有内容），请删去多余的列")
    if number - scan.last_row - 1 > MAX_GAP and scan.rows:
        gap = number - scan.last_row - 1
        raise LedgerImportError(
            f"第{number}行有一个孤立的单元格（{column_letters(col)}{number}），与上面的台账（到第{scan.last_row}行）"
            f"隔了{gap}个空行；如不是台账的内容，请删除它后重新保存再导入")
    scan.rows += 1
    scan.last_row = number
    scan.last_col = max(scan.last_col, col)


def _excel_value(v: Any) -> Any:
    if v == "" or v is None:
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, str):
        return unquote(v)
    return v


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8（带 BOM）"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK/GB18030"
    except UnicodeDecodeError:
        raise LedgerImportError("无法识别文件的文字编码（应为 UTF-8 或 GBK 的 CSV，或 Excel 工作簿）") from None


def _read_csv(data: bytes) -> Sheet:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LedgerImportError("文件不是 Excel 工作簿（.xlsx/.xls）或 CSV 文本")
    text, encoding = _decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    max_rows = limit("MAX_ROWS", 200_000) + 100
    rows: list[Any] = []
    filled = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), dialect):
            cells = _trimmed([unquote(v.strip()) if v.strip() else None for v in record])
            rows.append(cells or ())
            filled += bool(cells)
            if filled > max_rows:
                raise LedgerImportError(f"台账超过{limit('MAX_ROWS', 200_000)}行，请分批导入")
    except csv.Error:
        raise LedgerImportError("CSV 文件格式有误（引号不配对）") from None
    _drop_trailing(rows)
    return Sheet(rows, [], CSV, encoding)


def _check_shape(sheet: Sheet) -> None:
    max_cell = limit("MAX_CELL", MAX_CELL)
    max_cols = limit("MAX_COLUMNS", 200)
    if sum(1 for r in sheet.rows if r) > limit("MAX_ROWS", 200_000) + 100:
        raise LedgerImportError(f"台账超过{limit('MAX_ROWS', 200_000)}行，请分批导入")
    for number, row in enumerate(sheet.rows, start=1):
        if len(row) > max_cols and any(v is not None for v in row[max_cols:]):
            raise LedgerImportError(f"第{number}行超过{max_cols}列，请删去多余的列")
        for idx, v in enumerate(row):
            if isinstance(v, str) and len(v) > max_cell:
                letters = column_letters(idx + 1)
                raise LedgerImportError(f"第{number}行{letters}列（单元格{letters}{number}）的内容超过{max_cell}个字"
                                        f"（有{len(v)}个字），请检查该单元格")
