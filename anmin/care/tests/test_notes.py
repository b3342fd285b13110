"""Diagnoses and follow-up notes: readable by the care team and the township centre of the patient's
place (with a reason where the rules ask for one), every read audited; masked for everyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from anmin.core.errors import Forbidden, Invalid, NotFound
from anmin.core.models import AuditEntry, Role
from anmin.core.tests.factories import make_user

from .. import actions, rules
from ..models import CareConfig
from .factories import make_patient

TODAY = dt.date(2020, 12, 10)
DIAGNOSIS = "偏执型精神分裂症"
NOTE = "近期拒绝服药，夜间吵闹，需加强看护"


@pytest.fixture(autouse=True)
def frozen_today(settings, db):
    settings.ANMIN_TODAY = TODAY.isoformat()
    rules.clear_cache()
    yield
    rules.clear_cache()


@pytest.fixture
def patient(world):
    p = make_patient(world.gc_grid, diagnosis=DIAGNOSIS)
    actions.record_visit(actor=world.user(Role.GRID_WORKER), person=p.person, method="in_person", outcome="seen",
                         visited_at=timezone.make_aware(dt.datetime(2020, 12, 9, 10)), observations=NOTE)
    return p


def reveals(patient) -> int:
    return AuditEntry.objects.filter(action="reveal", object_type="care.mentalpatient",
                                     object_id=str(patient.pk)).count()


def page(client, user, patient, **params):
    client.force_login(user)
    return client.get(patient.get_absolute_url(), params)


def test_a_care_team_member_reads_the_diagnosis_and_notes_and_each_read_is_audited(client, world, patient):
    police = world.user(Role.POLICE)
    actions.add_team_member(actor=world.user(Role.TOWNSHIP_CENTER), patient=patient, role="police", name="陈民警",
                            account=police.username)
    resp = page(client, police, patient, tab="followups")
    html = resp.content.decode()
    assert NOTE in html
    assert resp["Cache-Control"] == "no-store"
    assert DIAGNOSIS in page(client, police, patient).content.decode()
    assert reveals(patient) == 2
    entry = AuditEntry.objects.filter(action="reveal").latest("seq")
    assert entry.actor_username == police.username
    assert entry.reason


def test_the_township_centre_reveals_with_a_reason_and_others_see_the_mask(client, world, patient):
    centre = world.user(Role.TOWNSHIP_CENTER)
    html = page(client, centre, patient).content.decode()
    assert DIAGNOSIS not in html
    assert "偏***" in html
    assert "data-notes-reveal" in html
    assert reveals(patient) == 0

    resp = client.post(patient.get_absolute_url(), {"do": "reveal_notes", "reason": "", "tab": "overview"})
    assert resp.status_code == 400
    assert DIAGNOSIS not in resp.content.decode()
    resp = client.post(patient.get_absolute_url(), {"do": "reveal_notes", "reason": "研判风险", "tab": "followups"})
    assert resp.status_code == 200
    assert resp["Cache-Control"] == "no-store"
    assert NOTE in resp.content.decode()
    assert AuditEntry.objects.filter(action="reveal", reason="研判风险").count() == 1

    # The city office and a village centre see the register, not the notes.
    for role in (Role.CITY_OFFICE, Role.VILLAGE_CENTER):
        html = page(client, world.user(role), patient, tab="followups").content.decode()
        assert NOTE not in html
        assert "data-notes-masked" in html
        client.force_login(world.user(role))
        resp = client.post(patient.get_absolute_url(), {"do": "reveal_notes", "reason": "想看看"})
        assert resp.status_code == 403
        assert NOTE not in resp.content.decode()


def test_the_township_centre_of_another_township_cannot_reach_the_patient(world, patient):
    other = make_user(Role.TOWNSHIP_CENTER, world.orgs["wl_center"])
    with pytest.raises(NotFound):
        actions.reveal_care_notes(actor=other, patient=patient, reason="核查")


def test_the_worker_who_wrote_a_note_reads_it_and_a_colleague_does_not(client, world, patient):
    visit = patient.visits.get()
    client.force_login(world.user(Role.GRID_WORKER))
    html = client.get(visit.get_absolute_url()).content.decode()
    assert NOTE in html
    colleague = make_user(Role.GRID_WORKER, world.orgs["gc_v_center"], grids=[world.gc_grid])
    with pytest.raises(Forbidden):
        actions.reveal_visit_notes(actor=colleague, visit=visit, reason="看看")
    client.force_login(colleague)
    html = client.get(visit.get_absolute_url()).content.decode()
    assert NOTE not in html
    assert "data-notes-masked" in html


def test_whether_a_reason_is_needed_is_a_rule(world, patient):
    centre = world.user(Role.TOWNSHIP_CENTER)
    with pytest.raises(Invalid):
        actions.reveal_care_notes(actor=centre, patient=patient, reason="")
    CareConfig.objects.update_or_create(key="default", defaults={"rules": {"notes": {"reason_required": {
        "team": True, "office": False}}}})
    rules.clear_cache()
    notes = actions.reveal_care_notes(actor=centre, patient=patient)
    assert notes.diagnosis == DIAGNOSIS
    assert NOTE in notes.observations.values()
    assert AuditEntry.objects.filter(action="reveal").latest("seq").reason  # a standing reason, still audited


def test_a_team_account_must_belong_to_the_patients_township(world, patient):
    stranger = make_user(Role.POLICE, world.orgs["wl_center"])
    with pytest.raises(ValidationError):
        actions.add_team_member(actor=world.user(Role.TOWNSHIP_CENTER), patient=patient, role="police",
                                name="外镇民警", account=stranger.username)
