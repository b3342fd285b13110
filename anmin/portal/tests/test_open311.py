"""Open311 GeoReport v2 in XML, as a client that knows only the spec: services.xml, POST requests.xml
(api_key, service_code, description, lat, long, address_id, address_string, a photo), GET
requests/{id}.xml, the list requests.xml and tokens/{token}.xml; the request's status follows the grid
event when the township closes it; errors come as errors/error with code and description. Every field
read here is one the spec documents (the photo as ``media`` is the one extension)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from anmin.core.actors import SYSTEM
from anmin.grid.models import GridEvent
from anmin.workflow import actions as case_actions

BASE = "/portal/open311/v2"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _xml(response, root: str) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    doc = ET.fromstring(response.content)  # noqa: S314 (our own server's answer)
    assert doc.tag == root
    return doc


def _fields(el: ET.Element) -> dict[str, str]:
    return {child.tag: child.text or "" for child in el}


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 160, 40)).save(out, format="JPEG")
    return SimpleUploadedFile("light.jpg", out.getvalue(), content_type="image/jpeg")


def _post(client, code: str, world, **extra):
    return client.post(f"{BASE}/requests.xml", {
        "service_code": code, "description": "村口路灯坏了一个多月，晚上看不清路", "lat": "34.1402", "long": "113.4871",
        "address_id": world.gc_village.code, "address_string": "大北村村口", **extra})


def _request_id_of(posted) -> tuple[str, str]:
    """What a spec client does with the POST's answer: the service_request_id, or the token to trade."""
    created = _xml(posted, "service_requests").findall("request")
    assert len(created) == 1
    answer = _fields(created[0])
    assert "service_request_id" not in answer or "token" not in answer  # one or the other, never both
    return answer.get("service_request_id", ""), answer.get("token", "")


def test_a_partner_app_lists_services_posts_a_request_with_a_photo_and_sees_it_closed(world, upload_dir):
    out = StringIO()
    call_command("open311key", "create", "--name", "禹州随手拍", stdout=out)
    api_key = out.getvalue().split()[-1]
    client = Client()
    services = _xml(client.get(f"{BASE}/services.xml", {"api_key": api_key}), "services")
    rows = [_fields(s) for s in services.findall("service")]
    assert rows
    assert all(set(r) == SERVICE_FIELDS for r in rows)
    assert all(r["metadata"] in ("true", "false") and r["type"] == "realtime" for r in rows)
    code = rows[0]["service_code"]
    posted = _post(client, code, world, api_key=api_key, media=_jpeg())
    assert posted.status_code in (200, 201)
    request_id, token = _request_id_of(posted)
    assert request_id
    assert not token
    assert GridEvent.objects.get().photos.count() == 1

    one = _xml(client.get(f"{BASE}/requests/{request_id}.xml"), "service_requests").findall("request")
    status = _fields(one[0])
    assert set(status) == REQUEST_FIELDS
    assert status["status"] == "open"
    assert status["service_code"] == code
    assert (float(status["lat"]), float(status["long"])) == (34.1402, 113.4871)
    assert status["requested_datetime"].endswith("+08:00")  # W3C date-time with its offset
    listed = _xml(client.get(f"{BASE}/requests.xml", {"service_request_id": request_id}), "service_requests")
    assert [_fields(r)["service_request_id"] for r in listed.findall("request")] == [request_id]
    everything = _xml(client.get(f"{BASE}/requests.xml", {"status": "open"}), "service_requests")
    assert request_id in [_fields(r)["service_request_id"] for r in everything.findall("request")]

    # The township centre closes the grid event: the request's status follows.
    case = GridEvent.objects.get().case
    for step, data in (("accept", None), ("assign", None), ("feedback", {"result": "已修好"}), ("verify_pass", None)):
        kwargs = {"target_org": world.orgs["gc_v_center"]} if step == "assign" else {}
        case = case_actions.transition_case(case=case, actor=SYSTEM, transition=step, expected_version=case.version,
                                            data=data, **kwargs)
    closed = _fields(_xml(client.get(f"{BASE}/requests/{request_id}.xml"), "service_requests").find("request"))
    assert closed["status"] == "closed"
    only_open = _xml(client.get(f"{BASE}/requests.xml", {"status": "open"}), "service_requests")
    assert request_id not in [_fields(r)["service_request_id"] for r in only_open.findall("request")]


def test_an_anonymous_client_gets_a_token_that_names_the_request_once_accepted(world):
    client = Client()
    services = [_fields(s) for s in _xml(client.get(f"{BASE}/services.xml"), "services").findall("service")]
    assert all(r["type"] == "batch" for r in services)  # no api_key: a token, not the id at once
    posted = _post(client, services[0]["service_code"], world)
    assert posted.status_code == 201
    request_id, token = _request_id_of(posted)
    assert token
    assert not request_id

    waiting = _xml(client.get(f"{BASE}/tokens/{token}.xml"), "service_requests").findall("request")
    assert [_fields(r) for r in waiting] == [{"service_request_id": "", "token": token}]
    assert _xml(client.get(f"{BASE}/requests.xml"), "service_requests").findall("request") == []

    case = GridEvent.objects.get().case
    case_actions.transition_case(case=case, actor=SYSTEM, transition="accept", expected_version=case.version)
    found = _fields(_xml(client.get(f"{BASE}/tokens/{token}.xml"), "service_requests").find("request"))
    assert found["token"] == token
    request_id = found["service_request_id"]
    assert request_id
    status = _fields(_xml(client.get(f"{BASE}/requests/{request_id}.xml"), "service_requests").find("request"))
    assert status["status"] == "open"
    assert client.get(f"{BASE}/tokens/{token}.json").json() == [{"service_request_id": request_id, "token": token}]


def test_open311_errors_come_in_the_specs_shape(world):
    client = Client()
    missing = client.get(f"{BASE}/requests/999999.xml")
    assert missing.status_code == 404
    error = _fields(_xml(missing, "errors").find("error"))
    assert error["code"] == "404"
    assert error["description"]
    bad = client.post(f"{BASE}/requests.xml", {"service_code": "04", "description": "无效地点", "address_id": "x"})
    assert bad.status_code == 400
    assert _fields(_xml(bad, "errors").find("error"))["code"] == "400"
    elsewhere = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "somewhere.else"})
    assert elsewhere.status_code == 404
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": world.city.code}).status_code == 200
    assert client.get(f"{BASE}/requests/999999.json").json() == [{"code": 404, "description": "没有这个请求"}]


@pytest.mark.django_db
def test_a_list_by_ids_that_are_no_keys_answers_an_empty_list_not_a_500(world):
    """``service_request_id`` is read by anyone: "²" passes ``isdigit()`` but is no number to ``int()``,
    and a number no column holds failed SQLite's ``IN`` (OverflowError) — both answered 500."""
    client = Client()
    for ids in ("²", "99999999999999999999999", "-1,abc", "²,99999999999999999999999"):
        resp = client.get(f"{BASE}/requests.xml", {"service_request_id": ids})
        assert resp.status_code == 200, ids
        assert len(_xml(resp, "service_requests")) == 0
