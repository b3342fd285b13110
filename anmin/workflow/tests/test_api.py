"""The cases API: list/detail/create, steps through POST .../transition/, 409 on a stale version."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from anmin.core.models import Role
from anmin.workflow.definitions import DEFAULT_WORKFLOW
from anmin.workflow.models import Case
from anmin.workflow.registry import CaseKind, case_kinds, register_kind

from .conftest import open_task


def api(world, role) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(role))
    return client


def test_list_and_detail_are_scoped(world):
    ours = open_task(world)
    theirs = open_task(world, region=world.wl_grid)
    client = api(world, Role.TOWNSHIP_CENTER)
    ids = {row["id"] for row in client.get("/api/v1/cases/").json()["results"]}
    assert ids == {ours.pk}
    assert client.get(f"/api/v1/cases/{theirs.pk}/").status_code == 404
    detail = client.get(f"/api/v1/cases/{ours.pk}/").json()
    assert detail["number"] == ours.number
    assert detail["events"][0]["label"] == "上报"
    assert {"accept", "return", "reject"} <= {a["name"] for a in detail["actions"]}


def test_the_city_office_creates_a_task(world):
    client = api(world, Role.CITY_OFFICE)
    resp = client.post("/api/v1/cases/", {"kind": "JB", "title": "全市校园安全大检查", "region": world.city.code},
                       format="json")
    assert resp.status_code == 201, resp.content
    assert resp.json()["number"].startswith("JB-")
    assert resp.json()["center_org"] == world.orgs["peace"].pk


@pytest.mark.parametrize(("data", "told"), [
    ({"satisfaction": "满意"}, "办理过程写入"),  # what the return visit writes was taken as given
    ({f"k{i}": "x" for i in range(31)}, "至多 30 项"),
    ({"k" * 65: "x"}, "1–64 个字"),
    ({"note": "长" * 2001}, "2000"),
    ({"note": {"nested": 1}}, ""),
])
def test_a_created_tasks_extra_fields_are_bounded_named_texts(world, data, told):
    """``data`` of a created task went into the case as sent: any keys, any size up to the body limit,
    the return visit's own ``satisfaction`` included."""
    client = api(world, Role.CITY_OFFICE)
    resp = client.post("/api/v1/cases/", {"kind": "JB", "title": "全市校园安全大检查", "region": world.city.code,
                                          "data": data}, format="json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] in ("data", "data.note")  # the field, or the entry of it, named
    assert told in str(resp.json())
    ok = client.post("/api/v1/cases/", {"kind": "JB", "title": "全市校园安全大检查", "region": world.city.code,
                                        "data": {"检查范围": "全市中小学", "牵头单位": "市教育局"}}, format="json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["data"] == {"检查范围": "全市中小学", "牵头单位": "市教育局"}


def test_creating_needs_the_permission_and_a_region_in_scope(world):
    assert api(world, Role.GRID_WORKER).post(
        "/api/v1/cases/", {"kind": "JB", "title": "x", "region": world.gc_grid.code}, format="json"
    ).status_code == 403
    resp = api(world, Role.TOWNSHIP_CENTER).post(
        "/api/v1/cases/", {"kind": "JB", "title": "x", "region": world.wl_grid.code}, format="json"
    )
    assert resp.status_code == 400
    assert "辖区" in str(resp.json())


def test_a_step_bumps_the_version_and_a_stale_one_gets_409_with_the_current_state(world):
    case = open_task(world)
    client = api(world, Role.TOWNSHIP_CENTER)
    url = f"/api/v1/cases/{case.pk}/transition/"
    resp = client.post(url, {"transition": "accept", "version": case.version}, format="json")
    assert resp.status_code == 200
    assert (resp.json()["status"], resp.json()["version"]) == ("accepted", case.version + 1)
    stale = api(world, Role.CITY_OFFICE).post(url, {"transition": "reject", "version": case.version,
                                                    "reason": "重复"}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    current = body["current"]
    assert (body["code"], current["status"], current["status_label"], current["version"]) == (
        "conflict", "accepted", "待分拨", case.version + 1,
    )
    assert Case.objects.get(pk=case.pk).status == "accepted"


def test_refused_steps_say_why(world):
    case = open_task(world)
    url = f"/api/v1/cases/{case.pk}/transition/"
    forbidden = api(world, Role.GRID_WORKER).post(url, {"transition": "accept", "version": case.version},
                                                  format="json")
    assert forbidden.status_code == 403
    assert "受理" in forbidden.json()["message"]
    missing = api(world, Role.TOWNSHIP_CENTER).post(url, {"transition": "return", "version": case.version},
                                                    format="json")
    assert missing.status_code == 400
    assert missing.json()["field"] == "reason"
    assert missing.json()["message"] == "「退回原因」为必填项：执行「退回」必须说明理由"


def test_get_on_the_transition_endpoint_lists_what_the_caller_can_do(world):
    case = open_task(world)
    body = api(world, Role.VILLAGE_CENTER).get(f"/api/v1/cases/{case.pk}/transition/").json()
    assert body["version"] == case.version
    assert "accept" in {a["name"] for a in body["actions"]}
    assert api(world, Role.GRID_WORKER).get(f"/api/v1/cases/{case.pk}/transition/").json()["actions"] == []


def test_a_retried_create_with_the_same_idempotency_key_makes_one_case(world):
    import pytest

    pytest.importorskip("anmin.core.idempotency")
    client = api(world, Role.CITY_OFFICE)
    body = {"kind": "JB", "title": "重试的交办", "region": world.city.code}
    first = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert Case.objects.filter(title="重试的交办").count() == 1


@pytest.fixture
def graded_kind():
    """A kind that grades its cases its own way, as the fraud leads do (特高/高/中/低)."""
    kind = CaseKind(code="TG", key="test_graded", label="分级测试", view_perm="workflow.view_case",
                    workflow=DEFAULT_WORKFLOW.replace(priorities=(("critical", "特高"), ("low", "低"))))
    register_kind(kind)
    yield kind
    case_kinds._items.pop(kind.code, None)


def _admits(schema: dict, node: dict, value: str) -> bool:
    """Whether a property's schema (through $ref and allOf) lets ``value`` through its enum."""
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "enum" in node and value not in node["enum"]:
        return False
    return all(_admits(schema, part, value) for part in node.get("allOf", ()))


def test_a_case_graded_by_its_kind_answers_as_the_schema_says(world, graded_kind):
    # The fuzzer's finding: a fraud lead's case answered priority "critical" where the schema's
    # PriorityEnum allowed urgent / normal / hard only, on the list, the detail and the transition GET.
    from drf_spectacular.generators import SchemaGenerator

    case = open_task(world, kind=graded_kind.code, priority="critical")
    client = api(world, Role.TOWNSHIP_CENTER)
    listed = client.get("/api/v1/cases/", {"priority": "critical"})
    assert listed.status_code == 200, listed.content
    assert [row["priority"] for row in listed.json()["results"]] == ["critical"]
    assert client.get(f"/api/v1/cases/{case.pk}/").json()["priority"] == "critical"
    assert client.get(f"/api/v1/cases/{case.pk}/transition/").json()["priority"] == "critical"

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for component in ("Case", "CaseDetail"):
        prop = schema["components"]["schemas"][component]["properties"]["priority"]
        for kind in case_kinds:
            for code, _label in kind.workflow.priorities:
                assert _admits(schema, prop, code), (component, kind.code, code)
    params = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert _admits(schema, params["priority"]["schema"], "critical")


def test_a_step_without_its_name_is_a_400_the_schema_declares(world):
    # The fuzzer's finding (every role, some forty writes): {"transition": ""} — a string, all the
    # shared request/answer component said — was refused "该字段不能为空"; request components of
    # their own now say minLength 1 for a text field that may not be blank.
    from drf_spectacular.generators import SchemaGenerator

    case = open_task(world)
    resp = api(world, Role.TOWNSHIP_CENTER).post(f"/api/v1/cases/{case.pk}/transition/",
                                                 {"transition": "", "version": case.version}, format="json")
    assert resp.status_code == 400
    assert resp.json()["field"] == "transition"
    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"]["/api/v1/cases/{id}/transition/"]["post"]["requestBody"]["content"]["application/json"]
    component = schema["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert component["properties"]["transition"]["minLength"] == 1
    assert "minLength" not in component["properties"]["reason"]  # may be blank


@pytest.mark.parametrize("data", [True, [1, 2], "days=3", 3])
def test_a_step_whose_data_is_not_an_object_is_refused_naming_the_field(world, data):
    """Fuzzing found ``"data": true`` answered 500 (the action read it as a mapping); the schema now
    says ``object`` and anything else is a 400 naming ``data``, the case untouched."""
    case = open_task(world)
    resp = api(world, Role.TOWNSHIP_CENTER).post(
        f"/api/v1/cases/{case.pk}/transition/", {"transition": "accept", "version": case.version, "data": data},
        format="json")
    assert resp.status_code == 400, resp.content
    assert (resp.json()["code"], resp.json()["field"]) == ("invalid", "data")
    assert Case.objects.get(pk=case.pk).version == case.version


def test_the_action_refuses_data_that_is_not_a_mapping(world):
    from anmin.workflow import actions

    case = open_task(world)
    with pytest.raises(actions.InvalidTransition) as err:
        actions.transition_case(case=case, actor=world.user(Role.TOWNSHIP_CENTER), transition="accept",
                                expected_version=case.version, data=True)
    assert err.value.field == "data"


@pytest.mark.parametrize(("transition", "data", "field"), [
    ("visit", {"satisfaction": []}, "satisfaction"),  # unhashable: was a 500
    ("visit", {"satisfaction": {"a": 1}}, "satisfaction"),
])
def test_a_visit_with_a_satisfaction_that_is_not_a_code_is_a_400(world, transition, data, field):
    from .conftest import assigned, step

    centre = world.user(Role.TOWNSHIP_CENTER)
    case = assigned(world)
    case = step(case, world.user(Role.DEPT_HANDLER), "feedback", data={"result": "办结"})
    case = step(case, centre, "verify_pass")
    resp = api(world, Role.TOWNSHIP_CENTER).post(
        f"/api/v1/cases/{case.pk}/transition/", {"transition": transition, "version": case.version, "data": data},
        format="json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == field


@pytest.mark.parametrize("ref", ["²", "①", "9" * 30, "１２"])
def test_a_duplicate_of_in_odd_digits_is_a_400_naming_it(world, ref):
    """``str.isdigit`` takes ² and ①, which ``int()`` refuses: that was a 500."""
    case = open_task(world)
    resp = api(world, Role.TOWNSHIP_CENTER).post(
        f"/api/v1/cases/{case.pk}/transition/",
        {"transition": "mark_duplicate", "version": case.version, "data": {"duplicate_of": ref}}, format="json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == "duplicate_of"


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_step_in_a_form_is_415_naming_json_and_the_same_step_in_json_is_taken(world, encoding):
    """The schema declares a step in JSON only (its ``data`` is an object, which a form cannot carry):
    the server refuses a form body in the one error shape, telling what it reads, and leaves the case
    as it was; the same step in JSON is taken."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
    from django.utils.http import urlencode

    case = open_task(world)
    client = api(world, Role.TOWNSHIP_CENTER)
    url = f"/api/v1/cases/{case.pk}/transition/"
    fields = {"transition": "accept", "version": case.version, "data": '{"days": 3}'}
    if encoding == "multipart":
        resp = client.post(url, encode_multipart(BOUNDARY, fields), content_type=MULTIPART_CONTENT)
    else:
        resp = client.post(url, urlencode(fields), content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 415, resp.content
    body = resp.json()
    assert set(body) == {"code", "message", "field", "errors", "current"}
    assert body["code"] == "unsupported_media_type"
    sent = "multipart/form-data" if encoding == "multipart" else "application/x-www-form-urlencoded"
    assert body["message"] == f"不支持的请求体类型「{sent}」：此操作只接受 application/json"
    assert Case.objects.get(pk=case.pk).version == case.version
    resp = client.post(url, {"transition": "accept", "version": case.version, "data": {"days": 3}}, format="json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] != case.status


def test_creating_a_case_in_a_form_is_415(world):
    client = api(world, Role.CITY_OFFICE)
    resp = client.post("/api/v1/cases/", {"kind": "JB", "title": "全市校园安全大检查", "region": world.city.code})
    assert resp.status_code == 415, resp.content
    assert resp.json()["code"] == "unsupported_media_type"
    assert not Case.objects.filter(title="全市校园安全大检查").exists()


def _request_component(path: str, method: str = "post") -> dict:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
    return schema["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[-1]]


def _longest(declared: dict) -> int | None:
    return max((s.get("maxLength", -1) for s in declared.get("oneOf", [declared])), default=None)


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("transition", "a" * 33, "32"), ("reason", "理" * 20_001, "20000"), ("version", 0, "1"),
    ("target_org", 0, "1")])
def test_a_step_s_text_and_numbers_are_bounded_and_past_the_bound_is_a_400_naming_the_field(world, field, value,
                                                                                           rule):
    """Every text and number of a step has a bound the schema says and the server keeps: the step's name
    and the reason had no maxLength (a reason of any length was read), a version below 1 was a 409 as if
    stale and an org id of 0 was looked up — each is now a 400 naming the field and the rule."""
    from anmin.core.bounds import TEXT_MAX

    case = open_task(world)
    body = {"transition": "accept", "version": case.version, field: value}
    resp = api(world, Role.TOWNSHIP_CENTER).post(f"/api/v1/cases/{case.pk}/transition/", body, format="json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == field
    assert rule in resp.json()["message"]
    assert Case.objects.get(pk=case.pk).version == case.version
    props = _request_component("/api/v1/cases/{id}/transition/")["properties"]
    assert (_longest(props["transition"]), _longest(props["reason"])) == (32, TEXT_MAX)
    assert props["version"]["minimum"] == props["target_org"]["minimum"] == 1


def test_a_task_s_description_is_bounded_as_its_column_and_the_schema_says_so(world):
    from anmin.core.bounds import TEXT_MAX

    resp = api(world, Role.CITY_OFFICE).post(
        "/api/v1/cases/", {"kind": "JB", "title": "x", "region": world.city.code, "description": "述" * (TEXT_MAX + 1)},
        format="json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == "description"
    assert str(TEXT_MAX) in resp.json()["message"]
    assert _longest(_request_component("/api/v1/cases/")["properties"]["description"]) == TEXT_MAX


@pytest.mark.parametrize("days", ["3.5", "true", '"\u0663"', '"1.9"', "[3]"])
def test_an_extension_by_days_that_are_not_a_whole_number_is_a_400_naming_days(world, days):
    """「延期天数」须为整数: the step read ``int(days)``, so 3.5 was taken as 3 days, true as 1 and an
    Arabic-Indic "٣" as 3 — a 200 for a request the rule refuses. Now anything but a whole number (an
    int, 3.0, ASCII digits) is a 400 naming ``days``, the case untouched."""
    from .conftest import assigned

    case = assigned(world)
    body = f'{{"transition": "extend", "version": {case.version}, "reason": "等待鉴定", "data": {{"days": {days}}}}}'
    resp = api(world, Role.DEPT_HANDLER).post(f"/api/v1/cases/{case.pk}/transition/", body,
                                             content_type="application/json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == "days"
    assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize(("result", "rule"), [({"a": 1}, "文字"), (["办结"], "文字"), (7, "文字"),
                                              ("结" * 20_001, "20000")])
def test_a_feedback_whose_result_is_not_text_or_too_long_is_a_400_naming_result(world, result, rule):
    """「办理结果」is text of at most TEXT_MAX characters: an API step's ``data`` is JSON, and the step kept
    ``str()`` of whatever came — {"a": 1} as "{'a': 1}", a list, a number — and text of any length in
    the timeline's JSON (a 200 each time). Now each is a 400 naming ``result``, the case untouched."""
    from .conftest import assigned

    case = assigned(world)
    resp = api(world, Role.DEPT_HANDLER).post(
        f"/api/v1/cases/{case.pk}/transition/",
        {"transition": "feedback", "version": case.version, "data": {"result": result}}, format="json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == "result"
    assert rule in resp.json()["message"]
    assert Case.objects.get(pk=case.pk).version == case.version
