"""Two-way anonymous contact: the tipster's passphrase is kept only as a slow hash; with the receipt
code and the passphrase the tipster reads the office's questions and answers them anonymously (the
answer lands on the clue's timeline, written by the platform); ten wrong passphrases lock the receipt
for an hour, even against the right one; the office's page has 向举报人提问."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from anmin.core import clock
from anmin.core.actors import SYSTEM
from anmin.core.errors import Forbidden
from anmin.crackdown import actions as crackdown
from anmin.crackdown.models import Clue
from anmin.portal.models import Tip
from anmin.workflow.models import CaseEvent

from .conftest import OFFICE_PASSPHRASE

PASS = "willow bridge 77"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _submit(client) -> str:
    page = client.post("/portal/tip/", {"submit_key": "t" * 24, "category": "mafia", "passphrase": PASS,
                                        "passphrase2": PASS, "text": "鸿畅镇某物流园有人收保护费，不交就砸车。"})
    return re.search(r"data-receipt-code>(\d{16})<", page.content.decode()).group(1)


def _open(client, code, passphrase=PASS):
    return client.post("/portal/receipt/", {"code": code, "passphrase": passphrase})


def test_the_office_asks_and_the_tipster_answers_anonymously(world):
    client = Client()
    code = _submit(client)
    tip = Tip.objects.get()
    assert PASS not in tip.passphrase_hash
    assert tip.passphrase_hash.startswith(("md5$", "pbkdf2", "argon2", "bcrypt", "scrypt"))
    clue = Clue.objects.get()
    office = world.user("crackdown")
    office_client = Client()
    office_client.force_login(office)
    detail = office_client.get(f"/crackdown/{clue.pk}/").content.decode()
    assert f"/crackdown/{clue.pk}/ask/" in detail
    asked = office_client.post(f"/crackdown/{clue.pk}/ask/", {"question": "收保护费的人大概几点出现？开什么车？",
                                                               "version": clue.case.version})
    assert asked.status_code in (200, 302)
    page = _open(client, code).content.decode()
    assert "收保护费的人大概几点出现？开什么车？" in page
    assert office.username not in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    answered = client.post("/portal/receipt/answer/",
                           {"token": token, "answer": "每天晚上八点左右，开一辆白色面包车。"})
    assert answered.status_code == 200
    # Sealed to the office: the tipster reads that it went, not its text (nor does the timeline).
    assert "您的补充已加密提交" in answered.content.decode()
    event = CaseEvent.objects.get(case=clue.case, action="reporter_answer")
    assert "每天晚上八点左右" not in event.reason + str(event.data)
    assert event.actor_id is None  # the platform wrote it: nobody's account
    # The office reads the answer once it has unlocked its key.
    assert "每天晚上八点左右" not in office_client.get(f"/crackdown/{clue.pk}/").content.decode()
    office_client.post("/crackdown/tips/unlock/", {"passphrase": OFFICE_PASSPHRASE})
    assert "每天晚上八点左右" in office_client.get(f"/crackdown/{clue.pk}/").content.decode()
    # A forged token is refused.
    forged = client.post("/portal/receipt/answer/", {"token": token[:-2] + "xx", "answer": "伪造的补充内容"})
    assert forged.status_code == 403
    assert not CaseEvent.objects.filter(reason="伪造的补充内容").exists()


def test_only_the_platform_writes_a_reporter_answer(world):
    clue = crackdown.register_clue(actor=SYSTEM, title="网上举报", region=world.city,
                                   description="某人强揽工程，威胁他人。", source="online")
    with pytest.raises(Forbidden):
        crackdown.add_reporter_answer(actor=world.user("crackdown"), clue=clue, answer="冒充举报人")


def test_ten_wrong_passphrases_lock_the_receipt(world, monkeypatch):
    client = Client()
    code = _submit(client)
    for _ in range(9):
        assert _open(client, code, "wrong passphrase").status_code == 400
    assert _open(client, code).status_code == 200  # the right one still opens (and resets the count)
    for _ in range(10):
        _open(client, code, "wrong passphrase")
    locked = _open(client, code)  # the right passphrase, while locked
    assert locked.status_code == 400
    assert "锁定" in locked.content.decode()
    assert "data-conversation" not in locked.content.decode()
    later = clock.now() + timedelta(minutes=61)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert _open(client, code).status_code == 200
