"""The dispute on the kit: its own steps are taken only through its page, a dispute is not closed
without an outcome, every mediation step is on the timeline, and the parties' risk signals in the
person register set its colour — and follow the register when it changes."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.core import clock
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.disputes import actions
from anmin.disputes.models import Dispute
from anmin.people.models import Person
from anmin.people.risk import RiskSignal, risk_signals, signals_changed
from anmin.workflow import actions as case_actions
from anmin.workflow.models import CaseEvent

from .test_disputes import NOW, _mediate, report

PATIENT_ID = make_id_number(birth_date=dt.date(1975, 3, 4), sequence=77)


def _to_feedback_without_outcome(world, d):
    """Take the case to 待核查 as an old client would: a bare generic 反馈."""
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = case_actions.transition_case(case=d.case, actor=centre, transition="accept",
                                        expected_version=d.case.version, now=NOW)
    return case_actions.transition_case(case=case, actor=centre, transition="assign", expected_version=case.version,
                                        target_org=world.orgs["gc_mediation"], now=NOW)


def test_the_generic_endpoint_refuses_the_disputes_own_steps_and_points_to_its_page(client, world):
    d = report(world)
    case = _to_feedback_without_outcome(world, d)
    client.force_login(world.user("mediator"))
    resp = client.post(f"/api/v1/cases/{case.pk}/transition/",
                       {"transition": "feedback", "version": case.version, "data": {"result": "调好了"}},
                       content_type="application/json")
    assert resp.status_code == 403
    body = resp.json()
    assert body["code"] == "forbidden"
    assert "登记调解结果" in body["message"]
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_the_generic_case_page_does_not_offer_them_and_refuses_a_forged_post(client, world):
    d = report(world)
    case = _to_feedback_without_outcome(world, d)
    client.force_login(world.user("mediator"))
    page = client.get(f"/workflow/cases/{case.pk}/").content.decode()
    assert 'data-action="feedback"' not in page
    resp = client.post(f"/workflow/cases/{case.pk}/act/",
                       {"t": "feedback", "version": case.version, "result": "调好了"})
    assert resp.status_code == 403
    assert "登记调解结果" in resp.content.decode()
    case.refresh_from_db()
    assert case.status == "in_progress"
    # The dispute's own page offers the step with its fields.
    page = client.get(f"/disputes/{d.pk}/").content.decode()
    assert 'data-action="outcome"' in page


def test_a_dispute_cannot_be_closed_without_an_outcome(world):
    d = report(world)
    case = _to_feedback_without_outcome(world, d)
    # Even a case that reached 待核查 some other way (an import, an old record) is not closed bare.
    case_actions.transition_case(case=case, actor=world.user("mediator"), transition="feedback",
                                 expected_version=case.version, data={"result": "x"}, now=NOW, domain="disputes")
    case.refresh_from_db()
    with pytest.raises(case_actions.InvalidTransition) as err:
        case_actions.transition_case(case=case, actor=world.user(Role.TOWNSHIP_CENTER), transition="verify_pass",
                                     expected_version=case.version, now=NOW)
    assert "调解结果" in err.value.message
    case.refresh_from_db()
    assert case.status == "feedback"


def test_outcome_then_check_then_followup_through_the_domain(world):
    d = _mediate(world, report(world))
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = case_actions.transition_case(case=d.case, actor=centre, transition="verify_pass",
                                        expected_version=d.case.version, now=NOW)
    with pytest.raises(case_actions.TransitionNotAllowed):  # the generic 回访 is the domain's
        case_actions.transition_case(case=case, actor=centre, transition="visit", expected_version=case.version,
                                     data={"satisfaction": "satisfied"}, now=NOW)
    d = actions.record_followup(actor=centre, dispute=d, expected_version=case.version, satisfaction="satisfied",
                                note="电话回访，双方满意", now=NOW)
    assert (d.satisfaction, d.case.status) == ("satisfied", "visited")
    steps = list(d.case.events.values_list("action", flat=True))
    assert steps == ["open", "accept", "assign", "mediation_session", "feedback", "verify_pass", "visit"]


# -- People as the shared identity ------------------------------------------------------------------
@pytest.fixture
def patient_signal():
    """A stand-in publisher of the severe-mental-disorder signal: the persons named in ``levels``
    with a level of 3 or more carry it (the real one is the care registry's)."""
    levels: dict[int, int] = {}

    def holders(ids):
        return {pid: f"严重精神障碍患者，风险等级{levels[pid]}级" for pid in ids if levels.get(pid, 0) >= 3}

    key = "severe_mental_disorder"
    saved = risk_signals._items.pop(key, None)
    risk_signals.register(key, RiskSignal(key, "严重精神障碍患者（3级及以上）", holders, app="test"))
    yield levels
    risk_signals._items.pop(key)
    if saved is not None:
        risk_signals._items[key] = saved


def test_a_party_is_linked_to_the_person_register_by_id_number(world):
    d = report(world)
    applicant = d.parties.get(name="张某")
    assert applicant.person is not None
    assert applicant.person.name == "张某"
    again = report(world, title="张某与王某借贷纠纷")
    assert again.parties.get(name="张某").person_id == applicant.person_id  # one person, not a copy
    assert Person.objects.filter(id_number=applicant.person.id_number).count() == 1


def test_a_linked_party_opens_the_persons_page_for_whoever_may_see_it(world, client):
    """已关联人口库 on the dispute's page links the person's page (where the ID number is revealed with
    a reason) for a viewer who sees that person; for one who does not, it stays a tag."""
    from django.test import Client

    d = report(world)
    person_id = d.parties.get(name="张某").person_id
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(d.get_absolute_url(), {"tab": "parties"}).content.decode()
    assert f'href="/people/persons/{person_id}/" data-person-link' in page
    assert client.get(f"/people/persons/{person_id}/").status_code == 200
    for role in (Role.CITY_OFFICE, Role.LEADER, Role.VILLAGE_CENTER, Role.GRID_WORKER, Role.POLICE):
        other = Client()
        other.force_login(world.user(role))
        seen = other.get(d.get_absolute_url(), {"tab": "parties"})
        if seen.status_code != 200:
            continue
        linked = "data-person-link" in seen.content.decode()
        assert linked == (other.get(f"/people/persons/{person_id}/").status_code == 200), role


def test_a_party_who_is_a_level_3_patient_makes_the_dispute_red_and_level_1_undoes_it(world, patient_signal):
    d0 = report(world, parties=[{"name": "赵某", "id_number": PATIENT_ID}, {"name": "钱某", "role": "respondent"}])
    person = d0.parties.get(name="赵某").person
    patient_signal[person.pk] = 3
    d = report(world, title="赵某与孙某相邻纠纷", assessed_colour="blue",
               parties=[{"name": "赵某", "id_number": PATIENT_ID}, {"name": "孙某", "role": "respondent"}])
    assert d.colour == "red"
    assert "mental_disorder" in d.auto_flags
    assert "风险等级3级" in d.auto_flags["mental_disorder"]
    note = CaseEvent.objects.get(case=d.case, action="risk_signal")
    assert "当事人有精神障碍" in note.reason
    assert "赵某" in note.reason

    patient_signal[person.pk] = 1  # the register lowers the patient's level
    signals_changed(person_ids=[person.pk], signal="severe_mental_disorder", actor=SYSTEM)
    d.refresh_from_db()
    assert d.colour == "blue"
    assert d.auto_flags == {}
    last = CaseEvent.objects.filter(case=d.case, action="risk_signal").order_by("-seq").first()
    assert "自动撤销" in last.reason


def test_a_party_in_three_disputes_this_year_is_flagged_in_all_of_them(world):
    clock.set_business_time(NOW)  # "this year" is the world's year
    parties = [{"name": "周某", "id_number": PATIENT_ID}, {"name": "吴某", "role": "respondent"}]
    first = report(world, title="一", parties=parties)
    report(world, title="二", parties=parties)
    third = report(world, title="三", parties=parties)
    assert "repeat_disputes" in third.auto_flags
    first.refresh_from_db()
    assert "repeat_disputes" in first.auto_flags  # the open earlier ones follow
    assert Dispute.objects.get(pk=third.pk).colour in ("yellow", "orange", "red")
