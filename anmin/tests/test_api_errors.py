"""One error vocabulary across the API: the same bad request gets the same status and the same JSON
shape from every domain's endpoint and every case kind, and no error comes back as HTML. (In the top
layer: it reads every domain through the registries.)"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from anmin.core.models import Role
from anmin.core.registry import api_routes
from anmin.core.tests.test_authz_matrix import load_samples
from anmin.workflow.models import CaseDetail
from anmin.workflow.registry import case_kinds

SHAPE = {"code", "message", "field", "errors", "current"}


def api(world, role=Role.CITY_OFFICE) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(role))
    return client


def one_shape(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, (resp.status_code, resp.content[:300])
    assert resp["Content-Type"].startswith("application/json"), resp["Content-Type"]
    body = resp.json()
    assert set(body) == SHAPE, body
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], dict)
    if code:
        assert body["code"] == code
    return body


def creatable_routes() -> list[str]:
    return sorted(r.prefix for r in api_routes if hasattr(r.viewset, "create"))


def creator(world, prefix: str) -> str:
    """The city office, or (for a domain whose records it does not create, e.g. 扫黑办's clues, a
    grid worker's visits) the first role that holds the route's create permission — which the view
    checks before the body (``create_perm``, or its ``create_action``'s)."""
    viewset = api_routes.get(prefix).viewset
    guarded = viewset().create_action() if hasattr(viewset, "create_action") else None
    perm = getattr(viewset, "create_perm", "") or getattr(getattr(guarded, "spec", None), "perm", "")
    for role in (Role.CITY_OFFICE, *world.users):
        if not perm or world.user(role).has_perm(perm):
            return role
    return Role.CITY_OFFICE


@pytest.mark.parametrize("prefix", creatable_routes())
def test_an_empty_create_is_400_naming_a_field_in_the_one_shape(world, prefix):
    body = one_shape(api(world, creator(world, prefix)).post(f"/api/v1/{prefix}/", {}, format="json"), 400,
                     "invalid")
    assert body["field"]
    assert body["field"] in body["errors"]


@pytest.mark.parametrize("prefix", sorted(r.prefix for r in api_routes))
def test_a_missing_record_unauthenticated_calls_and_wrong_methods_answer_in_the_one_shape(world, prefix):
    one_shape(api(world).get(f"/api/v1/{prefix}/987654321/"), 404, "not_found")
    one_shape(APIClient().get(f"/api/v1/{prefix}/"), 401)
    one_shape(api(world).delete(f"/api/v1/{prefix}/"), 405)


def test_unknown_urls_and_malformed_bodies_answer_json(world):
    one_shape(api(world).get("/api/v1/no-such-thing/"), 404, "not_found")
    resp = api(world).post("/api/v1/cases/", "{not json", content_type="application/json")
    one_shape(resp, 400)


def cases_of_every_kind(world) -> dict[str, object]:
    """One case of every registered kind, in 古城镇: domain kinds through their scope samples."""
    from anmin.workflow import actions as case_actions

    out = {}
    for model, (make, _spec) in load_samples().items():
        if issubclass(model, CaseDetail):
            case = make(world.gc_grid, world).case
            out.setdefault(case.kind, case)
    for kind in case_kinds:
        if kind.code not in out and kind.creatable:
            out[kind.code] = case_actions.open_task(actor=world.user(Role.CITY_OFFICE), kind=kind, title="样例",
                                                    region=world.gc_grid)
    return out


def _who_sees(world, case) -> list[str]:
    """The roles of the test world who see the case, the township centre first (most kinds are its)."""
    from anmin.workflow.models import Case

    order = [Role.TOWNSHIP_CENTER, *sorted(r for r in world.users if r != Role.TOWNSHIP_CENTER)]
    return [r for r in order if Case.objects.visible_to(world.user(r)).filter(pk=case.pk).exists()]


def test_every_case_kind_answers_a_bad_step_a_refused_step_and_a_stale_step_alike(world):
    cases = cases_of_every_kind(world)
    missing = [k.code for k in case_kinds if k.code not in cases]
    assert not missing, f"add a scope sample for the detail model of case kinds {missing}"
    shapes, refused_seen = {}, 0
    for code, case in cases.items():
        url = f"/api/v1/cases/{case.pk}/transition/"
        seers = _who_sees(world, case)
        assert seers, f"nobody in the test world sees a case of kind {code}"
        centre = api(world, seers[0])  # the township centre, or the office a confidential kind keeps to
        bad = one_shape(centre.post(url, {"transition": "no_such_step", "version": case.version}, format="json"),
                        400, "invalid")
        assert bad["field"] == "transition"
        one_shape(centre.post(url, {"version": case.version}, format="json"), 400, "invalid")
        # The kind's first step from its initial state (受理 in the default lifecycle, 下达整改 for a railway hazard).
        first = case.workflow.transitions_from(case.status)[0].name
        # A version that is not the case's (a version below 1 is a 400 naming it, not a conflict).
        stale = one_shape(centre.post(url, {"transition": first, "version": case.version + 1}, format="json"),
                          409, "conflict")
        assert stale["current"]["version"] == case.version
        # Someone who sees the case but whose move the step is not: 403 in the same shape.
        refusers = sorted(seers[1:], key=lambda r: (r not in (Role.GRID_WORKER, Role.LEADER, Role.VILLAGE_CENTER), r))
        for role in refusers:
            resp = api(world, role).post(url, {"transition": first, "version": case.version}, format="json")
            if resp.status_code == 403:
                one_shape(resp, 403, "forbidden")
                refused_seen += 1
            if resp.status_code != 403:  # taken (their move after all) or refused otherwise: done here
                break
        shapes[code] = (bad["code"], stale["code"], tuple(sorted(stale["current"])))
    assert len(set(shapes.values())) == 1, shapes
    assert refused_seen >= len(cases) // 2, "too few kinds were checked with a refused step"


def test_every_domain_list_is_json_even_with_bad_filters(world):
    for route in api_routes:
        resp = api(world).get(f"/api/v1/{route.prefix}/", {"page": "ç", "page_size": "-1"})
        assert resp["Content-Type"].startswith("application/json")
        # 405: a route with no list (the public fraud check takes a POST only).
        assert resp.status_code in (200, 400, 404, 405)
        if resp.status_code != 200:
            one_shape(resp, resp.status_code)


@pytest.mark.parametrize(("param", "value"), [("page", ""), ("page", "²"), ("page", "0"), ("page_size", "²"),
                                              ("page_size", "")])
def test_a_page_that_is_not_a_whole_number_is_a_400_naming_it(world, param, value):
    for route in api_routes:
        if route.prefix == "antifraud-check":  # the public check takes a POST, lists nothing
            continue
        resp = api(world).get(f"/api/v1/{route.prefix}/", {param: value})
        assert resp.status_code == 400, f"/api/v1/{route.prefix}/?{param}={value}: {resp.status_code}"
        one_shape(resp, 400)
        assert param in json.dumps(resp.json(), ensure_ascii=False)


def test_the_schema_declares_the_error_shape_on_every_operation(world):
    resp = api(world).get("/api/schema/", {"format": "json"})
    schema = resp.json()
    assert "Error" in schema["components"]["schemas"]
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for status in ("400", "401", "403", "404", "500"):
                assert status in op["responses"], f"{method.upper()} {path} does not declare {status}"
    assert apps.is_installed("drf_spectacular")


def test_a_create_that_takes_an_idempotency_key_declares_its_422(world):
    # The fuzzer's finding: POST /api/v1/grid-events/ and /api/v1/people/persons/ answered 422
    # (idempotency_key_reused: the key came before with another body), a status the schema did not
    # declare. Every operation with the Idempotency-Key header now declares it, in the one shape.
    client = api(world)
    task = {"kind": "JB", "title": "全市校园安全大检查", "region": world.city.code}
    key = {"Idempotency-Key": "fuzz-1"}
    assert client.post("/api/v1/cases/", task, format="json", headers=key).status_code == 201
    again = client.post("/api/v1/cases/", {**task, "title": "另一件事"}, format="json", headers=key)
    one_shape(again, 422, "idempotency_key_reused")
    schema = client.get("/api/schema/", {"format": "json"}).json()
    keyed = [(path, method) for path, ops in schema["paths"].items() for method, op in ops.items()
             if any(p.get("name") == "Idempotency-Key" for p in op.get("parameters", ()))]
    assert {("/api/v1/cases/", "post"), ("/api/v1/grid-events/", "post")} <= set(keyed)
    for path, method in keyed:
        assert "422" in schema["paths"][path][method]["responses"], f"{method.upper()} {path}"


def test_a_read_only_choice_that_may_be_blank_admits_it_in_the_schema(world):
    # The fuzzer's finding (扫黑办): a new clue answered "result": "" (核查结果, blank until concluded)
    # where the schema's ClueResultEnum left "" out — DRF drops allow_blank from read-only fields.
    # The same held for a dispute's and a lead's outcome while open.
    schema = api(world).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    def admits_blank(node) -> bool:
        if "$ref" in node:
            return admits_blank(components[node["$ref"].rsplit("/", 1)[-1]])
        if "enum" in node:
            return "" in node["enum"]
        return any(admits_blank(n) for n in node.get("oneOf", ())) or (
            bool(node.get("allOf")) and all(admits_blank(n) for n in node["allOf"])) or node.get("type") == "string"

    for component, name in (("Clue", "result"), ("ClueDetail", "result"), ("Dispute", "outcome"),
                            ("DisputeDetail", "satisfaction"), ("Lead", "outcome")):
        assert admits_blank(components[component]["properties"][name]), (component, name)


def test_a_refused_field_is_named_by_its_label_in_the_message(world):
    """A grid event reported from a phone with its latitude out of range came back as "latitude：请确保该值
    小于或者等于 90。" (and the phone's outbox showed it with no name at all): the message names the field
    as the form does; ``field`` and ``errors`` keep the API's names."""
    from anmin.grid.categories import load_categories

    load_categories()
    resp = api(world, Role.GRID_WORKER).post(
        "/api/v1/grid-events/", {"region": world.gc_grid.code, "category": "02", "description": "井盖缺失",
                                 "latitude": "91", "longitude": "113.4"},
        format="json", HTTP_IDEMPOTENCY_KEY="label-test-0001")
    body = one_shape(resp, 400, "invalid")
    assert body["field"] == "latitude"
    assert set(body["errors"]) == {"latitude"}
    assert body["message"].startswith("纬度：")
    assert "latitude" not in body["message"]
