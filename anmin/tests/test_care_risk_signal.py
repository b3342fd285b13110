"""One registry warns another, end to end with the real publisher: care's "level ≥ 3 patient" signal
raises a dispute's colour through the party's person, with the reason on the case timeline, and every
care action that changes the patient's standing (approving a lower or a higher level, closing the
register) moves the dispute with it.

Lives outside the domains: it is the one place that names both care and disputes (they may not
import each other)."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.care import actions as care
from anmin.care.models import MentalPatient
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.disputes.tests.test_disputes import report
from anmin.people import actions as people
from anmin.people.tests.factories import make_person
from anmin.workflow.models import CaseEvent

PATIENT_ID = make_id_number(birth_date=dt.date(1975, 3, 4), sequence=77)


@pytest.fixture(autouse=True)
def frozen_today(settings):
    settings.ANMIN_TODAY = "2020-06-10"


def _change_level(world, patient, level):
    """A follow-up assessment (grid worker) approved by the township centre."""
    a = care.assess_risk(actor=world.user(Role.GRID_WORKER), patient=patient, level=level,
                         assessed_on=dt.date(2020, 6, 10))
    care.decide_assessment(actor=world.user(Role.TOWNSHIP_CENTER), assessment=a, approve=True)


def _last_signal_note(d) -> str:
    return CaseEvent.objects.filter(case=d.case, action="risk_signal").order_by("-seq").first().reason


def test_a_party_who_is_a_level_3_patient_makes_the_dispute_red_and_follows_the_register(world):
    person = make_person(world.gc_grid, name="赵某", id_number=PATIENT_ID)
    patient = care.register_patient(actor=world.user(Role.VILLAGE_CENTER), person=person, risk_level=3,
                                    registered_on=dt.date(2020, 1, 2), guardian_name="赵母")
    d = report(world, title="赵某与孙某相邻纠纷", assessed_colour="blue",
               parties=[{"name": "赵某", "id_number": PATIENT_ID}, {"name": "孙某", "role": "respondent"}])
    assert d.parties.get(name="赵某").person_id == person.pk  # the same person, found by the ID number
    assert d.colour == "red"
    assert "风险等级3级" in d.auto_flags["mental_disorder"]
    note = _last_signal_note(d)
    assert "当事人有精神障碍" in note
    assert "赵某" in note

    _change_level(world, patient, 1)  # the township approves level 1: the warning goes
    d.refresh_from_db()
    assert d.colour == "blue"
    assert d.auto_flags == {}
    assert "自动撤销" in _last_signal_note(d)

    _change_level(world, MentalPatient.objects.get(pk=patient.pk), 4)  # and back up
    d.refresh_from_db()
    assert d.colour == "red"
    assert "风险等级4级" in d.auto_flags["mental_disorder"]

    current = MentalPatient.objects.get(pk=patient.pk)
    people.close_special(actor=world.user(Role.TOWNSHIP_CENTER), record=current, expected_version=current.version,
                         closed_on=dt.date(2020, 6, 10), reason="迁出本市")  # off the register: down again
    d.refresh_from_db()
    assert d.colour == "blue"
    assert d.auto_flags == {}


def test_a_pending_level_change_does_not_move_the_dispute(world):
    person = make_person(world.gc_grid, name="钱某", id_number=PATIENT_ID)
    patient = care.register_patient(actor=world.user(Role.VILLAGE_CENTER), person=person, risk_level=1,
                                    registered_on=dt.date(2020, 1, 2))
    d = report(world, title="钱某与孙某借贷纠纷", assessed_colour="blue",
               parties=[{"name": "钱某", "id_number": PATIENT_ID}, {"name": "孙某", "role": "respondent"}])
    assert d.colour == "blue"
    care.assess_risk(actor=world.user(Role.GRID_WORKER), patient=patient, level=3, assessed_on=dt.date(2020, 6, 10))
    d.refresh_from_db()
    assert d.colour == "blue"  # an assessment waiting for approval is not the patient's level yet
