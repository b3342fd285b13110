"""KPIs are computed from the records (and change with them); the API is scoped, masked and safe to
retry; the demo builder is deterministic, idempotent and reports the seed's figures."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role
from anmin.core.protected import mask_id_number
from anmin.core.tests.factories import make_region
from anmin.people import actions as people_actions
from anmin.people import demo as people_demo
from anmin.people import kpis as people_kpis
from anmin.people.models import CommunityCorrection, Person

from .. import actions, demo, kpis, rules
from ..models import Incident, MentalPatient, Visit
from .factories import complete_team, make_patient, make_person

TODAY = dt.date(2020, 12, 10)


@pytest.fixture(autouse=True)
def frozen_today(settings, db):
    settings.ANMIN_TODAY = TODAY.isoformat()
    rules.clear_cache()


def test_kpi_figures_change_when_a_record_changes(world):
    assert people_kpis.residents(year=2020) == 0
    make_person(world.gc_grid, name="甲")
    make_person(world.wl_grid, name="乙")
    assert people_kpis.residents(year=2020) == 2
    assert people_kpis.residents(year=2020, region=world.gucheng.code) == 1
    assert people_kpis.residents(year=2020, region=world.wuliang) == 1
    patient = make_patient(world.gc_grid, level=2, registered_on=dt.date(2020, 1, 2))
    assert kpis._level(2)(year=2020) == 1
    assert kpis.patients_level_3_up(year=2020) == 0
    assessment = actions.assess_risk(actor=SYSTEM, patient=patient, level=3, assessed_on=TODAY)
    actions.decide_assessment(actor=world.user(Role.TOWNSHIP_CENTER), assessment=assessment, approve=True)
    assert kpis.patients_level_3_up(year=2020) == 1
    assert kpis.level_3_up_team_complete(year=2020) == 0
    complete_team(MentalPatient.objects.get(pk=patient.pk))
    assert kpis.level_3_up_team_complete(year=2020) == 1
    # Follow-ups: none yet, so nobody has had what the rules ask for this year.
    assert kpis.followups(year=2020) == 0
    assert kpis.followup_completion_rate(year=2020) == 0.0
    for month in range(1, 13):
        day = dt.date(2020, month, 5)
        if day <= TODAY:
            actions.record_visit(
                actor=SYSTEM,
                person=patient.person,
                method="phone",
                outcome="seen",
                visited_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
            )
    assert kpis.followups(year=2020) == 12
    assert kpis.followup_completion_rate(year=2020) == 100.0
    assert kpis.incidents(year=2020) == 0
    actions.record_incident(
        actor=SYSTEM, patient=patient, severity="disaster", occurred_at=timezone.make_aware(dt.datetime(2020, 8, 1, 12))
    )
    assert (kpis.incidents(year=2020), kpis.major_incidents(year=2020), kpis.incidents(year=2019)) == (1, 1, 0)
    register = people_kpis.register_count(CommunityCorrection)
    assert register(year=2020) == 0
    people_actions.register_special(
        actor=SYSTEM,
        model=CommunityCorrection,
        person=make_person(world.gc_grid),
        fields={"correction_type": "probation", "starts_on": dt.date(2020, 1, 1), "ends_on": dt.date(2021, 1, 1)},
    )
    assert register(year=2020) == 1
    # What a user may see bounds what they are told.
    assert people_kpis.residents(year=2020, user=world.user(Role.GRID_WORKER)) == 3
    assert people_kpis.residents(year=2020, user=world.user(Role.SYSADMIN)) == 0


def test_the_kpis_command_prints_every_registered_kpi_as_json(world):
    make_patient(world.gc_grid, level=4)
    out = StringIO()
    call_command("kpis", year=2020, format="json", app=["care"], stdout=out)
    data = json.loads(out.getvalue())
    values = {k["key"]: k["value"] for k in data["kpis"]}
    assert values["care.patients_level_3_up"] == 1
    assert values["care.incidents"] == 0
    out = StringIO()
    call_command("kpis", year=2020, region=world.wuliang.code, format="json", key=["people.residents"], stdout=out)
    assert json.loads(out.getvalue())["kpis"][0]["value"] == 0


def test_the_api_is_scoped_masked_and_a_retried_follow_up_creates_one_record(client, world):
    patient = make_patient(world.gc_grid, level=3, registered_on=dt.date(2020, 11, 1))
    outsider = make_person(world.wl_grid, name="无梁人")
    assert client.get("/api/v1/people/persons/").status_code == 401
    client.force_login(world.user(Role.GRID_WORKER))
    listed = client.get("/api/v1/people/persons/").json()
    assert [r["id"] for r in listed["results"]] == [patient.person_id]
    assert listed["results"][0]["id_number"] == mask_id_number(patient.person.id_number.reveal())
    assert client.get(f"/api/v1/people/persons/{outsider.pk}/").status_code == 404
    body = {
        "person": patient.person_id,
        "visited_at": "2020-12-10T10:00:00+08:00",
        "method": "in_person",
        "outcome": "seen",
        "observations": "情绪稳定",
    }
    first = client.post("/api/v1/people/visits/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="visit-1")
    again = client.post("/api/v1/people/visits/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="visit-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert Visit.objects.filter(person=patient.person).count() == 1
    assert "observations" not in first.json()
    patient.refresh_from_db()
    assert patient.next_followup_on == dt.date(2020, 12, 24)
    bad = client.post("/api/v1/people/visits/", {**body, "next_on": "2021-03-01"}, content_type="application/json")
    assert bad.status_code == 400
    assert "最迟应为2020-12-24" in bad.json()["errors"]["next_on"][0]
    outside = client.post("/api/v1/people/visits/", {**body, "person": outsider.pk}, content_type="application/json")
    assert outside.status_code == 400
    # A stale version on update is a conflict.
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    url = f"/api/v1/people/persons/{patient.person_id}/"
    ok = client.patch(url, {"current_address": "古城村8号", "version": 1}, content_type="application/json")
    assert ok.status_code == 200
    stale = client.patch(url, {"current_address": "古城村9号", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert Person.objects.get(pk=patient.person_id).current_address == "古城村8号"


def test_demo_plan_has_exactly_774_patients_at_level_3_or_above():
    villages = [(f"411081{t:03d}{v:03d}", f"村{v}", f"411081{t:03d}000") for t in range(100, 126) for v in range(1, 27)]
    planned = people_demo.plan(villages, 1.0)
    patients = [p for people in planned.values() for p in people if p.kind == "mental"]
    assert sum(1 for p in patients if p.level >= 3) == 774
    ids = [p.id_number for people in planned.values() for p in people if p.id_number]
    assert len(ids) == len(set(ids))
    assert people_demo.plan(villages, 1.0)[villages[5][0]][3].id_number == planned[villages[5][0]][3].id_number


def _built(builder) -> dict:
    """A demo builder run as ``anmin demo`` runs it: in a transaction of its own."""
    with transaction.atomic():
        return builder.build(scale=0.1)


def test_the_demo_builder_is_idempotent_and_reports_its_figures(world):
    make_region("41108110620301", "第1网格", world.gc_village2)
    first = _built(people_demo)
    assert first["persons"] > 0
    assert _built(demo)["mental_patients"] > 0
    assert kpis.patients_level_3_up(year=2020) == 77
    assert kpis.level_3_up_team_complete(year=2020) == 77
    assert [kpis.incidents(year=y) for y in (2018, 2019, 2020)] == [0, 0, 0]
    assert Incident.objects.count() > 0  # the incident history lies before 2018
    assert kpis.subsidy_enrolled(year=2020) == 77
    assert kpis.followup_completion_rate(year=2020) > 90
    counts = _row_counts()
    assert _built(people_demo) == {"persons": 0}
    assert _built(demo) == {"mental_patients": 0}
    assert _row_counts() == counts  # a second build adds nothing: no person, record, visit or audit entry


def _row_counts() -> dict[str, int]:
    models = [*(m for app in ("people", "care", "workflow") for m in django_apps.get_app_config(app).get_models())]
    return {m._meta.label: m._default_manager.count() for m in (*models, AuditEntry)}
