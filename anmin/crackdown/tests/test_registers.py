"""The register pages: suspects, assets, officials handled and the candidates' joint review each have
a ledger and a detail page for the 扫黑办; ID numbers show masked, in the page and the Excel export,
and the full number needs a reason and leaves an access record; a township centre finds none of it;
the 市平安办 sees officials but not suspects."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role
from anmin.crackdown import actions

ID = "11010519491231002X"


@pytest.fixture
def records(world):
    org = actions.register_org(actor=SYSTEM, name="古城镇某恶势力犯罪集团", org_type="evil_group",
                               region=world.gucheng, broken_on="2020-05-01")
    suspect = actions.add_suspect(actor=SYSTEM, org=org, name="赵某某", id_number_value=ID, role_in_org="组织者",
                                  caught_on="2020-05-02")
    asset = actions.add_asset(actor=SYSTEM, org=org, description="砂场及设备", measure="seized", value="3200000",
                              on="2020-05-03")
    official = actions.record_official(actor=SYSTEM, name="钱某", unit="某镇国土所所长", region=world.gucheng,
                                       kind="umbrella", measure="judicial", handled_on="2020-06-01", org=org)
    candidate = actions.review_candidate(actor=SYSTEM, region=world.gc_village, name="孙某", election_year=2021,
                                         id_number_value=ID, reviewed_on="2020-11-20",
                                         checks={"police": {"ok": False, "reason": "涉黑涉恶受过刑事处罚"},
                                                 "court": {"ok": True}})
    return {"suspects": suspect, "assets": asset, "officials": official, "candidates": candidate}


def _client(world, role):
    client = Client()
    client.force_login(world.user(role))
    return client


def test_the_office_lists_and_opens_every_register_with_numbers_masked(world, records):
    office = _client(world, "crackdown")
    expected = {"suspects": "赵某某", "assets": "砂场及设备", "officials": "钱某", "candidates": "孙某"}
    for name, record in records.items():
        ledger = office.get(f"/crackdown/{name}/")
        assert ledger.status_code == 200, name
        body = ledger.content.decode()
        assert expected[name] in body
        assert record.get_absolute_url() in body
        assert ID not in body
        detail = office.get(record.get_absolute_url())
        assert detail.status_code == 200
        assert ID not in detail.content.decode()
        export = office.get(f"/crackdown/{name}/?export=xlsx")
        assert export.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(export.content))
        cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
        assert any(expected[name] in c for c in cells)
        assert not any(ID in c for c in cells)
    page = office.get(records["candidates"].get_absolute_url()).content.decode()
    assert "涉黑涉恶受过刑事处罚" in page
    assert "无异议" in page


def test_the_full_number_needs_a_reason_and_is_audited(world, records):
    office = _client(world, "crackdown")
    url = records["suspects"].get_absolute_url()
    refused = office.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert ID not in refused.content.decode()
    shown = office.post(url, {"reason": "核对起诉意见书中的身份信息"})
    assert shown.status_code == 200
    assert ID in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.filter(object_type="crackdown.suspect", action="reveal").get()
    assert entry.reason == "核对起诉意见书中的身份信息"


def test_others_find_nothing_but_what_they_may_see(world, records):
    township = _client(world, Role.TOWNSHIP_CENTER)
    for name, record in records.items():
        assert township.get(record.get_absolute_url()).status_code == 404, name
    city = _client(world, Role.CITY_OFFICE)
    assert city.get(records["officials"].get_absolute_url()).status_code == 200
    assert city.get(records["suspects"].get_absolute_url()).status_code == 404
    assert records["suspects"].get_absolute_url() not in city.get("/crackdown/suspects/").content.decode()
    # The 市平安办 may not reveal (no change permission), even of a record it could see.
    assert city.post(records["officials"].get_absolute_url(), {"reason": "想看看"}).status_code == 403


def test_a_suspect_of_no_organisation_is_listed_opened_and_exported(world, records):
    """A suspect caught alone (no organisation: the field is optional) broke the whole register with a 500.
    The demo registers such suspects (the other kinds of crime) as its builder does: rows of their own."""
    from anmin.crackdown.models import Suspect

    alone = Suspect.objects.create(org=None, region=world.gucheng, name="周某某", caught_on="2020-07-02")
    office = _client(world, "crackdown")
    ledger = office.get("/crackdown/suspects/")
    assert ledger.status_code == 200
    assert "周某某" in ledger.content.decode()
    assert "赵某某" in ledger.content.decode()
    assert office.get(alone.get_absolute_url()).status_code == 200
    assert office.get("/crackdown/suspects/?export=xlsx").status_code == 200


def test_a_record_page_shows_yes_or_no_and_no_internal_column(world, records):
    """取消资格 as 是/否, not False; a protected number's blind index ("id number index") not shown."""
    page = _client(world, "crackdown").get(records["candidates"].get_absolute_url()).content.decode()
    assert "id number index" not in page
    assert ">False<" not in page
    assert ">True<" not in page
    assert "是" in page


def test_a_seized_assets_value_is_shown_with_thousands_separators_and_exported_as_a_number(world, records):
    """涉案资产: 3200000.00 read as one long number; pages show 3,200,000.00, the Excel cell stays a number."""
    office = _client(world, "crackdown")
    asset = records["assets"]
    for url in ("/crackdown/assets/", asset.get_absolute_url(), records["assets"].org.get_absolute_url()):
        body = office.get(url).content.decode()
        assert "3,200,000.00" in body, url
        assert "3200000" not in body, url
    export = office.get("/crackdown/assets/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    column = rows[0].index("价值(元)")
    assert rows[1][column] == 3200000  # a number cell (summable), not the text "3200000.00"


def test_a_stale_stage_change_is_refused_with_the_platforms_conflict_message(world, records):
    """Two officers change an organisation's 诉讼阶段 from the same page: the second is told, in the
    words every other record uses, that nothing of theirs was saved."""
    from anmin.core.errors import Conflict
    from anmin.crackdown.models import CrimeOrg

    org = CrimeOrg.objects.get()
    stale = org.version
    actions.set_org_stage(actor=SYSTEM, org=org, stage="prosecution", expected_version=stale)
    with pytest.raises(Conflict) as exc:
        actions.set_org_stage(actor=SYSTEM, org=org, stage="trial", expected_version=stale)
    assert "该组织在您打开后已被他人修改，您的修改未保存" in exc.value.message
    assert exc.value.current["stage"] == "prosecution"
    assert CrimeOrg.objects.get().stage == "prosecution"
