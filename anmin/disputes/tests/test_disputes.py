"""Reporting, mediating and closing disputes; their errors; the figures they produce."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.disputes import actions, kpis
from anmin.disputes.models import Dispute, MediationOrgKind, Outcome
from anmin.workflow import actions as case_actions

NOW = dt.datetime(2020, 6, 10, 9, 0, tzinfo=dt.UTC)


def report(world, **kw):
    args = {
        "actor": world.user(Role.GRID_WORKER),
        "title": "张某与李某宅基地边界纠纷",
        "region": world.gc_grid,
        "category": "0902",
        "found_on": dt.date(2020, 6, 9),
        "now": NOW,
        "parties": [
            {"name": "张某", "id_number": make_id_number(birth_date=dt.date(1970, 1, 1)), "phone": "13812345678"},
            {"name": "李某", "role": "respondent"},
        ],
    }
    args.update(kw)
    return actions.report_dispute(**args)


def test_a_grid_worker_reports_a_dispute_in_their_grid(world):
    d = report(world)
    assert d.case.number.startswith("MD-2020-")
    assert d.case.status == "reported"
    assert d.parties.count() == 2
    party = d.parties.get(name="张某")
    assert str(party.phone) == "138****5678"
    assert Dispute.objects.filter(parties__phone="13812345678").exists()  # blind index


def test_risk_flags_raise_the_colour(world):
    d = report(world, assessed_colour="yellow", risk_flags=["threat_revenge"])
    assert d.colour == "red"
    d2 = report(world, assessed_colour="blue", risk_flags=["marriage_debt"])
    assert d2.colour == "orange"


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"category": "0999x"}, "category", "纠纷类别"),
        ({"parties": [{"name": "王五", "id_number": "411081197001010010"}]}, "parties[0].id_number", "校验位"),
        ({"occurred_on": dt.date(2020, 6, 10)}, "occurred_on", "发生日期"),
        ({"risk_flags": ["nonsense"]}, "risk_flags", "风险因素"),
        ({"parties": []}, "parties", "当事人"),
        ({"scale": "09"}, "scale", "事件规模"),
    ],
)
def test_bad_input_names_the_field_and_the_rule(world, changes, field, text):
    with pytest.raises(ValidationError) as exc:
        report(world, **changes)
    assert field in exc.value.message_dict
    assert text in exc.value.message_dict[field][0]
    assert not Dispute.objects.exists()


def _mediate(world, d, outcome=Outcome.SUCCESS):
    centre = world.user(Role.TOWNSHIP_CENTER)
    mediator = world.user("mediator")
    case = d.case
    case = case_actions.transition_case(
        case=case, actor=centre, transition="accept", expected_version=case.version, now=NOW
    )
    case = case_actions.transition_case(
        case=case,
        actor=centre,
        transition="assign",
        expected_version=case.version,
        target_org=world.orgs["gc_mediation"],
        target_user=mediator,
        now=NOW,
    )
    org = actions.create_mediation_org(
        actor=centre,
        name="古城镇人民调解委员会",
        kind=MediationOrgKind.TOWNSHIP,
        region=world.gucheng,
        org_unit=world.orgs["gc_mediation"],
    )
    m = actions.create_mediator(actor=centre, name="刘芳", org=org, user=mediator)
    actions.record_session(
        actor=mediator, dispute=d, held_on=dt.date(2020, 6, 10), record="双方同意重新丈量", mediators=[m], now=NOW
    )
    d.refresh_from_db()
    return actions.record_outcome(
        actor=mediator,
        dispute=d,
        expected_version=d.case.version,
        outcome=outcome,
        concluded_on=dt.date(2020, 6, 10),
        agreement="按1998年界桩为准",
        failed_path="litigation" if outcome == Outcome.FAILED else "",
        now=NOW,
    )


def test_the_mediator_records_a_session_and_success_and_the_case_goes_back_to_the_centre(world):
    d = _mediate(world, report(world))
    d.refresh_from_db()
    assert d.outcome == Outcome.SUCCESS
    assert d.case.status == "feedback"
    assert d.mediation_org.name == "古城镇人民调解委员会"
    actions_seen = list(d.case.events.values_list("action", flat=True))
    # The mediation session is on the timeline as a step of its own, before the outcome's 反馈.
    assert actions_seen == ["open", "accept", "assign", "mediation_session", "feedback"]


def test_a_stale_outcome_is_a_conflict(world):
    d = report(world)
    with pytest.raises(case_actions.CaseConflict):
        actions.record_outcome(
            actor=world.user(Role.TOWNSHIP_CENTER),
            dispute=d,
            expected_version=0,
            outcome=Outcome.WITHDRAWN,
            concluded_on=dt.date(2020, 6, 10),
            withdrawn_reason="双方和解",
            now=NOW,
        )


def test_only_the_handler_or_the_centre_may_record_mediation(world):
    d = report(world)
    with pytest.raises(case_actions.TransitionNotAllowed):
        actions.record_session(
            actor=world.user(Role.POLICE), dispute=d, held_on=dt.date(2020, 6, 10), record="x", now=NOW
        )


def test_kpis_are_computed_from_records_and_change_with_them(world):
    assert kpis.found(year=2020) == 0
    d1 = _mediate(world, report(world))
    report(world, title="第二件")
    assert kpis.found(year=2020) == 2
    assert kpis.mediated(year=2020) == 1
    assert kpis.succeeded(year=2020) == 1
    assert kpis.mediation_rate(year=2020) == 50.0
    assert kpis.success_rate(year=2020) == 100.0
    assert kpis.found(year=2020, region=world.wuliang.code) == 0
    assert kpis.found(year=2020, region=world.gucheng.code) == 2
    assert kpis.criminal(year=2020) == 0
    actions.link_criminal_case(
        actor=world.user(Role.CITY_OFFICE),
        dispute=d1,
        number="禹公刑2020-001",
        on=dt.date(2020, 7, 1),
        reason="一方持刀伤人",
    )
    assert kpis.criminal(year=2020) == 1
    assert kpis.mediation_orgs(year=2020) == 1
    assert kpis.mediators(year=2020) == 1


def test_a_dispute_mediated_in_several_sessions_counts_once_and_the_card_agrees(world):
    d1 = _mediate(world, report(world))  # one session, then success
    d3 = report(world, title="第三件：调解两次，尚无结果")
    case = d3.case
    centre = world.user(Role.TOWNSHIP_CENTER)
    mediator = world.user("mediator")
    case = case_actions.transition_case(case=case, actor=centre, transition="accept", expected_version=case.version,
                                        now=NOW)
    case_actions.transition_case(case=case, actor=centre, transition="assign", expected_version=case.version,
                                 target_org=world.orgs["gc_mediation"], target_user=mediator, now=NOW)
    for text in ("初次调解", "继续调解"):
        actions.record_session(actor=mediator, dispute=d3, held_on=dt.date(2020, 6, 10), record=text, now=NOW)
    report(world, title="第四件：未调解")
    assert d1.sessions.count() == 1
    assert d3.sessions.count() == 2
    assert kpis.found(year=2020) == 3
    assert kpis.mediated(year=2020) == 2  # d3 once, not once per session
    assert kpis.succeeded(year=2020) == 1
    user = world.user(Role.CITY_OFFICE)
    one = kpis.year_figures(year=2020, user=user)
    assert one == {k: getattr(kpis, k)(year=2020, user=user) for k in ("found", "mediated", "succeeded", "criminal")}
    assert kpis.year_figures(year=2020, region=world.wuliang.code)["found"] == 0


def test_the_home_page_card_counts_what_the_user_sees(client, world):
    report(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    html = client.get("/").content.decode()
    assert "矛盾纠纷排查化解" in html
    assert "2020年排查纠纷" in html
    client.force_login(world.user(Role.SYSADMIN))
    assert "矛盾纠纷排查化解" not in client.get("/").content.decode()


def test_parties_created_in_bulk_are_found_by_phone(world):
    """The demo and imports bulk-create parties: their blind index must be whole (PostgreSQL)."""
    from anmin.disputes.models import DisputeParty

    d = report(world)
    DisputeParty.objects.bulk_create(
        [DisputeParty(dispute=d, role="third", name=f"第三人{i}", phone=f"1360000000{i}") for i in range(3)]
    )
    assert DisputeParty.objects.filter(phone="13600000002").get().name == "第三人2"


def test_the_report_form_offers_the_scale_by_its_chinese_names_and_the_pages_show_it(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    form = client.get("/disputes/report/")
    assert form.status_code == 200
    choices = form.context["form"].fields["scale"].choices
    assert choices == [("01", "个体性事件"), ("02", "一般群体性事件"), ("03", "重大群体性事件")]
    assert form.context["form"].fields["scale"].required
    assert '<option value="01" selected>个体性事件</option>' in form.content.decode()
    post = {
        "title": "王某等五户与村委会土地承包纠纷",
        "region": world.gc_grid.code,
        "category": "0902",
        "scale": "02",
        "source": "sweep",
        "found_on": "2020-06-09",
        "description": "五户村民对承包地调整有异议。",
        "applicant_name": "王某",
        "respondent_name": "古城村委会",
        "assessed_colour": "yellow",
    }
    bad = client.post("/disputes/report/", {**post, "scale": "09"})
    assert bad.status_code == 400  # refused: the form again, its errors at the fields
    assert "scale" in bad.context["form"].errors
    assert not Dispute.objects.exists()
    resp = client.post("/disputes/report/", post)
    assert resp.status_code == 302, resp.context["form"].errors if resp.context else resp
    d = Dispute.objects.get()
    assert d.scale == "02"

    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    detail = client.get(d.get_absolute_url()).content.decode()
    assert '<dd data-scale="02">一般群体性事件</dd>' in detail
    ledger = client.get("/disputes/")
    assert "事件规模" in ledger.content.decode()
    assert "一般群体性事件" in ledger.content.decode()
    assert client.get("/disputes/", {"scale": "02"}).context["page_obj"].paginator.count == 1
    assert client.get("/disputes/", {"scale": "03"}).context["page_obj"].paginator.count == 0


def test_a_mediators_page_links_their_committee_only_when_they_may_open_it(world):
    """A mediator sees their own record (assigned to them) but not always their committee's page: its
    name then shows as text, not as a link to a 404; the township centre gets the link."""
    from django.test import Client

    from anmin.disputes.models import MediationOrg

    mediator = world.user("mediator")
    centre = world.user(Role.TOWNSHIP_CENTER)
    org = actions.create_mediation_org(actor=centre, name="古城镇人民调解委员会", kind=MediationOrgKind.TOWNSHIP,
                                       region=world.gucheng, org_unit=world.orgs["gc_mediation"])
    record = actions.create_mediator(actor=centre, name="刘芳", org=org, user=mediator)
    assert not MediationOrg.objects.visible_to(mediator).filter(pk=org.pk).exists()
    for user, linked in ((mediator, False), (centre, True)):
        client = Client()
        client.force_login(user)
        page = client.get(record.get_absolute_url())
        assert page.status_code == 200
        body = page.content.decode()
        assert "古城镇人民调解委员会" in body
        assert (org.get_absolute_url() in body) == linked
        if linked:
            assert client.get(org.get_absolute_url()).status_code == 200
