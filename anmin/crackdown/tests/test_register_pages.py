"""The pages that write the registers: the 扫黑办 registers an organisation it broke up (from the
ledger), changes its 诉讼阶段, adds its members and assets on its page, records an official handled and
enters a candidate's joint review — each record made with its audit entry, bad input told at the field
with what was typed kept, a retried 新建 making one record, a stale stage change refused with nothing
overwritten; a township centre or the 市平安办 finds none of these pages and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role
from anmin.crackdown import actions
from anmin.crackdown.models import Asset, Candidate, CrimeOrg, Official, Suspect

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"
OFFICE = "crackdown"  # the 扫黑办's role code (anmin/crackdown/roles.py)


def _client(world, role) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _audited(model, obj, action="create") -> int:
    return AuditEntry.objects.filter(object_type=f"crackdown.{model}", object_id=str(obj.pk), action=action).count()


@pytest.fixture
def org(world):
    return actions.register_org(actor=SYSTEM, name="古城镇某恶势力犯罪集团", org_type="evil_group",
                                region=world.gucheng, broken_on="2020-05-01")


def test_the_office_registers_an_organisation_from_the_ledger(world):
    office = _client(world, OFFICE)
    ledger = office.get("/crackdown/orgs/").content.decode()
    assert "/crackdown/orgs/new/" in ledger
    assert "登记涉黑涉恶组织" in ledger
    form = office.get("/crackdown/orgs/new/")
    assert form.status_code == 200
    assert world.gucheng.code in form.content.decode()  # the place picker offers the township
    post = {"name": "王某某黑社会性质组织", "org_type": "mafia", "region": world.gc_village.code,
            "broken_on": "2020-03-15", "stage": "investigation", "summary": "强揽工程、寻衅滋事",
            "idempotency_key": "o" * 32}
    r = office.post("/crackdown/orgs/new/", post)
    assert r.status_code == 302
    made = CrimeOrg.objects.get()
    assert r["Location"] == made.get_absolute_url()
    assert (made.name, made.org_type, made.region_id, str(made.broken_on), made.summary) == (
        "王某某黑社会性质组织", "mafia", world.gc_village.code, "2020-03-15", "强揽工程、寻衅滋事")
    assert _audited("crimeorg", made) == 1
    # Sent again (a retry on a village network): the one organisation.
    again = office.post("/crackdown/orgs/new/", post)
    assert again.status_code == 302
    assert again["Location"] == made.get_absolute_url()
    assert CrimeOrg.objects.count() == 1
    assert "王某某黑社会性质组织" in office.get("/crackdown/orgs/").content.decode()


def test_a_bad_organisation_is_told_at_its_fields_with_what_was_typed_kept(world):
    office = _client(world, OFFICE)
    r = office.post("/crackdown/orgs/new/", {"name": "", "org_type": "mafia", "region": world.gucheng.code,
                                             "broken_on": "2099-01-01", "stage": "investigation",
                                             "summary": "非法采砂、暴力垄断"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "「名称」为必填项" in body
    assert "「打掉日期」不能晚于今天" in body
    assert "非法采砂、暴力垄断" in body
    # A day the action refuses (before 2000) lands at its field too.
    r = office.post("/crackdown/orgs/new/", {"name": "某团伙", "org_type": "evil_gang", "region": world.gucheng.code,
                                             "broken_on": "1999-12-31", "stage": "investigation"})
    assert r.status_code == 400
    assert "「打掉日期」不能早于2000年" in r.content.decode()
    assert 'value="某团伙"' in r.content.decode()
    assert not CrimeOrg.objects.exists()


def test_the_stage_changes_and_a_stale_form_overwrites_nothing(world, org):
    office = _client(world, OFFICE)
    page = office.get(org.get_absolute_url()).content.decode()
    assert f"/crackdown/orgs/{org.pk}/stage/" in page
    form = office.get(f"/crackdown/orgs/{org.pk}/stage/")
    assert form.status_code == 200
    seen = org.version
    assert f'name="version" value="{seen}"' in form.content.decode()
    r = office.post(f"/crackdown/orgs/{org.pk}/stage/", {"version": seen, "stage": "prosecution"})
    assert r.status_code == 302
    assert r["Location"] == org.get_absolute_url()
    org.refresh_from_db()
    assert org.stage == "prosecution"
    assert org.version == seen + 1
    assert _audited("crimeorg", org, "update") == 1
    # A second officer's form, opened before the change: refused, told, nothing overwritten.
    stale = office.post(f"/crackdown/orgs/{org.pk}/stage/", {"version": seen, "stage": "trial"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "该组织在您打开后已被他人修改，您的修改未保存" in body
    assert "当前诉讼阶段：起诉" in body
    org.refresh_from_db()
    assert org.stage == "prosecution"
    assert org.version == seen + 1
    assert _audited("crimeorg", org, "update") == 1
    bad = office.post(f"/crackdown/orgs/{org.pk}/stage/", {"version": org.version, "stage": "appeal"})
    assert bad.status_code == 400
    assert "「诉讼阶段」的选项无效" in bad.content.decode()


def test_a_member_is_added_on_the_organisations_page_and_the_number_stays_masked(world, org):
    office = _client(world, OFFICE)
    url = f"/crackdown/orgs/{org.pk}/suspects/new/"
    assert url in office.get(org.get_absolute_url()).content.decode()
    assert office.get(url).status_code == 200
    post = {"name": "赵某某", "id_number_value": ID, "role_in_org": "组织者", "status": "caught",
            "caught_on": "2020-05-02", "idempotency_key": "s" * 32}
    r = office.post(url, post)
    assert r.status_code == 302
    assert r["Location"] == org.get_absolute_url()
    suspect = Suspect.objects.get()
    assert (suspect.org_id, suspect.name, suspect.role_in_org, suspect.status) == (org.pk, "赵某某", "组织者", "caught")
    assert suspect.region_id == org.region_id
    assert suspect.id_number.reveal() == ID
    assert suspect.person_id is not None  # linked to the person register
    assert _audited("suspect", suspect) == 1
    assert office.post(url, post).status_code == 302
    assert Suspect.objects.count() == 1
    for page in (org.get_absolute_url(), suspect.get_absolute_url(), "/crackdown/suspects/"):
        body = office.get(page).content.decode()
        assert "赵某某" in body, page
        assert ID not in body, page


def test_a_bad_member_is_told_at_its_fields(world, org):
    office = _client(world, OFFICE)
    url = f"/crackdown/orgs/{org.pk}/suspects/new/"
    r = office.post(url, {"name": "钱某某", "id_number_value": "110105194912310021", "role_in_org": "骨干成员",
                          "status": "caught", "caught_on": ""})
    assert r.status_code == 400
    body = r.content.decode()
    assert "「身份证号码」" in body
    assert "「抓获日期」为必填项" in body
    assert 'value="钱某某"' in body
    assert 'value="骨干成员"' in body
    # At large: no day caught needed.
    assert office.post(url, {"name": "孙某某", "status": "at_large"}).status_code == 302
    assert list(Suspect.objects.values_list("name", "caught_on")) == [("孙某某", None)]


def test_an_asset_is_registered_on_the_organisations_page(world, org):
    office = _client(world, OFFICE)
    url = f"/crackdown/orgs/{org.pk}/assets/new/"
    assert url in office.get(org.get_absolute_url()).content.decode()
    post = {"description": "砂场及设备", "measure": "seized", "value": "3200000", "on": "2020-05-03",
            "idempotency_key": "a" * 32}
    r = office.post(url, post)
    assert r.status_code == 302
    assert r["Location"] == org.get_absolute_url()
    asset = Asset.objects.get()
    assert (asset.org_id, asset.measure, str(asset.value)) == (org.pk, "seized", "3200000.00")
    assert _audited("asset", asset) == 1
    assert office.post(url, post).status_code == 302
    assert Asset.objects.count() == 1
    assert "3,200,000.00" in office.get(org.get_absolute_url()).content.decode()
    bad = office.post(url, {"description": "银行存款", "measure": "frozen", "value": "十万", "on": "2020-05-03"})
    assert bad.status_code == 400
    assert "「价值(元)」须为数字" in bad.content.decode()
    assert 'value="银行存款"' in bad.content.decode()
    zero = office.post(url, {"description": "银行存款", "measure": "", "value": "0", "on": "2020-05-03"})
    assert zero.status_code == 400
    assert "「措施」为必填项" in zero.content.decode()
    assert "「价值(元)」不能小于0.01" in zero.content.decode()
    assert Asset.objects.count() == 1


def test_an_official_handled_is_recorded_from_the_ledger(world, org):
    office = _client(world, OFFICE)
    assert "/crackdown/officials/new/" in office.get("/crackdown/officials/").content.decode()
    form = office.get(f"/crackdown/officials/new/?org={org.pk}").content.decode()
    assert f'value="{org.pk}" selected' in form  # from the organisation's page: that organisation chosen
    post = {"name": "钱某", "unit": "某镇国土所所长", "region": world.gucheng.code, "kind": "umbrella",
            "measure": "judicial", "handled_on": "2020-06-01", "org": org.pk, "idempotency_key": "f" * 32}
    r = office.post("/crackdown/officials/new/", post)
    assert r.status_code == 302
    official = Official.objects.get()
    assert r["Location"] == official.get_absolute_url()
    assert (official.org_id, official.kind, official.measure) == (org.pk, "umbrella", "judicial")
    assert _audited("official", official) == 1
    assert office.post("/crackdown/officials/new/", post).status_code == 302
    assert Official.objects.count() == 1
    assert "钱某" in office.get(org.get_absolute_url()).content.decode()
    bad = office.post("/crackdown/officials/new/", {**post, "kind": "", "idempotency_key": ""})
    assert bad.status_code == 400
    assert "「问题类型」为必填项" in bad.content.decode()
    assert 'value="某镇国土所所长"' in bad.content.decode()
    assert Official.objects.count() == 1


def test_a_candidates_joint_review_is_entered_department_by_department(world):
    office = _client(world, OFFICE)
    assert "/crackdown/candidates/new/" in office.get("/crackdown/candidates/").content.decode()
    form = office.get("/crackdown/candidates/new/").content.decode()
    for field in ("check_police", "check_procuratorate", "check_court", "check_discipline", "check_petition"):
        assert f'name="{field}"' in form
    post = {"region": world.gc_village.code, "election_year": 2021, "name": "孙某", "id_number_value": ID,
            "reviewed_on": "2020-11-20", "check_police": "no", "reason_police": "涉黑涉恶受过刑事处罚",
            "check_court": "ok", "idempotency_key": "c" * 32}
    r = office.post("/crackdown/candidates/new/", post)
    assert r.status_code == 302
    candidate = Candidate.objects.get()
    assert r["Location"] == candidate.get_absolute_url()
    assert candidate.checks == {"police": {"ok": False, "reason": "涉黑涉恶受过刑事处罚"},
                                "court": {"ok": True, "reason": ""}}
    assert candidate.disqualified
    assert candidate.reason == "涉黑涉恶受过刑事处罚"
    assert _audited("candidate", candidate) == 1
    assert office.post("/crackdown/candidates/new/", post).status_code == 302
    assert Candidate.objects.count() == 1
    page = office.get(candidate.get_absolute_url()).content.decode()
    assert "有异议：涉黑涉恶受过刑事处罚" in page
    assert "无异议" in page
    assert "未反馈" in page
    assert ID not in page


def test_a_candidates_review_without_reasons_is_told_at_the_field(world):
    office = _client(world, OFFICE)
    base = {"region": world.gc_village.code, "election_year": 2021, "name": "周某"}
    r = office.post("/crackdown/candidates/new/", {**base, "check_petition": "no"})
    assert r.status_code == 400
    assert "「信访」有异议时须写明原因" in r.content.decode()
    assert 'value="周某"' in r.content.decode()
    r = office.post("/crackdown/candidates/new/", base)
    assert r.status_code == 400
    assert "请至少填写一个部门的审查意见" in r.content.decode()
    r = office.post("/crackdown/candidates/new/", {**base, "election_year": "二〇二一", "check_police": "ok"})
    assert r.status_code == 400
    assert "「换届年份」须为整数" in r.content.decode()
    assert not Candidate.objects.exists()
    # Every department without objection: a qualified candidate.
    r = office.post("/crackdown/candidates/new/", {**base, "check_police": "ok", "check_court": "ok"})
    assert r.status_code == 302
    assert not Candidate.objects.get().disqualified


@pytest.mark.parametrize("role", [Role.TOWNSHIP_CENTER, Role.CITY_OFFICE])
def test_a_role_without_the_permission_finds_no_page_and_writes_nothing(world, org, role):
    other = _client(world, role)
    posts = {
        "/crackdown/orgs/new/": {"name": "某团伙", "org_type": "evil_gang", "region": world.gucheng.code,
                                 "broken_on": "2020-05-01", "stage": "investigation"},
        f"/crackdown/orgs/{org.pk}/stage/": {"version": org.version, "stage": "judged"},
        f"/crackdown/orgs/{org.pk}/suspects/new/": {"name": "某某", "status": "at_large"},
        f"/crackdown/orgs/{org.pk}/assets/new/": {"description": "车辆", "measure": "seized", "value": "1000",
                                                  "on": "2020-05-03"},
        "/crackdown/officials/new/": {"name": "某", "unit": "某单位", "region": world.gucheng.code, "kind": "umbrella",
                                      "measure": "discipline", "handled_on": "2020-06-01"},
        "/crackdown/candidates/new/": {"region": world.gc_village.code, "election_year": 2021, "name": "某",
                                       "check_police": "ok"},
    }
    before = AuditEntry.objects.count()
    for url, data in posts.items():
        assert other.get(url).status_code == 404, (role, url)
        assert other.post(url, data).status_code == 404, (role, url)
    assert AuditEntry.objects.count() == before
    assert CrimeOrg.objects.count() == 1
    assert CrimeOrg.objects.get().stage == "investigation"
    assert not (Suspect.objects.exists())
    assert not (Asset.objects.exists())
    assert not (Official.objects.exists())
    assert not Candidate.objects.exists()
    if role == Role.CITY_OFFICE:  # sees the organisations and officials, with no button to write them
        ledger = other.get("/crackdown/orgs/").content.decode()
        assert "/crackdown/orgs/new/" not in ledger
        page = other.get(org.get_absolute_url())
        assert page.status_code == 200
        assert f"/crackdown/orgs/{org.pk}/stage/" not in page.content.decode()
        assert "/crackdown/officials/new/" not in other.get("/crackdown/officials/").content.decode()


def test_the_action_refuses_a_forged_write_of_a_role_without_the_permission(world, org):
    """Behind the page's 404 the action holds too: the 市平安办 may see the organisation, not change it."""
    from anmin.core.errors import Forbidden

    with pytest.raises(Forbidden):
        actions.set_org_stage(actor=world.user(Role.CITY_OFFICE), org=org, stage="judged", expected_version=org.version)
    with pytest.raises(Forbidden):
        actions.add_asset(actor=world.user(Role.CITY_OFFICE), org=org, description="车辆", measure="seized",
                          value="1000", on="2020-05-03")
    org.refresh_from_db()
    assert org.stage == "investigation"
    assert not Asset.objects.exists()
