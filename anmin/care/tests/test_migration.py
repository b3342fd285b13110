"""Care left people without losing a row or a grant: the move is migration state only, the tables keep
their names and rows, and the content types move, so the permissions and the roles holding them follow.

Migrates a database holding a patient, a follow-up and a role's grant back to before the move, writes
there as the old code did, and forward again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from anmin.core.models import Role
from anmin.people.tests.factories import make_person

from ..models import MentalPatient, Visit

BEFORE = [("care", None), ("people", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in ("care", "people")]


# Back to before the move and forward again re-renders most of the project's migration states: half a
# minute of a test process. The move is migration state and content types, the same on either database;
# it is checked on the production one (the PostgreSQL pass of make test).
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the move is checked in the PostgreSQL pass")
@pytest.mark.django_db(transaction=True)
def test_a_populated_database_crosses_the_move_and_back(world):
    person = make_person(world.gc_grid, name="迁移前")  # Person did not move: the same table throughout
    old = _migrate(BEFORE)
    try:
        OldPatient = old.get_model("people", "MentalPatient")
        OldVisit = old.get_model("people", "Visit")
        patient = OldPatient.objects.create(person_id=person.pk, risk_level=3, registered_on=dt.date(2019, 1, 2),
                                            next_followup_on=dt.date(2020, 1, 5))
        OldVisit.objects.create(person_id=person.pk, patient_id=patient.pk, kind="follow_up", method="phone",
                                outcome="seen", visited_at=timezone.now())
        approve = Permission.objects.get(content_type__app_label="people", codename="approve_risk_level")
        role = Role.objects.get(code=Role.TOWNSHIP_CENTER)
        role.permissions.add(approve)
        role.applied_defaults = sorted({*(role.applied_defaults or []), "people.approve_risk_level"})
        role.save(update_fields=["applied_defaults"])
    finally:
        _migrate(_latest())

    moved = MentalPatient.objects.get(pk=patient.pk)
    assert (moved.person_id, moved.risk_level, moved.next_followup_on) == (person.pk, 3, dt.date(2020, 1, 5))
    assert Visit.objects.filter(patient=moved).count() == 1
    assert MentalPatient._meta.db_table == "people_mentalpatient"
    assert not ContentType.objects.filter(app_label="people", model="mentalpatient").exists()
    role = Role.objects.get(code=Role.TOWNSHIP_CENTER)
    assert role.permissions.filter(content_type__app_label="care", codename="approve_risk_level").exists()
    assert "care.approve_risk_level" in role.applied_defaults
    assert "people.approve_risk_level" not in role.applied_defaults
    user = world.user(Role.TOWNSHIP_CENTER)
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert user.has_perm("care.approve_risk_level")
