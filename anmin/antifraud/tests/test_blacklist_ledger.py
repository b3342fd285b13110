"""The 涉诈黑名单 kept on pages (it had none: the portal's 反诈查询 answered from a list nobody could fill):
an office's list imported (one column of numbers, written as people write them), a value listed by
hand, taken off with its reason, and the public check following each step."""

from __future__ import annotations

import pytest

from anmin.antifraud import actions
from anmin.antifraud.blacklist_pages import BlacklistLedger
from anmin.antifraud.models import BlacklistEntry, EntryKind
from anmin.core import ledgers
from anmin.core.models import AuditEntry, Role
from anmin.core.testing import sheets

pytestmark = pytest.mark.django_db


def _known(kind, value) -> bool:
    return actions.public_check(kind, value)["known"]


def test_an_offices_list_of_numbers_imports_with_the_kind_read_from_each_value(world):
    police = world.user(Role.POLICE)
    data = sheets.xlsx([
        ["市反诈中心推送涉诈号码清单"],
        ["序号", "涉诈号码", "下发日期", "备注"],
        [1, "+86 171-0000-0001", "2020-11-02", ""],
        [2, "6222 0212 3456 7890 123", "2020-11-02", ""],
        [3, "https://www.JD-tuikuan.cc/", "2020-11-03", ""],
        [4, "171 0000 0001", "2020-11-03", "与第1行为同一号码"],
        [5, "退款客服", "2020-11-03", ""],
    ])
    dry = BlacklistLedger(user=police).dry_run(data)
    assert [(e.row, e.column) for e in dry.errors] == [(6, "号码/账户/网址"), (7, "号码/账户/网址")]
    assert "与第3行重复" in dry.errors[0].message
    assert "不像电话号码、银行账户或网址" in dry.errors[1].message
    result = BlacklistLedger(user=police).run_import(dry, mode=ledgers.VALID_ONLY)
    assert result.imported == 3
    assert set(BlacklistEntry.objects.values_list("kind", "value")) == {
        (EntryKind.PHONE, "17100000001"), (EntryKind.ACCOUNT, "6222021234567890123"),
        (EntryKind.URL, "jd-tuikuan.cc")}
    assert _known("phone", "171-0000-0001")
    assert _known("url", "http://jd-tuikuan.cc/pay?x=1")
    # The same list again: nothing new, nothing refused.
    again = BlacklistLedger(user=police).dry_run(sheets.xlsx([["涉诈号码"], ["17100000001"], ["jd-tuikuan.cc"]]))
    assert not again.errors
    assert again.new_count == 0
    assert again.existing_count == 2


def test_a_township_centre_may_read_the_list_but_not_import_it(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get("/antifraud/blacklist/")
    assert page.status_code == 200
    assert "列入黑名单" not in page.content.decode()
    assert client.get("/antifraud/blacklist/new/").status_code == 404
    with pytest.raises(Exception, match="权限"):
        BlacklistLedger(user=world.user(Role.TOWNSHIP_CENTER)).run_import(
            BlacklistLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(
                sheets.xlsx([["涉诈号码"], ["17100000009"]])), mode=ledgers.VALID_ONLY)
    assert not BlacklistEntry.objects.exists()


def test_the_police_list_a_number_by_hand_and_take_it_off_with_a_reason(client, world):
    client.force_login(world.user(Role.POLICE))
    listing = client.get("/antifraud/blacklist/").content.decode()
    assert "/antifraud/blacklist/new/" in listing
    post = {"kind": "phone", "value": "171 2345 6789", "source": "本所侦办案件", "idempotency_key": "b" * 32}
    r = client.post("/antifraud/blacklist/new/", post)
    entry = BlacklistEntry.objects.get()
    assert r.status_code == 302
    assert r["Location"] == entry.get_absolute_url()
    assert entry.value == "17123456789"
    assert _known("phone", "17123456789")
    assert client.post("/antifraud/blacklist/new/", post).status_code == 302  # sent twice: one entry
    assert BlacklistEntry.objects.count() == 1
    bad = client.post("/antifraud/blacklist/new/", {"kind": "phone", "value": "138001", "source": "x"})
    assert bad.status_code == 400
    assert "电话号码" in bad.content.decode()
    page = client.get(entry.get_absolute_url()).content.decode()
    assert 'data-form="withdraw"' in page
    r = client.post(entry.get_absolute_url(), {"reason": ""})
    assert r.status_code == 400
    assert BlacklistEntry.objects.get().is_active
    r = client.post(entry.get_absolute_url(), {"reason": "号码已销户，运营商重新分配"})
    assert r.status_code == 302
    entry.refresh_from_db()
    assert not entry.is_active
    assert entry.withdraw_reason == "号码已销户，运营商重新分配"
    assert not _known("phone", "17123456789")
    assert AuditEntry.objects.filter(object_type="antifraud.blacklistentry",
                                     reason="号码已销户，运营商重新分配").exists()
    page = client.get(entry.get_absolute_url()).content.decode()
    assert 'data-form="withdraw"' not in page
    assert "号码已销户" in page
    # Listed again by hand: on the list once more, the withdrawal cleared.
    client.post("/antifraud/blacklist/new/", {"kind": "phone", "value": "17123456789", "source": "再次涉案"})
    entry.refresh_from_db()
    assert entry.is_active
    assert not entry.withdraw_reason
    assert _known("phone", "17123456789")


def test_every_station_checks_the_whole_list_but_withdraws_only_its_own(client, world):
    """The list is the city's: a township's police saw none of the city's 9,566 demo entries (the
    records were scoped by the registering unit's area, like a place's records)."""
    from anmin.core.actors import SYSTEM

    city_entry = actions.add_blacklist_entry(actor=SYSTEM, kind="phone", value="17100000077", source="市反诈中心",
                                             region=world.city)
    client.force_login(world.user(Role.POLICE))
    listing = client.get("/antifraud/blacklist/").content.decode()
    assert "17100000077" in listing
    assert "共 1 条" in listing
    assert ">未知<" not in listing
    assert ">全部<" in listing
    page = client.get(city_entry.get_absolute_url())
    assert page.status_code == 200
    assert 'data-form="withdraw"' not in page.content.decode()
    r = client.post(city_entry.get_absolute_url(), {"reason": "想移出"})
    assert r.status_code in (403, 404)
    city_entry.refresh_from_db()
    assert city_entry.is_active
