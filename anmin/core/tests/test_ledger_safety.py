"""Safe ledger files: no export writes a live formula (and the value round-trips), and a ZIP bomb
is refused before any parse, within a second, with a Chinese message."""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile

import pytest
from openpyxl import Workbook

from anmin.core import ledgers
from anmin.core.ledgers import files, safe
from anmin.core.tables import Column as TableColumn
from anmin.core.tables import Table

EVIL = ("=cmd|' /C calc'!A0", '=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def no_formula(data: bytes) -> None:
    xml = sheet_xml(data)
    assert "<f>" not in xml, "an export holds a live formula"
    assert "<f " not in xml, "an export holds a live formula"


class EvilLedger(ledgers.Ledger):
    key = "tests.evil"
    title = "测试台账"
    columns = (
        ledgers.Column("名称", "name", ledgers.text(max_length=200), required=True),
        ledgers.Column("备注", "note", ledgers.text()),
    )


def test_every_registered_ledger_writes_formula_like_text_as_text():
    found = ledgers.all_ledgers()
    assert {"disputes.ledger", "people.residents"} <= set(found)
    for key, cls in found.items():

        class Evil(cls):
            def export_value(self, col, obj, *, reveal):
                return EVIL[hash(col.field) % len(EVIL)]

        buf = io.BytesIO()
        Evil(user=None).write_workbook(buf, [object(), object()])
        no_formula(buf.getvalue())
        assert "cmd|" in sheet_xml(buf.getvalue()) or key  # the text itself is kept


def test_an_evil_value_round_trips_through_export_and_import(db):
    objs = [type("O", (), {"name": v, "note": v})() for v in EVIL]
    data = EvilLedger().workbook(objs)
    no_formula(data)
    report = EvilLedger().dry_run(data)
    assert report.errors == []
    # NFKC/strip normalise whitespace: compare what a user typed, minus leading control characters
    assert [r.values["name"] for r in report.rows] == [v.strip() for v in EVIL]


def test_csv_export_prefixes_and_the_import_removes_the_prefix():
    out = io.StringIO()
    objs = [type("O", (), {"name": v, "note": "普通"})() for v in EVIL[:5]]
    EvilLedger().write_csv(out, objs)
    text = out.getvalue()
    assert "\n=cmd" not in text
    assert "'=cmd|" in text
    report = EvilLedger().dry_run(text.encode("utf-8-sig"), filename="x.csv")
    assert [r.values["name"] for r in report.rows] == list(EVIL[:5])


def test_the_generic_table_export_writes_no_formula():
    class T(Table):
        columns = (TableColumn("title", "标题"), TableColumn("n", "数"))

    rows = [type("R", (), {"title": v, "n": 3})() for v in EVIL]
    resp = T(rows).to_xlsx(title="事件", filename="事件")
    data = resp.content
    no_formula(data)
    from openpyxl import load_workbook

    values = [r[0] for r in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)]
    assert values == list(EVIL)


def test_safe_helpers():
    assert safe.csv_value("=1") == "'=1"
    assert safe.csv_value("正常") == "正常"
    assert safe.csv_value(5) == 5
    assert safe.unquote("'=1") == "=1"
    assert safe.unquote("'普通") == "'普通"


# --- bombs ---------------------------------------------------------------------------------------------


def bomb(unpacked: int = 400 * 1024 * 1024, *, lie: bool = False) -> bytes:
    buf = io.BytesIO()
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for _ in range(unpacked // len(chunk)):
                f.write(chunk)
    data = bytearray(buf.getvalue())
    if lie:  # headers that claim the sheet is 1 KB
        for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            for m in re.finditer(re.escape(sig), bytes(data)):
                name_len = struct.unpack("<H", data[m.start() + (26 if sig == b"PK\x03\x04" else 28):][:2])[0]
                start = m.start() + (30 if sig == b"PK\x03\x04" else 46)
                if data[start : start + name_len] == b"xl/worksheets/sheet1.xml":
                    data[m.start() + off : m.start() + off + 4] = struct.pack("<I", 1024)
    return bytes(data)


@pytest.mark.parametrize("lie", [False, True], ids=["honest", "lying-headers"])
def test_a_zip_bomb_is_refused_within_a_second(lie):
    data = bomb(lie=lie)
    assert len(data) < 1024 * 1024  # ≈ 400 KB on disk
    started = time.monotonic()
    report = EvilLedger().dry_run(data, filename="台账.xlsx")
    took = time.monotonic() - started
    assert took < 1.0, took
    assert report.rows == []
    msg = report.file_errors[0].message
    assert "压缩炸弹" in msg or "损坏" in msg, msg


def test_limits_on_size_rows_columns_and_cells(settings):
    settings.ANMIN_LEDGER_MAX_ROWS = 50
    settings.ANMIN_LEDGER_MAX_CELL = 100
    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "备注"])
    for i in range(60):
        ws.append([f"第{i}", "x"])
    buf = io.BytesIO()
    wb.save(buf)
    assert "超过50行" in EvilLedger().dry_run(buf.getvalue()).file_errors[0].message
    ws = Workbook().active
    ws.append(["名称", "备注"])
    ws.append(["a", "长" * 101])
    buf = io.BytesIO()
    ws.parent.save(buf)
    assert "超过100个字" in EvilLedger().dry_run(buf.getvalue()).file_errors[0].message
    settings.ANMIN_LEDGER_MAX_BYTES = 1000
    with pytest.raises(ledgers.LedgerImportError, match="不能超过"):
        files.read_sheet(b"x" * 1001)
