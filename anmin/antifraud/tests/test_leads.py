"""Warning leads: routing at once, minute limits, warnings and 督办, contacts, outcomes, grades,
idempotent intake and jurisdiction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from anmin.antifraud import actions
from anmin.antifraud.models import ContactAttempt, FraudCase, Lead
from anmin.core.actors import SYSTEM
from anmin.core.errors import Forbidden, Invalid, NotFound
from anmin.core.models import Role
from anmin.core.models.orgs import OrgKind
from anmin.core.tests.factories import make_org, make_user
from anmin.people.models import Person
from anmin.workflow import actions as case_actions
from anmin.workflow.models import CaseEvent, Supervision

T0 = dt.datetime(2020, 12, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ID = "411081195203154324"


def _lead(world, actor=None, region=None, **kw):
    fields = {"victim_name": "张桂兰", "fraud_type": "04", "victim_phone": "13812345678", "now": T0, **kw}
    return actions.report_lead(actor=actor or world.user(Role.CITY_OFFICE), region=region or world.gc_grid,
                               **fields)


def test_a_critical_lead_is_routed_at_once_warned_at_75_percent_and_supervised_at_its_minutes(world):
    lead = _lead(world, victim_id_number=ID)
    case = lead.case
    # 冒充公检法 is 特高 by rule; routed to the station of 古城镇 in the same minute.
    assert case.priority == "critical"
    assert lead.computed_grade == "critical"
    assert case.status == "dispatched"
    assert case.handling_org == world.orgs["gc_police"]
    assert "古城派出所" in lead.routed_by
    steps = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("action", "at"))
    assert [a for a, _ in steps] == ["open", "dispatch"]
    assert all(at == T0 for _, at in steps)
    assert case.due_at == T0 + dt.timedelta(minutes=10)
    assert case.warn_at == T0 + dt.timedelta(minutes=7, seconds=30)
    # The victim is in the person register; the ID number and phone are protected (masked when shown).
    assert lead.person is not None
    assert Person.objects.filter(pk=lead.person_id).exists()
    assert str(Lead.objects.get(pk=lead.pk).victim_phone) != "13812345678"

    assert case_actions.sweep(now=T0 + dt.timedelta(minutes=7)).warned == []
    assert case_actions.sweep(now=T0 + dt.timedelta(minutes=7, seconds=31)).warned == [case.number]
    result = case_actions.sweep(now=T0 + dt.timedelta(minutes=10, seconds=1))
    assert result.overdue == [case.number]
    sup = Supervision.objects.get(case=case, automatic=True)
    assert sup.to_org == world.orgs["gc_police"]
    case.refresh_from_db()
    assert case.sla_state(T0 + dt.timedelta(minutes=11)) == "overdue"


def test_grades_follow_the_limits_and_a_low_lead_has_a_day(world):
    lead = _lead(world, fraud_type="99", amount_at_risk="500")
    assert lead.case.priority == "low"
    assert lead.case.due_at == T0 + dt.timedelta(minutes=1440)
    high = _lead(world, fraud_type="02")
    assert high.case.priority == "high"
    assert high.case.due_at == T0 + dt.timedelta(minutes=30)


def test_the_grade_is_overridden_only_with_a_reason_and_the_limit_follows(world):
    with pytest.raises(Invalid) as err:
        _lead(world, fraud_type="99", grade="critical")
    assert err.value.field == "grade_reason"
    lead = _lead(world, fraud_type="99", grade="critical", grade_reason="受害人正在银行柜台转账")
    assert lead.case.priority == "critical"
    assert lead.computed_grade == "low"
    assert lead.grade_overridden
    police = world.user(Role.POLICE)
    lead = actions.override_grade(actor=police, lead=lead, grade="high", reason="已由银行暂停转账",
                                  expected_version=lead.case.version, now=T0 + dt.timedelta(minutes=2))
    assert lead.case.priority == "high"
    assert lead.case.due_at == T0 + dt.timedelta(minutes=30)
    event = CaseEvent.objects.get(case=lead.case, action="grade")
    assert event.reason == "预警等级由「特高」降为「高」：已由银行暂停转账"
    assert (event.data["level"]["from"]["badge"], event.data["level"]["to"]["badge"]) == ("colour-red", "colour-orange")


def test_contacts_on_the_timeline_then_dissuaded_then_revisited_after_seven_days(world):
    lead = _lead(world)
    police = world.user(Role.POLICE)
    lead = actions.record_contact(actor=police, lead=lead, method="call", result="no_answer",
                                  at=T0 + dt.timedelta(minutes=2), now=T0 + dt.timedelta(minutes=2))
    assert lead.case.status == "dispatched"
    assert lead.first_contact_at is None
    event = CaseEvent.objects.filter(case=lead.case, action="contact_attempt").get()
    assert "上门" in event.reason  # an unanswered call asks for a visit
    grid_worker = world.user(Role.GRID_WORKER)
    lead = actions.record_contact(actor=grid_worker, lead=lead, method="visit", result="reached",
                                  at=T0 + dt.timedelta(minutes=8), now=T0 + dt.timedelta(minutes=8))
    assert lead.case.status == "contacting"
    assert lead.contact_minutes == 8
    assert lead.contacted_in_time
    assert ContactAttempt.objects.filter(lead=lead).count() == 2
    lead = actions.conclude_lead(actor=police, lead=lead, outcome="dissuaded", amount_protected="50000",
                                 expected_version=lead.case.version, now=T0 + dt.timedelta(minutes=30))
    assert lead.case.status == "concluded"
    assert not lead.case.is_open
    assert lead.revisit_due_on == dt.date(2020, 12, 17)
    with pytest.raises(Invalid):
        actions.revisit_lead(actor=police, lead=lead, note="已回访", expected_version=lead.case.version,
                             now=T0 + dt.timedelta(days=3))
    lead = actions.revisit_lead(actor=police, lead=lead, note="未再被骗", expected_version=lead.case.version,
                                now=T0 + dt.timedelta(days=7))
    assert lead.case.status == "visited"


def test_a_defrauded_victim_opens_a_linked_fraud_case(world):
    lead = _lead(world, victim_id_number=ID)
    police = world.user(Role.POLICE)
    lead = actions.conclude_lead(actor=police, lead=lead, outcome="defrauded", amount_lost="86000",
                                 police_case_number="A4110815000020120001", expected_version=lead.case.version,
                                 now=T0 + dt.timedelta(minutes=20))
    fc = FraudCase.objects.get(pk=lead.fraud_case_id)
    assert fc.amount_involved == 86000
    assert fc.region_id == world.gc_grid.code
    assert fc.victims.get().person_id == lead.person_id


def test_an_out_of_jurisdiction_officer_is_refused(world, client):
    lead = _lead(world)
    wl_station = make_org(OrgKind.POLICE_STATION, world.wuliang, "无梁派出所")
    outsider = make_user(Role.POLICE, wl_station)
    with pytest.raises(NotFound):
        actions.record_contact(actor=outsider, lead=lead, method="call", result="reached")
    with pytest.raises(Invalid) as err:
        _lead(world, actor=outsider)  # a lead for a place outside 无梁镇
    assert err.value.field == "region"
    client.force_login(outsider)
    r = client.post(f"/api/v1/antifraud-leads/{lead.pk}/contact/",
                    {"version": lead.case.version, "method": "call", "result": "reached"},
                    content_type="application/json")
    assert r.status_code == 404
    assert client.get(f"/antifraud/{lead.pk}/").status_code == 404
    # A grid worker of the place may log a visit; a centre of another township may not even see it.
    with pytest.raises(Forbidden):
        actions.record_contact(actor=world.user(Role.LEADER), lead=lead, method="call", result="reached")


def test_a_lead_for_a_place_without_a_station_waits_for_the_centre(world):
    lead = _lead(world, region=world.wl_grid)
    assert lead.case.status == "new"
    assert lead.case.handling_org is None
    assert "人工分派" in lead.routed_by


def test_bad_input_is_refused_in_chinese(world):
    for kw, field in (({"fraud_type": "88"}, "fraud_type"), ({"region": "411081999999"}, "region"),
                      ({"suspect_number": "12ab"}, "suspect_number"), ({"suspect_url": "ftp://x"}, "suspect_url"),
                      ({"victim_phone": "", "victim_id_number": ""}, "victim_phone"),
                      ({"victim_id_number": "411081195203154321"}, "victim_id_number")):
        with pytest.raises(Invalid) as err:
            _lead(world, **kw)
        assert err.value.field == field, kw
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)


def test_the_same_upstream_id_is_the_same_lead(world):
    first = _lead(world, upstream_id="GJFZ-1")
    again = _lead(world, upstream_id="GJFZ-1")
    assert again.pk == first.pk
    assert Lead.objects.count() == 1


def test_a_batch_of_1000_with_10_repeats_creates_990_and_a_retry_creates_nothing(world):
    items = [{"upstream_id": f"U{i % 990:05d}", "region": world.gc_grid.code, "victim_name": "王伟",
              "fraud_type": "01", "victim_phone": f"139{i:08d}"} for i in range(1000)]
    result = actions.intake_leads(actor=SYSTEM, items=items, now=T0)
    assert (len(result.created), len(result.existing), result.errors) == (990, 10, [])
    assert Lead.objects.count() == 990
    assert Lead.objects.filter(case__handling_org=world.orgs["gc_police"]).count() == 990
    retry = actions.intake_leads(actor=SYSTEM, items=items, now=T0 + dt.timedelta(minutes=1))
    assert (len(retry.created), len(retry.existing)) == (0, 1000)
    assert Lead.objects.count() == 990


def test_a_batch_reports_bad_items_and_accepts_the_rest(world):
    items = [{"upstream_id": "A1", "region": world.gc_grid.code, "victim_name": "甲", "fraud_type": "01",
              "victim_phone": "13900000001"},
             {"upstream_id": "A2", "region": world.gc_grid.code, "victim_name": "乙", "fraud_type": "XX",
              "victim_phone": "13900000002"},
             {"upstream_id": "A3", "region": "000", "victim_name": "丙", "fraud_type": "01",
              "victim_phone": "13900000003"},
             "not an object"]
    result = actions.intake_leads(actor=world.user(Role.CITY_OFFICE), items=items, now=T0)
    assert len(result.created) == 1
    assert [(e["index"], e["field"]) for e in result.errors] == [(1, "fraud_type"), (2, "region"), (3, "items")]


def test_a_batch_tells_each_station_once(world):
    from anmin.core.models.notices import Notice

    items = [{"upstream_id": f"N{i}", "region": world.gc_grid.code, "victim_name": "王伟", "fraud_type": "01",
              "victim_phone": f"139{i:08d}"} for i in range(5)]
    actions.intake_leads(actor=SYSTEM, items=items, now=T0)
    police = world.user(Role.POLICE)
    notes = Notice.objects.filter(recipient=police)
    assert notes.count() == 1
    assert "5条预警线索" in notes.get().title


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite splits a bulk insert by its limit of bound parameters; PostgreSQL writes "
                           "a batch with COPY")
def test_a_batch_costs_the_same_statements_whatever_its_size(world):
    """Set-based intake: the statements of a batch do not grow with its size (no query per lead)."""
    from django.test.utils import CaptureQueriesContext

    world.orgs["gc_police"]  # the station, loaded before counting
    actor = world.user(Role.CITY_OFFICE)

    def statements(tag: str, n: int) -> int:
        items = [{"upstream_id": f"{tag}{i}", "region": world.gc_grid.code, "victim_name": "王伟",
                  "fraud_type": "01", "victim_phone": f"139{i:08d}", "amount_at_risk": 20000 + i}
                 for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            result = actions.intake_leads(actor=actor, items=items, now=T0)
        assert (len(result.created), result.errors) == (n, [])
        return len(ctx.captured_queries)

    statements("W", 25)  # the rules, stations and places read once
    small, large = statements("S", 30), statements("L", 600)
    assert small == large
    assert large <= 25
    assert Lead.objects.filter(upstream_id__startswith="L", case__handling_org=world.orgs["gc_police"]).count() == 600


def test_the_case_ledger_and_the_case_page_show_a_leads_grade_by_its_name(client, world):
    """A lead's case carries its grade as its urgency: 特高, not the stored ``critical``."""
    lead = _lead(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    for url in ("/workflow/cases/", lead.case.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "特高" in body, url
        assert ">critical<" not in body, url


def test_a_contact_on_the_timeline_shows_no_code_of_its_result(world, client):
    """办理过程 read "联系：电话·已联系上 / 办理结果：reached": the attempt's code under the timeline's
    办理结果 key."""
    lead = _lead(world)
    police = world.user(Role.POLICE)
    lead = actions.record_contact(actor=police, lead=lead, method="call", result="reached",
                                  at=T0 + dt.timedelta(minutes=2), now=T0 + dt.timedelta(minutes=2))
    client.force_login(police)
    html = client.get(f"/antifraud/{lead.pk}/").content.decode()
    timeline = html[html.index('<section class="timeline">'):]
    timeline = timeline[:timeline.index("</section>")]
    assert "联系：电话·已联系上" in timeline
    assert "reached" not in timeline
    assert "办理结果：" not in timeline


def test_an_untouched_contact_or_outcome_form_records_nothing_it_was_not_told():
    """登记联系 and 登记处置结果 submitted as opened recorded 已联系上 (stopping the contact clock) and
    劝阻成功: the first option stood chosen. Now the user picks, or the form names the field."""
    from anmin.antifraud.forms import ConcludeForm, ContactForm

    contact = ContactForm({"version": "1", "method": "call"})
    assert not contact.is_valid()
    assert contact.errors["result"] == ["「联系结果」为必填项"]
    assert '<option value="" selected>请选择</option>' in str(ContactForm()["result"])
    conclude = ConcludeForm({"version": "1"})
    assert not conclude.is_valid()
    assert conclude.errors["outcome"] == ["「处置结果」为必填项"]
    assert ContactForm({"version": "1", "method": "call", "result": "reached"}).is_valid()


@pytest.mark.parametrize(("step", "version"), [("contact", 0), ("contact", 2**31), ("conclude", -1)])
def test_a_step_s_version_out_of_its_range_is_a_400_naming_it(world, client, step, version):
    """A case's version is 1 … 2^31−1, as the schema says: outside that it is a 400 naming ``version``
    (it was read as any integer and answered 409 as if the lead had moved on)."""
    lead = _lead(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    r = client.post(f"/api/v1/antifraud-leads/{lead.pk}/{step}/",
                    {"version": version, "method": "call", "result": "reached", "outcome": "dissuaded"},
                    content_type="application/json")
    assert r.status_code == 400, r.content
    assert r.json()["field"] == "version"
    assert Lead.objects.get(pk=lead.pk).case.version == lead.case.version
