"""Reading a ledger file: .xlsx, .xls or CSV, with every limit enforced before the parse.

``read_sheet(data, filename)`` returns a ``Sheet``: rows of cell values (text, numbers, dates, bools;
an empty cell is ``None``) and the merged ranges. The format is told by the bytes, not the name:

* .xlsx (a ZIP): the archive's directory is checked first — entries, declared sizes and ratios — and
  then every entry is inflated with a budget, so a bomb (a 300 KB file that unpacks to 400 MB,
  whatever its headers claim) is refused within a fraction of a second, before any XML is parsed.
* .xls (an OLE compound file, WPS and old Excel) and .xlsx are read by ``python-calamine`` (Rust).
* CSV: UTF-8 with or without BOM, else GB18030 (a superset of GBK); comma, tab or semicolon; a
  ``'`` that an export put before a formula character is removed again (``safe.unquote``).

Limits (settings, with these defaults): ``ANMIN_LEDGER_MAX_BYTES`` 20 MB for the file,
``ANMIN_LEDGER_MAX_UNPACKED_BYTES`` 200 MB unpacked, ``ANMIN_LEDGER_MAX_RATIO`` 100 per entry,
``ANMIN_LEDGER_MAX_ROWS`` 200,000 rows, ``ANMIN_LEDGER_MAX_COLUMNS`` 200, ``ANMIN_LEDGER_MAX_CELL``
5,000 characters per cell. Every refusal is a ``LedgerImportError`` with a Chinese message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
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


def max_bytes() -> int:
    return limit("MAX_BYTES", 20 * 1024 * 1024)


@dataclass
class Sheet:
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # 0-based, inclusive
    format: str = XLSX
    encoding: str = ""


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


def read_sheet(data: bytes, filename: str = "", *, sheet: str | None = None) -> Sheet:
    """The first (or the named) sheet of an .xlsx/.xls/CSV file, checked against every limit."""
    if not data:
        raise LedgerImportError("文件是空的")
    if len(data) > max_bytes():
        raise LedgerImportError(f"文件不能超过{_mb(max_bytes())}；请分成几个文件导入")
    kind = detect_format(data)
    if kind == XLSX:
        check_archive(data)
    if kind in (XLSX, XLS):
        result = _read_excel(data, kind, sheet)
    else:
        lower = (filename or "").lower()
        if lower.endswith((".xlsx", ".xls")):
            raise LedgerImportError(f"文件扩展名是{lower[lower.rfind('.'):]}，但内容不是 Excel 工作簿，可能已损坏")
        result = _read_csv(data)
    _check_shape(result)
    return result


def _read_excel(data: bytes, kind: str, sheet_name: str | None) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = wb.sheet_names
        if not names:
            raise LedgerImportError("工作簿中没有工作表")
        ws = wb.get_sheet_by_name(sheet_name) if sheet_name and sheet_name in names else wb.get_sheet_by_index(0)
        if ws.total_height > limit("MAX_ROWS", 200_000) + 100:
            raise LedgerImportError(f"台账超过{limit('MAX_ROWS', 200_000)}行，请分批导入")
        if ws.total_width > limit("MAX_COLUMNS", 200):
            raise LedgerImportError(f"台账超过{limit('MAX_COLUMNS', 200)}列，请删去多余的列")
        rows = ws.to_python(skip_empty_area=False)
        merged = list(ws.merged_cell_ranges or []) if kind == XLSX or hasattr(ws, "merged_cell_ranges") else []
    except LedgerImportError:
        raise
    except Exception:  # calamine raises several kinds for a file that is not a workbook
        what = FORMAT_NAMES[kind]
        raise LedgerImportError(f"文件不是有效的{what}，可能已损坏或设置了密码") from None
    start_row, start_col = ws.start or (0, 0)
    if start_row or start_col:  # calamine's range starts at the first used cell: pad to A1
        rows = [[None] * start_col + list(r) for r in rows]
        rows = [[] for _ in range(start_row)] + rows
    return Sheet([[_excel_value(v) for v in r] for r in rows], merged or [], kind)


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
    rows: list[list[Any]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append([unquote(v.strip()) if v.strip() else None for v in record])
            if len(rows) > max_rows:
                raise LedgerImportError(f"台账超过{limit('MAX_ROWS', 200_000)}行，请分批导入")
    except csv.Error:
        raise LedgerImportError("CSV 文件格式有误（引号不配对）") from None
    return Sheet(rows, [], CSV, encoding)


def _check_shape(sheet: Sheet) -> None:
    max_cell = limit("MAX_CELL", 5000)
    max_cols = limit("MAX_COLUMNS", 200)
    if len(sheet.rows) > limit("MAX_ROWS", 200_000) + 100:
        raise LedgerImportError(f"台账超过{limit('MAX_ROWS', 200_000)}行，请分批导入")
    for number, row in enumerate(sheet.rows, start=1):
        if len(row) > max_cols and any(v is not None for v in row[max_cols:]):
            raise LedgerImportError(f"第{number}行超过{max_cols}列，请删去多余的列")
        for idx, v in enumerate(row):
            if isinstance(v, str) and len(v) > max_cell:
                raise LedgerImportError(f"第{number}行第{idx + 1}列的内容超过{max_cell}个字，请检查该单元格")
