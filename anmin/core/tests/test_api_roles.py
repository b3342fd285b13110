"""What the fuzzing of every role (test_api_fuzz.py) found, pinned with the test client: a role that
may never create is refused (403) before its body is read; a lookup takes what its schema says and
nothing else; a refusal that names a query parameter stays JSON whatever the parameter is called."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.renderers import JSONRenderer

from anmin.core import tokens
from anmin.core.models import Role

SCHEMA = json.loads(JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
ERROR_KEYS = {"code", "message", "field", "errors", "current"}
# POSTs to a collection that create nothing: anyone may call them.
NOT_A_CREATE = {
    "/api/v1/auth/token/": "the token exchange (no token)",
    "/api/v1/antifraud-check/": "the public check of a URL, account or phone",
    "/api/v1/people/persons/lookup/": "an exact lookup: a read, answered from the caller's scope",
}
CREATES = sorted(path for path, item in SCHEMA["paths"].items()
                 if "post" in item and "{" not in path and path not in NOT_A_CREATE)


def _headers(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {tokens.issue(user=user)[1]}"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.LEADER, Role.AUDITOR, Role.SYSADMIN])
def test_a_role_that_may_create_nothing_is_refused_every_create_before_its_body_is_read(client, world, role):
    """The leader reads only; the auditor and the system administrator see no business data. A create
    names ids and region codes that do not exist for them: the answer is 403, never a 400 about the
    body (which also told them what exists)."""
    headers = _headers(world.user(role))
    answers = {}
    for path in CREATES:
        for body in ({}, {"region": "411081106202", "team": 1, "person": 1, "school": 1, "log": 1}):
            response = client.post(path, body, content_type="application/json", **headers)
            answers[path, json.dumps(body)] = (response.status_code, response.json())
    wrong = {k: v for k, v in answers.items() if v[0] != 403 or set(v[1]) != ERROR_KEYS}
    assert not wrong, "\n".join(f"{path} {body}: {status} {answer}" for (path, body), (status, answer) in wrong.items())
    assert len(CREATES) > 15  # the walk found the creates (the registries, people, care, prevention, cases …)


@pytest.mark.django_db
def test_a_role_that_may_create_still_gets_the_400_about_its_body(client, world):
    """The permission comes first only for those without it: the township centre's bad body is a 400."""
    headers = _headers(world.user(Role.TOWNSHIP_CENTER))
    for path in ("/api/v1/people/persons/", "/api/v1/teams/"):
        response = client.post(path, {}, content_type="application/json", **headers)
        assert response.status_code == 400, (path, response.json())
        assert response.json()["code"] == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize("value", [500811948, 13812345678, "500811948", "12345678901234", True])
def test_the_lookup_takes_only_what_its_schema_says(client, world, value):
    """The schema says a string that is a whole ID number or phone number. The number 13812345678 (not a
    string) and a string of digits that is neither were answered 200 with nothing found."""
    response = client.post("/api/v1/people/persons/lookup/", {"value": value}, content_type="application/json",
                           **_headers(world.user(Role.LEADER)))
    assert response.status_code == 400, response.json()
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["field"] == "value"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["13812345678", "0374-8123456", "+86 13812345678", "41108119900101123X"])
def test_the_lookup_takes_a_phone_or_an_id_number_as_its_schema_writes_them(client, world, value):
    response = client.post("/api/v1/people/persons/lookup/", {"value": value}, content_type="application/json",
                           **_headers(world.user(Role.TOWNSHIP_CENTER)))
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", ['a"b', "a\\b", "a\x11b", "号码"])
def test_a_number_in_the_url_is_refused_in_json_whatever_the_parameter_is_called(client, world, name):
    """The parameter's name was pasted into the JSON: a quote, a backslash or a control character in it
    made the refusal unreadable."""
    response = client.get("/api/v1/regions/", {name: "13812345678"}, **_headers(world.user(Role.SYSADMIN)))
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["code"] == "personal_number_in_url"
    assert body["field"] == name
    assert set(body) == ERROR_KEYS
