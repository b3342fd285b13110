"""The disputes API: scoped lists, a report that a retry does not duplicate, masked parties, 409."""

from __future__ import annotations

import datetime as dt

import pytest

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
    from anmin.workflow import actions as case_actions

    created = client.post("/api/v1/disputes/", body(world), content_type="application/json").json()
    # Someone else takes a step: the version the client read is now stale (a version below 1 is a 400).
    case = case_actions.transition_case(case=Dispute.objects.get(pk=created["id"]).case,
                                        actor=world.user(Role.TOWNSHIP_CENTER), transition="accept",
                                        expected_version=created["case_version"])
    resp = client.post(f"/api/v1/disputes/{created['id']}/outcome/",
                       {"version": created["case_version"], "outcome": "withdrawn",
                        "concluded_on": str(dt.date(2020, 6, 10)), "withdrawn_reason": "和解"},
                       content_type="application/json")
    assert resp.status_code == 409
    assert resp.json()["current"]["version"] == case.version


def test_the_neighbouring_township_cannot_see_the_dispute(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    created = client.post("/api/v1/disputes/", body(world), content_type="application/json").json()
    from anmin.core.tests.factories import make_user

    neighbour = make_user(Role.TOWNSHIP_CENTER, world.orgs["wl_center"])
    client.force_login(neighbour)
    assert client.get(f"/api/v1/disputes/{created['id']}/").status_code == 404
    assert client.get("/api/v1/disputes/").json()["count"] == 0


def test_a_report_in_a_form_is_415_its_parties_are_a_list_of_objects(client, world):
    """The schema declares a report in JSON only (its parties are objects, which a form cannot carry):
    a form is refused in the one error shape, naming JSON, and nothing is reported."""
    client.force_login(world.user(Role.GRID_WORKER))
    form = {k: v for k, v in body(world).items() if k != "parties"} | {"parties[0]role": "applicant",
                                                                       "parties[0]name": "王某"}
    resp = client.post("/api/v1/disputes/", form)
    assert resp.status_code == 415, resp.content
    assert resp.json()["code"] == "unsupported_media_type"
    assert "application/json" in resp.json()["message"]
    assert not Dispute.objects.exists()


def test_an_outcome_in_a_form_reads_empty_values_as_the_form_schema_says(client, world):
    """登记结果 takes a form: 司法确认 sent empty (an optional boolean) is no value — its default, 否;
    协议金额 sent empty (it takes null) is null; 调解结果 sent empty (required) is a 400 naming it."""
    from anmin.workflow import actions as case_actions

    from .test_disputes import NOW, report

    d = report(world)
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = case_actions.transition_case(case=d.case, actor=centre, transition="accept",
                                        expected_version=d.case.version, now=NOW)
    case = case_actions.transition_case(case=case, actor=centre, transition="assign", expected_version=case.version,
                                        target_org=world.orgs["gc_mediation"], target_user=world.user("mediator"),
                                        now=NOW)
    client.force_login(world.user("mediator"))
    url = f"/api/v1/disputes/{d.pk}/outcome/"
    form = {"version": case.version, "outcome": "withdrawn", "concluded_on": "2020-06-10", "withdrawn_reason": "和解",
            "judicial_confirmation": "", "agreement_amount": "", "failed_path": ""}
    refused = client.post(url, {**form, "outcome": ""})
    assert refused.status_code == 400, refused.content
    assert refused.json()["field"] == "outcome"
    resp = client.post(url, form)
    assert resp.status_code == 200, resp.content
    d.refresh_from_db()
    assert (d.outcome, d.judicial_confirmation, d.agreement_amount) == ("withdrawn", False, None)


@pytest.mark.parametrize(("step", "version"), [("outcome", 0), ("outcome", 2**31), ("followup", -1)])
def test_a_step_s_version_out_of_its_range_is_a_400_naming_it(client, world, step, version):
    """A case's version is 1 … 2^31−1, as the schema says: outside that it is a 400 naming ``version``
    (it was read as any integer and answered 409 as if the dispute had moved on, or 403)."""
    client.force_login(world.user(Role.GRID_WORKER))
    created = client.post("/api/v1/disputes/", body(world), content_type="application/json").json()
    client.force_login(world.user(Role.CITY_OFFICE))
    resp = client.post(f"/api/v1/disputes/{created['id']}/{step}/",
                       {"version": version, "outcome": "withdrawn", "concluded_on": "2020-06-10",
                        "satisfaction": "satisfied"}, content_type="application/json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == "version"
