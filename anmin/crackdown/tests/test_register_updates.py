"""The registers move on after a record is entered: a suspect at large is caught, prosecuted and
sentenced; a frozen asset is confiscated. The 扫黑办 brings the record up to date on its page
(``kit.record_edit``): the new values checked as on entry and told at their field, the change audited
with its note, a stale page refused with what was typed kept and nothing overwritten; whoever may not
change the record finds no such page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from anmin.core.actors import SYSTEM
from anmin.core.errors import Conflict, Invalid
from anmin.core.models import AuditEntry, Role
from anmin.crackdown import actions
from anmin.crackdown.models import Suspect

pytestmark = pytest.mark.django_db

OFFICE = "crackdown"


@pytest.fixture
def org(world):
    return actions.register_org(actor=SYSTEM, name="古城镇某恶势力犯罪集团", org_type="evil_group",
                                region=world.gucheng, broken_on="2020-05-01")


@pytest.fixture
def office(world) -> Client:
    client = Client()
    client.force_login(world.user(OFFICE))
    return client


def _version(body: str) -> str:
    return re.search(r'name="version" value="(\d+)"', body).group(1)


def test_a_suspect_at_large_is_caught_then_prosecuted_on_its_page(world, org, office):
    suspect = actions.add_suspect(actor=SYSTEM, org=org, name="孙某某", status="at_large")
    assert f'href="{suspect.get_absolute_url()}"' in office.get(org.get_absolute_url()).content.decode()
    page = office.get(suspect.get_absolute_url()).content.decode()
    edit = f"/crackdown/suspects/{suspect.pk}/edit/"
    assert edit in page
    assert "更新诉讼状态" in page
    form = office.get(edit)
    assert form.status_code == 200
    body = form.content.decode()
    assert "诉讼状态" in body
    assert "抓获日期" in body
    assert "变更说明" in body
    # Caught, but the day was not given: told at the field, nothing written.
    r = office.post(edit, {"status": "caught", "caught_on": "", "version": _version(body), "note": "已抓获"})
    assert r.status_code == 400
    assert "「抓获日期」为必填项" in r.content.decode()
    suspect.refresh_from_db()
    assert (suspect.status, suspect.version) == ("at_large", 1)
    r = office.post(edit, {"status": "caught", "caught_on": "2020-06-02", "version": "1", "note": "网上追逃抓获"})
    assert r.status_code == 302
    assert r["Location"] == suspect.get_absolute_url()
    suspect.refresh_from_db()
    assert (suspect.status, str(suspect.caught_on), suspect.version) == ("caught", "2020-06-02", 2)
    entry = AuditEntry.objects.get(object_type="crackdown.suspect", object_id=str(suspect.pk), action="update")
    assert entry.before == {"status": "at_large", "caught_on": ""}
    assert entry.after == {"status": "caught", "caught_on": "2020-06-02"}
    assert entry.reason == "网上追逃抓获"
    assert "已抓获" in office.get(suspect.get_absolute_url()).content.decode()
    # Prosecuted: only the status moves, one more audit entry for what changed.
    assert office.post(edit, {"status": "prosecuted", "caught_on": "2020-06-02", "version": "2"}).status_code == 302
    suspect.refresh_from_db()
    assert (suspect.status, suspect.version) == ("prosecuted", 3)
    last = AuditEntry.objects.filter(object_type="crackdown.suspect", action="update").order_by("-pk").first()
    assert last.before == {"status": "caught"}
    assert last.after == {"status": "prosecuted"}


def test_a_stale_page_is_refused_keeping_what_was_typed(world, org, office):
    suspect = actions.add_suspect(actor=SYSTEM, org=org, name="钱某某", status="caught", caught_on="2020-05-02")
    edit = f"/crackdown/suspects/{suspect.pk}/edit/"
    office.post(edit, {"status": "prosecuted", "caught_on": "2020-05-02", "version": "1"})  # another tab
    r = office.post(edit, {"status": "sentenced", "caught_on": "2020-05-03", "version": "1", "note": "判决"})
    assert r.status_code == 409
    body = r.content.decode()
    assert "该犯罪嫌疑人在您打开后已被他人修改" in body
    assert 'value="sentenced" selected' in body
    assert 'value="2020-05-03"' in body
    suspect.refresh_from_db()
    assert (suspect.status, str(suspect.caught_on), suspect.version) == ("prosecuted", "2020-05-02", 2)
    with pytest.raises(Conflict):
        actions.update_suspect(actor=world.user(OFFICE), record=suspect, expected_version=1, status="sentenced")


def test_an_asset_frozen_is_confiscated_and_a_bad_value_is_told(world, org, office):
    asset = actions.add_asset(actor=SYSTEM, org=org, description="银行存款", measure="frozen", value="800000",
                              on="2020-05-03")
    assert f'href="{asset.get_absolute_url()}"' in office.get(org.get_absolute_url()).content.decode()
    page = office.get(asset.get_absolute_url()).content.decode()
    edit = f"/crackdown/assets/{asset.pk}/edit/"
    assert edit in page
    assert "更新处置情况" in page
    r = office.post(edit, {"measure": "confiscated", "value": "-5", "on": "2020-11-20", "version": "1"})
    assert r.status_code == 400
    assert "「价值(元)」" in r.content.decode()
    r = office.post(edit, {"measure": "confiscated", "value": "780000", "on": "2020-11-20", "version": "1",
                           "note": "法院判决没收"})
    assert r.status_code == 302
    asset.refresh_from_db()
    assert (asset.measure, str(asset.value), str(asset.on), asset.version) == (
        "confiscated", "780000.00", "2020-11-20", 2)


def test_only_who_may_change_the_register_finds_the_page(world, org, office):
    suspect = actions.add_suspect(actor=SYSTEM, org=org, name="李某某", status="at_large")
    edit = f"/crackdown/suspects/{suspect.pk}/edit/"
    for role in (Role.CITY_OFFICE, Role.LEADER, Role.TOWNSHIP_CENTER):
        client = Client()
        client.force_login(world.user(role))
        assert client.get(edit).status_code == 404, role
        assert client.post(edit, {"status": "caught", "caught_on": "2020-06-02", "version": "1"}).status_code == 404
    assert office.get(f"/crackdown/suspects/{suspect.pk + 999}/edit/").status_code == 404
    suspect.refresh_from_db()
    assert (suspect.status, suspect.version) == ("at_large", 1)
    # The action itself refuses a field it does not change, whoever calls it.
    with pytest.raises(Invalid) as err:
        actions.update_suspect(actor=world.user(OFFICE), record=suspect, expected_version=1, name="改名")
    assert err.value.field == "name"
    assert Suspect.objects.get(pk=suspect.pk).name == "李某某"
