"""The public portal: an anonymous tip becomes one clue per submission (a retry too) and keeps no IP or
user agent; the receipt code shows progress and the office's answer, nothing personal; an Open311
request becomes one grid event and its status follows it; the fraud check says 暂不可用 with no check
registered; a staff session changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.crackdown import actions as crackdown
from anmin.crackdown.models import Clue
from anmin.grid.categories import load_categories
from anmin.grid.models import GridEvent
from anmin.portal.models import Open311Request, Tip
from anmin.workflow import actions as case_actions

IP, UA = "203.0.113.77", "SecretPhone/9.9 (tipster)"
PASS = "river sand 2020"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _tip(client, key="k" * 24, text="古城镇某砂场老板带人殴打村民，强占河道非法采砂。"):
    return client.post("/portal/tip/", {"submit_key": key, "category": "mafia", "text": text,
                                        "passphrase": PASS, "passphrase2": PASS},
                       REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)


def _dump() -> str:
    from django.apps import apps

    out = []
    for model in apps.get_models():
        if not model._meta.managed:  # no table of its own (django_rq's admin entry)
            continue
        for row in model.objects.all().values():
            out.append(repr(row))
    return "\n".join(out)


def test_an_anonymous_tip_makes_one_clue_and_keeps_no_address(world):
    client = Client()
    assert client.get("/portal/tip/").status_code == 200
    first = _tip(client)
    assert first.status_code == 200
    code = re.search(r"data-receipt-code>(\d{16})<", first.content.decode()).group(1)
    again = _tip(client)  # the same submission retried
    assert again.status_code == 200
    assert "已经提交过" in again.content.decode()
    assert Clue.objects.count() == 1 == Tip.objects.count()
    clue = Clue.objects.get()
    assert clue.source == "online"
    assert clue.case.status == "reported"
    dump = _dump()
    assert IP not in dump
    assert UA not in dump
    assert "SecretPhone" not in dump
    assert code not in dump  # only the code's hash is kept
    # The office sees it; a township centre does not.
    assert Clue.objects.visible_to(world.user("crackdown")).count() == 1
    assert not Clue.objects.visible_to(world.user(Role.TOWNSHIP_CENTER)).exists()


def test_the_receipt_shows_progress_and_the_answer_but_nothing_personal(world):
    client = Client()
    page = _tip(client, text="无梁镇有人放高利贷，暴力催收，电话 13812345678 可联系知情人张三。")
    code = re.search(r"data-receipt-code>(\d{16})<", page.content.decode()).group(1)
    clue = Clue.objects.get()
    office = world.user("crackdown")
    case_actions.transition_case(case=clue.case, actor=office, transition="accept", expected_version=clue.case.version)
    crackdown.reply_to_reporter(actor=office, clue=clue, feedback="您反映的线索已受理，正在核查。")
    shown = client.post("/portal/receipt/", {"code": code, "passphrase": PASS}).content.decode()
    assert "已受理" in shown
    assert "您反映的线索已受理，正在核查。" in shown
    assert "13812345678" not in shown
    assert "张三" not in shown
    assert clue.case.number not in shown
    wrong = client.post("/portal/receipt/", {"code": "0" * 16, "passphrase": PASS})
    assert wrong.status_code == 400
    assert "回执码或口令不正确" in wrong.content.decode()


def test_the_tip_line_is_rate_limited_per_network(world):
    client = Client()
    statuses = [_tip(client, key=f"key-{i:020d}").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_an_open311_request_creates_one_grid_event_and_follows_it(world):
    from anmin.portal.actions import create_open311_key

    load_categories()
    client = Client()
    services = client.get("/portal/open311/v2/services.json").json()
    assert {"service_code", "service_name", "metadata", "type"} <= set(services[0])
    _key, api_key = create_open311_key(actor=SYSTEM, name="合作应用")
    body = {"service_code": "04", "description": "村口垃圾堆放多日无人清运", "address_id": world.gc_village.code,
            "lat": "34.14", "long": "113.49", "address_string": "古城村村口", "api_key": api_key}
    first = client.post("/portal/open311/v2/requests.json", body, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == 201
    request_id = first.json()[0]["service_request_id"]
    again = client.post("/portal/open311/v2/requests.json", body, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert again.json()[0]["service_request_id"] == request_id
    assert GridEvent.objects.count() == 1 == Open311Request.objects.count()
    status = client.get(f"/portal/open311/v2/requests/{request_id}.json").json()[0]
    assert status["status"] == "open"
    assert status["service_code"] == "04"
    event = GridEvent.objects.get()
    case = event.case
    for step, data in (("accept", None), ("assign", None), ("feedback", {"result": "已清运"}), ("verify_pass", None)):
        kwargs = {"target_org": world.orgs["gc_v_center"]} if step == "assign" else {}
        case = case_actions.transition_case(case=case, actor=SYSTEM, transition=step, expected_version=case.version,
                                            data=data, **kwargs)
    assert client.get(f"/portal/open311/v2/requests/{request_id}.json").json()[0]["status"] == "closed"
    bad = client.post("/portal/open311/v2/requests.json", {**body, "address_id": "x"})
    assert bad.status_code == 400


def test_the_fraud_check_is_unavailable_without_a_registered_check(world, monkeypatch):
    from anmin.core import registry

    monkeypatch.setattr(registry.public_checks, "_items", {})
    page = Client().get("/portal/fraud-check/")
    assert page.status_code == 503
    assert "暂不可用" in page.content.decode()


def test_the_fraud_check_answers_from_the_anti_fraud_blacklist(world):
    from anmin.antifraud import actions as antifraud

    antifraud.add_blacklist_entry(actor=SYSTEM, kind="phone", value="17100001234", source="案件",
                                  region=world.gucheng)
    client = Client()
    assert client.get("/portal/fraud-check/").status_code == 200
    listed = client.post("/portal/fraud-check/", {"value": "171 0000 1234"}).content.decode()
    assert "已被确认涉嫌诈骗" in listed
    clean = client.post("/portal/fraud-check/", {"value": "13900001111"}).content.decode()
    assert "暂未发现涉诈记录" in clean


def test_a_staff_session_changes_nothing_and_staff_pages_stay_closed(world):
    client = Client()
    client.force_login(world.user("crackdown"))
    page = client.get("/portal/tip/")
    assert world.user("crackdown").username not in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated  # the session cookie is not even read (portal.zone)
    assert "sessionid" not in page.cookies
    anonymous = Client()
    assert anonymous.get("/crackdown/").status_code == 302  # staff pages ask for a login
    assert anonymous.get("/portal/").status_code == 200


def test_a_refused_tip_says_so_at_the_top_of_the_page(world):
    """Two different passphrases: the page came back with only a black line beside the second passphrase,
    below the fold of a phone, and nothing at the top where it reloads; it now opens with the count of
    what to correct, and the message is marked as an error, and what was written is kept."""
    response = Client().post("/portal/tip/", {"submit_key": "m" * 24, "category": "mafia",
                                              "text": "有人放高利贷，逾期就上门威胁。",
                                              "passphrase": PASS, "passphrase2": PASS + "x"}, REMOTE_ADDR=IP)
    page = response.content.decode()
    assert response.status_code == 400
    banner = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', page)
    assert banner
    assert "有 1 处需要更正" in banner.group(1)
    assert page.index("form-errors") < page.index('data-form="tip"')
    assert '<ul class="errorlist"' in page
    assert "两次输入的口令不一致" in page
    assert "有人放高利贷，逾期就上门威胁。" in page
    assert Clue.objects.count() == 0


def test_a_wrong_receipt_code_says_so_at_the_top_of_the_page(world):
    response = Client().post("/portal/receipt/", {"code": "12345", "passphrase": PASS}, REMOTE_ADDR=IP)
    page = response.content.decode()
    assert '<div class="form-errors" role="alert">' in page
    assert page.index("form-errors") < page.index('data-form="receipt"')
    assert "「回执码」应为16位数字" in page
