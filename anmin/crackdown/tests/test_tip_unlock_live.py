"""The 扫黑办 unlocks its tip key, reads an online tip and downloads its photo — outside a test's own
transaction, as a server runs them. The audit entry of each was written outside any transaction and
audit.record refused it: every 解锁 (right or wrong passphrase) ended in 服务器内部错误; the tests that
ran inside their test transaction never saw it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry
from anmin.crackdown import actions
from anmin.crackdown.models import TipFile

pytestmark = pytest.mark.django_db(transaction=True)

PASS = "office passphrase 2020"


@pytest.fixture(autouse=True)
def _fast_kdf(settings):
    settings.ANMIN_TIP_KDF = "min"


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile("现场.png", out.getvalue(), content_type="image/png")


def test_the_office_unlocks_reads_a_tip_and_downloads_its_file(world):
    actions.set_up_tip_key(actor=SYSTEM, passphrase=PASS)
    clue = actions.register_tip(actor=SYSTEM, title="网上举报", region=world.city,
                                text="某村村霸强占集体土地，威胁村干部。", files=[_photo()])
    office = Client(raise_request_exception=False)
    office.force_login(world.user("crackdown"))

    back = f"/crackdown/{clue.pk}/"
    wrong = office.post("/crackdown/tips/unlock/", {"passphrase": "not the passphrase", "next": back})
    assert wrong.status_code in (200, 400)
    assert "密钥口令不正确" in wrong.content.decode()
    assert AuditEntry.objects.filter(action="reveal", reason="解锁举报密钥：口令错误").count() == 1

    right = office.post("/crackdown/tips/unlock/", {"passphrase": PASS, "next": back})
    assert right.status_code == 302
    page = office.get(f"/crackdown/{clue.pk}/")
    assert page.status_code == 200
    assert "村霸强占集体土地" in page.content.decode()
    assert AuditEntry.objects.filter(action="reveal", reason="查看加密举报内容").count() == 1

    download = office.get(f"/crackdown/tips/files/{TipFile.objects.get().pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert AuditEntry.objects.filter(action="download", reason="下载加密举报附件").count() == 1
