"""The disputes API: scoped lists, a report that a retry does not duplicate, masked parties, 409."""

from __future__ import annotations

import datetime as dt

from anmin.core.models import Role
from anmin.disputes.models import Dispute


def body(world, **kw):
    data = {
        "title": "王某与赵某借贷纠纷", "region": world.gc_grid.code, "category": "0804", "found_on": "2020-06-09",
        "parties": [{"role": "applicant", "name": "王某", "phone": "13912345678"},
                    {"role": "respondent", "name": "赵某"}],
    }
    data.update(kw)
    return data


def test_a_retried_report_with_the_same_idempotency_key_creates_one_dispute(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    first = client.post("/api/v1/disputes/", body(world), content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="report-0001")
    again = client.post("/api/v1/disputes/", body(world), content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="report-0001")
    assert first.status_code == 201, first.content
    assert again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert Dispute.objects.count() == 1
    other = client.post("/api/v1/disputes/", body(world, title="另一件"), content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="report-0001")
    assert other.status_code == 422


def test_party_phone_numbers_are_masked_in_the_api(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    created = client.post("/api/v1/disputes/", body(world), content_type="application/json").json()
    detail = client.get(f"/api/v1/disputes/{created['id']}/").json()
    phones = [p["phone"] for p in detail["parties"]]
    assert "139****5678" in phones
    assert "13912345678" not in str(detail)


def test_a_report_outside_the_grid_workers_area_is_refused_naming_the_field(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    resp = client.post("/api/v1/disputes/", body(world, region=world.wl_grid.code), content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["field"] == "region"
    assert not Dispute.objects.exists()


def test_a_stale_outcome_gets_409_with_the_current_state(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    created = client.post("/api/v1/disputes/", body(world), content_type="application/json").json()
    resp = client.post(f"/api/v1/disputes/{created['id']}/outcome/",
                       {"version": created["case_version"] - 1, "outcome": "withdrawn",
                        "concluded_on": str(dt.date(2020, 6, 10)), "withdrawn_reason": "和解"},
                       content_type="application/json")
    assert resp.status_code == 409
    assert resp.json()["current"]["version"] == created["case_version"]


def test_the_neighbouring_township_cannot_see_the_dispute(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    created = client.post("/api/v1/disputes/", body(world), content_type="application/json").json()
    from anmin.core.tests.factories import make_user

    neighbour = make_user(Role.TOWNSHIP_CENTER, world.orgs["wl_center"])
    client.force_login(neighbour)
    assert client.get(f"/api/v1/disputes/{created['id']}/").status_code == 404
    assert client.get("/api/v1/disputes/").json()["count"] == 0
