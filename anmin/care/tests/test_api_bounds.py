"""A visit posted without its method or outcome takes the model's defaults (it used to be a 500);
a value outside the choices is a 400 naming the field."""

from __future__ import annotations

import datetime as dt

from anmin.core.models import Role

from .factories import make_patient


def test_a_visit_without_method_and_outcome_is_recorded_with_the_defaults(client, world):
    patient = make_patient(world.gc_grid, level=3, registered_on=dt.date(2020, 11, 1))
    client.force_login(world.user(Role.GRID_WORKER))
    body = {"person": patient.person_id, "visited_at": "2020-12-10T10:00:00+08:00"}
    resp = client.post("/api/v1/people/visits/", body, content_type="application/json")
    assert resp.status_code == 201, resp.content
    assert (resp.json()["method"], resp.json()["outcome"]) == ("in_person", "seen")
    bad = client.post("/api/v1/people/visits/", {**body, "method": "telepathy"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "method"
