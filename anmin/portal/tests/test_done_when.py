"""Issue 15's test of the tip line, end to end: a tip with a photo goes in through the portal from a
known address and user agent; then the whole database (every row of every table, and dumpdata),
every log record and log file written during the test and the cache hold neither; the tip's text and
the photo (its content and its camera metadata) are not in the database in plain; the 扫黑办 reads
both only after unlocking its key, answers; the tipster reads the answer with code + passphrase, and
ten wrong passphrases lock the receipt."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import pickle
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from PIL import Image

from anmin.crackdown.models import Clue, TipFile
from anmin.portal.models import Tip

from .conftest import OFFICE_PASSPHRASE

IP, UA, FWD = "203.0.113.77", "Mozilla/5.0 (Linux; Android 9; TipsterPhone-Z3)", "192.0.2.199"
CLIENT = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": UA, "HTTP_X_FORWARDED_FOR": FWD}
TEXT = "钧台街道某砂石场老板纠集社会闲散人员垄断运输，殴打不服从的货车司机。"
PASS = "orchid lantern 41"
CAMERA = "TipsterCamModel9"


def _photo() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0110] = CAMERA + "-model"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (34.0, 9.0, 12.5)
    out = io.BytesIO()
    Image.new("RGB", (96, 64), (20, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _database_dump() -> bytes:
    """Every value of every row of every table, as bytes, plus ``dumpdata`` of every app."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        parts.append(bytes(value))
                    elif value is not None:
                        parts.append(str(value).encode())
    out = io.StringIO()
    call_command("dumpdata", stdout=out, verbosity=0)
    parts.append(out.getvalue().encode())
    return b"\n".join(parts)


def _cache_contents() -> bytes:
    parts = []
    for cache in caches.all():
        for key, value in getattr(cache, "_cache", {}).items():
            parts.append(str(key).encode())
            parts.append(value if isinstance(value, bytes) else pickle.dumps(value))
            with contextlib.suppress(Exception):
                parts.append(str(pickle.loads(value)).encode())  # noqa: S301 (our own test cache)
    return b"\n".join(parts)


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "anmin.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s %(args)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield path
    root.removeHandler(handler)
    handler.close()


def _identifying(blob: bytes) -> list[str]:
    return [s for s in (IP, UA, "TipsterPhone", FWD, "203.0.113") if s.encode() in blob]


def test_a_tip_with_a_photo_leaves_no_trace_of_the_tipster_and_only_the_office_reads_it(
        world, caplog, log_file, settings):
    caplog.set_level(logging.DEBUG)
    tipster = Client(**CLIENT)
    form = tipster.get("/portal/tip/").content.decode()
    submit_key = re.search(r'name="submit_key" value="([^"]+)"', form).group(1)
    photo = io.BytesIO(_photo())
    photo.name = f"IMG_{CAMERA}.jpg"
    done = tipster.post("/portal/tip/", {"submit_key": submit_key, "category": "mafia", "text": TEXT,
                                         "passphrase": PASS, "passphrase2": PASS, "files": [photo]})
    assert done.status_code == 200, done.content.decode()
    code = re.search(r"data-receipt-code>(\d{16})<", done.content.decode()).group(1)
    assert tipster.post("/portal/receipt/", {"code": code, "passphrase": PASS}).status_code == 200

    clue = Clue.objects.get()
    tip_file = TipFile.objects.get(clue=clue)
    assert Tip.objects.get().clue == clue

    # The office: the page says the tip is sealed until the key is unlocked.
    office = Client(REMOTE_ADDR="10.20.30.40", HTTP_USER_AGENT="OfficeDesktop/1.0")
    office.force_login(world.user("crackdown"))
    locked = office.get(f"/crackdown/{clue.pk}/").content.decode()
    assert TEXT not in locked
    assert "data-tip-locked" in locked
    assert office.get(f"/crackdown/tips/files/{tip_file.pk}/").status_code == 302  # to 解锁 first
    assert office.post("/crackdown/tips/unlock/", {"passphrase": "not the passphrase"}).status_code == 400
    unlocked = office.post("/crackdown/tips/unlock/", {"passphrase": OFFICE_PASSPHRASE,
                                                        "next": f"/crackdown/{clue.pk}/"})
    assert unlocked.status_code == 302
    page = office.get(f"/crackdown/{clue.pk}/").content.decode()
    assert TEXT in page
    assert "data-tip-file" in page
    download = office.get(f"/crackdown/tips/files/{tip_file.pk}/")
    assert download.status_code == 200
    served = download.content
    assert served.startswith(b"\xff\xd8")  # a JPEG …
    assert not Image.open(io.BytesIO(served)).getexif()  # … without the camera's metadata or GPS
    assert CAMERA.encode() not in served
    # 答复举报人 and a question, from the clue's page.
    version = Clue.objects.get().case.version
    assert office.post(f"/crackdown/{clue.pk}/feedback/", {"feedback": "已转交公安机关核查，感谢您的举报。",
                                                           "version": version}).status_code in (200, 302)
    assert office.post(f"/crackdown/{clue.pk}/ask/", {"question": "砂石场在哪条路上？",
                                                      "version": version}).status_code in (200, 302)

    # The tipster reads the answer with code + passphrase and adds something.
    opened = tipster.post("/portal/receipt/", {"code": code, "passphrase": PASS}).content.decode()
    assert "已转交公安机关核查" in opened
    assert "砂石场在哪条路上？" in opened
    token = re.search(r'name="token" value="([^"]+)"', opened).group(1)
    assert tipster.post("/portal/receipt/answer/", {"token": token, "answer": "在许禹公路北侧，紫云路口往西。"},
                        ).status_code == 200
    assert "许禹公路北侧" in office.get(f"/crackdown/{clue.pk}/").content.decode()

    # Every unlock (the wrong one too) and every read is in the audit log.
    from anmin.core.models import AuditEntry

    reveals = list(AuditEntry.objects.filter(action__in=["reveal", "download"]).values_list("reason", flat=True))
    assert "解锁举报密钥：口令错误" in reveals
    assert "解锁举报密钥" in reveals
    assert "查看加密举报内容" in reveals
    assert "下载加密举报附件" in reveals

    # Ten wrong passphrases lock the receipt (even against the right one).
    for _ in range(10):
        tipster.post("/portal/receipt/", {"code": code, "passphrase": "wrong guess 123"})
    refused = tipster.post("/portal/receipt/", {"code": code, "passphrase": PASS})
    assert refused.status_code == 400
    assert "锁定" in refused.content.decode()

    # Now the traces: database, logs (records and the file), cache.
    dump = _database_dump()
    assert "网上举报内容已加密".encode() in dump
    assert clue.case.number.encode() in dump
    assert _identifying(dump) == []
    for plain in (TEXT, "许禹公路北侧", CAMERA, PASS, code):
        assert plain.encode() not in dump, plain
    middle = served[len(served) // 2: len(served) // 2 + 48]
    assert middle not in dump  # the photo's content is sealed too
    records = "\n".join(f"{r.name} {r.getMessage()} {r.args!r} {getattr(r, 'request', '')!r}"
                        for r in caplog.records).encode()
    assert b"10.20.30.40" in records  # the office's requests are logged with their address …
    assert _identifying(records) == []  # … the tipster's without
    assert TEXT.encode() not in records
    written = log_file.read_bytes()
    assert b"/portal/tip/" in written
    assert _identifying(written) == []
    cached = _cache_contents()
    assert b"portal:" in cached  # the rate limit's counters are there, keyed
    assert _identifying(cached) == []
    assert json.dumps(TEXT, ensure_ascii=False).encode()[1:-1] not in cached
