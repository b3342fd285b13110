"""The 扫黑办's tip key: generated with a passphrase (the private key only wrapped, never stored in
plain), a wrong passphrase refused and audited, the passphrase changed, a new key pair made without
losing the old tips, plain tips from before sealing sealed when a key is made, the unlock kept only for
a while and only in this browser, the key page and ``anmin tipkey`` — and a unit a clue is handed to
cannot unlock."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from anmin.core import clock
from anmin.core.actors import SYSTEM
from anmin.core.errors import Forbidden, Invalid
from anmin.core.models import AuditEntry, Role
from anmin.crackdown import actions, sealing, vault
from anmin.crackdown.actions import tips
from anmin.crackdown.models import Clue, TipKey
from anmin.workflow.models import Case

FIRST, SECOND = "first office passphrase", "second office passphrase"


@pytest.fixture(autouse=True)
def _fast_kdf(settings):
    settings.ANMIN_TIP_KDF = "min"


def _tip(world, text="某村村霸强占集体土地，威胁村干部。"):
    return actions.register_tip(actor=SYSTEM, title="网上举报", region=world.city, text=text)


def test_the_private_key_is_kept_only_wrapped_and_opens_with_the_passphrase(world):
    key = actions.set_up_tip_key(actor=world.user("crackdown"), passphrase=FIRST)
    clue = _tip(world)
    stored = bytes(TipKey.objects.get().wrapped_private)
    opened = actions.unlock_tip_keys(actor=world.user("crackdown"), passphrase=FIRST)
    private = opened[key.pk]
    assert private not in stored  # the wrapped key is not the key
    assert sealing.public_of(private) == key.public_key
    assert "村霸" not in Clue.objects.get().case.description
    assert "村霸" in actions.read_tip(actor=world.user("crackdown"), clue=clue, keys=opened).text
    with pytest.raises(Invalid):
        actions.unlock_tip_keys(actor=world.user("crackdown"), passphrase="not it at all")
    reasons = list(AuditEntry.objects.filter(action="reveal").values_list("reason", flat=True))
    assert "解锁举报密钥：口令错误" in reasons
    with pytest.raises(Invalid):
        actions.set_up_tip_key(actor=world.user("crackdown"), passphrase="short")


def test_tips_are_refused_until_the_office_has_a_key(world):
    from anmin.core.errors import Conflict

    with pytest.raises(Conflict):
        _tip(world)


def test_a_new_passphrase_and_a_new_key_keep_the_old_tips_readable(world):
    office = world.user("crackdown")
    first = actions.set_up_tip_key(actor=office, passphrase=FIRST)
    old_clue = _tip(world, "旧举报：某砂场老板强揽运输业务。")
    assert actions.change_tip_passphrase(actor=office, old_passphrase=FIRST, passphrase=SECOND) == 1
    with pytest.raises(Invalid):
        actions.unlock_tip_keys(actor=office, passphrase=FIRST)
    with pytest.raises(Invalid):  # a new key needs the current passphrase
        actions.set_up_tip_key(actor=office, passphrase=FIRST, old_passphrase="wrong passphrase!")
    second = actions.set_up_tip_key(actor=office, passphrase=FIRST, old_passphrase=SECOND)
    assert list(TipKey.objects.filter(active=True)) == [second]
    new_clue = _tip(world, "新举报：某KTV老板放高利贷。")
    assert Clue.objects.get(pk=new_clue.pk).sealed_key == second
    keys = actions.unlock_tip_keys(actor=office, passphrase=FIRST)
    assert set(keys) == {first.pk, second.pk}
    assert "砂场" in actions.read_tip(actor=office, clue=old_clue, keys=keys).text
    assert "高利贷" in actions.read_tip(actor=office, clue=new_clue, keys=keys).text


def test_plain_tips_from_before_sealing_are_sealed_when_the_key_is_made(world):
    clue = actions.register_clue(actor=SYSTEM, title="网上举报（涉黑涉恶）", region=world.city,
                                 description="早先的举报：某人组织赌博。", source="online")
    staff_clue = actions.register_clue(actor=world.user("crackdown"), title="来信", region=world.city,
                                       description="扫黑办登记的线索。", source="letter")
    actions.set_up_tip_key(actor=SYSTEM, passphrase=FIRST)
    assert Case.objects.get(pk=clue.case_id).description == tips.SEALED_TEXT
    assert Case.objects.get(pk=staff_clue.case_id).description == "扫黑办登记的线索。"
    keys = actions.unlock_tip_keys(actor=SYSTEM, passphrase=FIRST)
    assert actions.read_tip(actor=SYSTEM, clue=clue, keys=keys).text == "早先的举报：某人组织赌博。"


def test_only_the_office_unlocks(world):
    actions.set_up_tip_key(actor=SYSTEM, passphrase=FIRST)
    with pytest.raises(Forbidden):
        actions.unlock_tip_keys(actor=world.user(Role.DEPT_HANDLER), passphrase=FIRST)
    handler = Client()
    handler.force_login(world.user(Role.DEPT_HANDLER))
    assert handler.get("/crackdown/tips/unlock/").status_code == 403
    assert handler.post("/crackdown/tips/key/", {"passphrase": SECOND, "passphrase2": SECOND}).status_code == 403


def test_the_unlock_lives_in_this_browser_for_half_an_hour(world, monkeypatch):
    actions.set_up_tip_key(actor=SYSTEM, passphrase=FIRST)
    clue = _tip(world)
    office = Client()
    office.force_login(world.user("crackdown"))
    response = office.post("/crackdown/tips/unlock/", {"passphrase": FIRST, "next": f"/crackdown/{clue.pk}/"})
    assert response.status_code == 302
    assert response.url == f"/crackdown/{clue.pk}/"
    cookie = response.cookies[vault.COOKIE]
    assert cookie["httponly"]
    assert cookie["path"] == "/crackdown/"
    assert cookie["samesite"] == "Strict"
    assert "村霸" in office.get(f"/crackdown/{clue.pk}/").content.decode()
    # The session alone (what the database holds) does not open the keys; the cookie alone neither.
    other = Client()
    other.force_login(world.user("crackdown"))
    other.cookies[vault.COOKIE] = cookie.value
    assert "村霸" not in other.get(f"/crackdown/{clue.pk}/").content.decode()
    del office.cookies[vault.COOKIE]
    assert "村霸" not in office.get(f"/crackdown/{clue.pk}/").content.decode()
    office.cookies[vault.COOKIE] = cookie.value
    assert "村霸" in office.get(f"/crackdown/{clue.pk}/").content.decode()
    later = clock.now() + timedelta(minutes=vault.UNLOCK_MINUTES + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "村霸" not in office.get(f"/crackdown/{clue.pk}/").content.decode()


def test_the_key_page_generates_and_changes_the_passphrase(world):
    office = Client()
    office.force_login(world.user("crackdown"))
    assert "data-no-key" in office.get("/crackdown/tips/key/").content.decode()
    made = office.post("/crackdown/tips/key/", {"passphrase": FIRST, "passphrase2": FIRST})
    assert made.status_code == 302
    assert TipKey.objects.count() == 1
    wrong = office.post("/crackdown/tips/key/", {"old_passphrase": "nope nope nope", "passphrase": SECOND,
                                                 "passphrase2": SECOND})
    assert wrong.status_code == 400
    changed = office.post("/crackdown/tips/key/", {"old_passphrase": FIRST, "passphrase": SECOND,
                                                   "passphrase2": SECOND})
    assert changed.status_code == 302
    assert actions.unlock_tip_keys(actor=SYSTEM, passphrase=SECOND)


def test_the_tipkey_command(world, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{FIRST}\n"))
    call_command("tipkey", "generate", "--stdin", stdout=out)
    assert "已生成" in out.getvalue()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{FIRST}\n{SECOND}\n"))
    call_command("tipkey", "passphrase", "--stdin", stdout=out)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{SECOND}\n{FIRST}\n"))
    call_command("tipkey", "generate", "--new-key", "--stdin", stdout=out)
    call_command("tipkey", "status", stdout=out)
    assert out.getvalue().count("…") >= 3
    assert len(actions.unlock_tip_keys(actor=SYSTEM, passphrase=FIRST)) == 2
