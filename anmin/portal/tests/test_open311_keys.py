"""Open311 api_key for partner apps and tokens: a key is made and revoked with ``anmin open311key`` (and
revoked in the admin), kept only hashed, each change audited; a wrong or revoked key gets the spec's 403
error; the platform can require a key; an anonymous post gets a token that names nothing until the
township accepts the request (and never when it refuses it); over the network's limit an anonymous
post needs a proof of work (429 with the spec's error saying how)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role
from anmin.grid.models import GridEvent
from anmin.portal import pow
from anmin.portal.models import Open311Key, Open311Request
from anmin.portal.open311 import ANONYMOUS_LIMIT_PER_HOUR
from anmin.workflow import actions as case_actions

BASE = "/portal/open311/v2"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _create(name: str) -> str:
    out = StringIO()
    call_command("open311key", "create", "--name", name, stdout=out)
    return out.getvalue().split()[-1]


def _body(world, **extra) -> dict:
    return {"service_code": "04", "description": "村口垃圾堆放多日无人清运", "address_id": world.gc_village.code,
            "lat": "34.14", "long": "113.49", "address_string": "古城村村口", **extra}


def _errors(response) -> list[dict]:
    doc = ET.fromstring(response.content)  # noqa: S314 (our own server's answer)
    assert doc.tag == "errors"
    return [{c.tag: c.text for c in e} for e in doc.findall("error")]


def test_a_partner_key_is_kept_hashed_listed_revoked_and_audited(world, client):
    api_key = _create("禹州随手拍")
    key = Open311Key.objects.get()
    assert api_key.startswith(key.prefix)
    assert api_key not in repr(list(Open311Key.objects.values()))  # only its hash
    listing = StringIO()
    call_command("open311key", "list", stdout=listing)
    assert "禹州随手拍" in listing.getvalue()
    assert key.prefix in listing.getvalue()
    assert api_key not in listing.getvalue()
    with pytest.raises(CommandError, match="已有名为"):
        call_command("open311key", "create", "--name", "禹州随手拍", stdout=StringIO())

    anonymous = Client()
    ok = anonymous.post(f"{BASE}/requests.json", _body(world, api_key=api_key))
    assert ok.status_code == 201
    assert "service_request_id" in ok.json()[0]
    assert Open311Request.objects.get().partner == key
    assert Open311Key.objects.get().last_used_on is not None

    call_command("open311key", "revoke", "--name", "禹州随手拍", stdout=StringIO())
    revoked = anonymous.post(f"{BASE}/requests.json", _body(world, api_key=api_key))
    assert revoked.status_code == 403
    assert revoked.json() == [{"code": 403, "description": "api_key 无效或已注销，不能提交请求"}]
    assert "已注销" in _listing()
    entries = AuditEntry.objects.filter(object_type="portal.open311key", object_id=str(key.pk))
    assert set(entries.values_list("action", flat=True)) == {"create", "update"}
    assert all(api_key not in repr(e.after) for e in entries)


def _listing() -> str:
    out = StringIO()
    call_command("open311key", "list", stdout=out)
    return out.getvalue()


def test_the_administrator_lists_and_revokes_keys_in_the_admin(world, client):
    api_key = _create("平安禹州小程序")
    key = Open311Key.objects.get()
    client.force_login(world.user(Role.SYSADMIN))
    page = client.get("/admin/portal/open311key/")
    assert page.status_code == 200
    assert key.prefix in page.content.decode()
    assert api_key not in page.content.decode()
    done = client.post("/admin/portal/open311key/", {"action": "revoke_selected", "_selected_action": [key.pk]})
    assert done.status_code == 302
    assert not Open311Key.objects.get().active
    entry = AuditEntry.objects.filter(object_type="portal.open311key", action="update").get()
    assert entry.actor_username == world.user(Role.SYSADMIN).username
    assert Client().post(f"{BASE}/requests.xml", _body(world, api_key=api_key)).status_code == 403


def test_an_unknown_key_is_refused_in_the_specs_shape_and_the_platform_may_require_one(world, settings):
    client = Client()
    wrong = client.post(f"{BASE}/requests.xml", _body(world, api_key="o311_" + "x" * 43))
    assert wrong.status_code == 403
    assert wrong["Content-Type"].startswith("text/xml")
    assert _errors(wrong) == [{"code": "403", "description": "api_key 无效或已注销，不能提交请求"}]
    assert not GridEvent.objects.exists()

    settings.ANMIN_OPEN311_REQUIRE_KEY = True
    keyless = client.post(f"{BASE}/requests.json", _body(world))
    assert keyless.status_code == 403
    assert "缺少 api_key" in keyless.json()[0]["description"]
    services = client.get(f"{BASE}/services.json").json()
    assert {s["type"] for s in services} == {"realtime"}
    api_key = _create("合作应用")
    assert client.post(f"{BASE}/requests.json", _body(world, api_key=api_key)).status_code == 201
    assert GridEvent.objects.count() == 1


def test_a_token_names_nothing_until_accepted_and_nothing_when_refused(world):
    client = Client()
    first = client.post(f"{BASE}/requests.json", _body(world), HTTP_IDEMPOTENCY_KEY="retry-1")
    token = first.json()[0]["token"]
    assert "service_request_id" not in first.json()[0]
    again = client.post(f"{BASE}/requests.json", _body(world), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.json()[0]["token"] == token  # a retry: the same request, the same token
    assert GridEvent.objects.count() == 1
    req = Open311Request.objects.get()
    assert token not in repr(list(Open311Request.objects.values()))  # only its hash
    # Waiting: the token answers with no id, and the request is in no public answer.
    assert client.get(f"{BASE}/tokens/{token}.json").json() == [{"service_request_id": None, "token": token}]
    assert client.get(f"{BASE}/requests/{req.pk}.json").status_code == 404
    assert client.get(f"{BASE}/requests.json", {"service_request_id": str(req.pk)}).json() == []

    other = client.post(f"{BASE}/requests.json", _body(world, description="广场夜间噪音扰民，反复发生"))
    other_token = other.json()[0]["token"]
    case = Open311Request.objects.order_by("-pk").first().event.case
    case_actions.transition_case(case=case, actor=SYSTEM, transition="reject", expected_version=case.version,
                                 reason="重复反映，已在处理")
    refused = client.get(f"{BASE}/tokens/{other_token}.xml")
    assert refused.status_code == 404
    assert "未被受理" in _errors(refused)[0]["description"]
    unknown = client.get(f"{BASE}/tokens/{'0' * 40}.json")
    assert unknown.status_code == 404
    assert unknown.json() == [{"code": 404, "description": "没有这个 token"}]
    assert client.get(f"{BASE}/tokens/{token}.json", {"jurisdiction_id": "elsewhere.gov"}).status_code == 404


def test_over_the_limit_an_anonymous_post_needs_a_proof_of_work(world):
    client = Client()
    for n in range(ANONYMOUS_LIMIT_PER_HOUR):
        assert client.post(f"{BASE}/requests.json", _body(world, description=f"第{n}条：路灯不亮")).status_code == 201
    over = client.post(f"{BASE}/requests.json", _body(world, description="路灯不亮，多日无人修"))
    assert over.status_code == 429
    [error] = over.json()
    assert error["code"] == 429
    assert "X-Anmin-PoW-Challenge" in error["description"]
    assert "pow_solution" in error["description"]
    challenge, bits = over["X-Anmin-PoW-Challenge"], int(over["X-Anmin-PoW-Bits"])
    solution = pow.solve(challenge, bits)
    solved = client.post(f"{BASE}/requests.json", _body(world, description="路灯不亮，多日无人修",
                                                             pow_challenge=challenge, pow_solution=solution))
    assert solved.status_code == 201
    replay = client.post(f"{BASE}/requests.json", _body(world, description="再来一条：路灯不亮",
                                                             pow_challenge=challenge, pow_solution=solution))
    assert replay.status_code == 429  # a challenge counts once
    xml = client.post(f"{BASE}/requests.xml", _body(world, description="XML 客户端：路灯不亮"))
    assert xml.status_code == 429
    assert _errors(xml)[0]["code"] == "429"
    # A partner's key is counted by key, not by the network it posts from.
    api_key = _create("合作应用")
    assert client.post(f"{BASE}/requests.json", _body(world, api_key=api_key)).status_code == 201
    assert GridEvent.objects.count() == ANONYMOUS_LIMIT_PER_HOUR + 2


def test_a_partner_key_has_its_own_hourly_budget(world, settings):
    settings.ANMIN_OPEN311_KEY_LIMIT_PER_HOUR = 2
    api_key = _create("合作应用")
    client = Client()
    statuses = [client.post(f"{BASE}/requests.json", _body(world, api_key=api_key, description=f"第{n}条：井盖缺失"))
                .status_code for n in range(3)]
    assert statuses == [201, 201, 429]
