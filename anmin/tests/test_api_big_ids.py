"""Ids are 64-bit (``BigAutoField``, int8 columns), and the schema says so (``core.schema``): the API takes
an id above 2³¹ wherever it takes one — an id of no row, so a 404 or a 400 naming the field, in the one
error shape — and refuses one above 2⁶³−1 the same way, never with a 500 (PostgreSQL cannot compare an
int8 column with it; SQLite cannot bind it)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from anmin.core.actors import SYSTEM
from anmin.core.bounds import MAX_BIG_INT, MAX_INT
from anmin.core.models import Role
from anmin.prevention import actions as prevention
from anmin.workflow import actions as workflow

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

ABOVE_INT32 = MAX_INT + 1_000  # an int8 id no row has (yet)
ABOVE_INT64 = MAX_BIG_INT + 1


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"code", "message", "field", "errors"}, body
    if field is not None:
        assert body["field"] == field, body
        assert body["errors"][field], body
    return body


@pytest.mark.parametrize("value", [ABOVE_INT32, MAX_BIG_INT, ABOVE_INT64, 10**30])
def test_an_id_in_the_path_beyond_every_row_is_404(world, value):
    client = api(world.user(Role.CITY_OFFICE))
    assert error(client.get(f"/api/v1/cases/{value}/"), 404)["code"] == "not_found"
    assert error(client.get(f"/api/v1/people/visits/{value}/"), 404)["code"] == "not_found"


@pytest.mark.parametrize("value", [ABOVE_INT32, ABOVE_INT64])
@pytest.mark.parametrize(("url", "name"), [("/api/v1/cases/", "handling_org"), ("/api/v1/cases/", "handler"),
                                           ("/api/v1/people/assessments/", "patient")])
def test_a_filter_by_a_row_names_itself_for_an_id_of_no_row(world, url, name, value):
    error(api(world.user(Role.CITY_OFFICE)).get(url, {name: value}), 400, name)


@pytest.mark.parametrize("value", [ABOVE_INT32, ABOVE_INT64])
def test_a_check_in_for_a_patrol_of_no_id_names_the_patrol(world, value):
    team = prevention.create_team(actor=SYSTEM, region=world.gc_village, name="古城村治安巡逻队", kind="village")
    prevention.start_patrol(actor=world.user(Role.VILLAGE_CENTER), team=team)
    response = api(world.user(Role.VILLAGE_CENTER)).post(
        "/api/v1/prevention/checkins/", {"log": value, "point": "小学门口"}, format="json")
    error(response, 400, "log")


@pytest.mark.parametrize("value", [ABOVE_INT32, ABOVE_INT64])
@pytest.mark.parametrize("name", ["target_org", "target_user"])
def test_a_step_to_an_org_or_person_of_no_id_names_the_field(world, name, value):
    case = workflow.open_case(kind="JB", region=world.gc_grid, reporter=world.user(Role.GRID_WORKER), title="测试事项")
    client = api(world.user(Role.TOWNSHIP_CENTER))
    url = f"/api/v1/cases/{case.pk}/transition/"
    assert client.post(url, {"transition": "accept", "version": case.version}, format="json").status_code == 200
    case.refresh_from_db()
    response = client.post(url, {"transition": "assign", "version": case.version, name: value}, format="json")
    error(response, 400, name)
