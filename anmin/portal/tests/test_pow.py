"""Proof of work over the rate limit: a network past its hourly budget gets the form back with a
signed challenge and the static pow.js (no inline script, no third party); a solved challenge is
accepted once; a reused, forged, unsolved or other form's challenge is not."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from anmin.crackdown.models import Clue
from anmin.portal import pow
from anmin.portal.privacy import LIMIT_PER_HOUR

PASS = "cedar window 88"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _tip(client, n: int, **extra):
    return client.post("/portal/tip/", {"submit_key": f"k{n:04d}" + "x" * 20, "category": "safety",
                                        "text": f"第{n}条：某网吧长期接纳未成年人上网，深夜聚集斗殴。",
                                        "passphrase": PASS, "passphrase2": PASS, **extra}, REMOTE_ADDR="198.51.100.9")


def _challenge(page) -> str:
    return re.search(r'name="pow_challenge" value="([^"]+)"', page.content.decode()).group(1)


def test_over_the_limit_a_solved_challenge_lets_one_tip_through(world):
    client = Client()
    for n in range(LIMIT_PER_HOUR):
        assert _tip(client, n).status_code == 200
    over = _tip(client, 100)
    assert over.status_code == 429
    html = over.content.decode()
    assert "data-pow=" in html
    assert "/static/portal/pow.js" in html
    assert "<script>" not in html  # the script is a static file (strict CSP)
    challenge = _challenge(over)
    assert _tip(client, 101, pow_challenge=challenge, pow_solution="1" if pow.solve(challenge, 8) != "1" else "2",
                ).status_code == 429  # a wrong solution
    solution = pow.solve(challenge, pow.difficulty_of(challenge))
    assert _tip(client, 102, pow_challenge=challenge, pow_solution=solution).status_code == 200
    assert Clue.objects.count() == LIMIT_PER_HOUR + 1
    again = _tip(client, 103, pow_challenge=challenge, pow_solution=solution)  # accepted once only
    assert again.status_code == 429
    forged = challenge[:-3] + ("aaa" if not challenge.endswith("aaa") else "bbb")
    assert _tip(client, 104, pow_challenge=forged, pow_solution=solution).status_code == 429
    # A challenge issued for the receipt form does not open the tip form.
    other = pow.issue("receipt")
    assert _tip(client, 105, pow_challenge=other, pow_solution=pow.solve(other, pow.bits())).status_code == 429
    assert Clue.objects.count() == LIMIT_PER_HOUR + 1


def test_leading_zero_bits():
    assert pow.leading_zero_bits(bytes([0, 0, 0x1F, 1])) == 19
    assert pow.leading_zero_bits(bytes([0x80])) == 0
    assert pow.leading_zero_bits(bytes(4)) == 32


def _answer(client, token: str, n: int, **extra):
    return client.post("/portal/receipt/answer/", {"token": token, "answer": f"第{n}次补充：白色面包车，车牌尾号7。",
                                                   **extra}, REMOTE_ADDR="198.51.100.9")


def test_over_the_limit_the_tipsters_answer_needs_a_proof_of_work_and_is_kept(world):
    from anmin.workflow.models import CaseEvent

    client = Client()
    page = _tip(client, 1).content.decode()
    code = re.search(r"data-receipt-code>(\d{16})<", page).group(1)
    opened = client.post("/portal/receipt/", {"code": code, "passphrase": PASS}, REMOTE_ADDR="198.51.100.9")
    token = re.search(r'name="token" value="([^"]+)"', opened.content.decode()).group(1)
    for n in range(30):
        assert _answer(client, token, n).status_code == 200
    over = _answer(client, token, 99)
    assert over.status_code == 429
    html = over.content.decode()
    assert 'data-form="answer" data-pow=' in html
    assert "第99次补充：白色面包车" in html  # the text typed is not lost
    assert "/static/portal/pow.js" in html
    assert CaseEvent.objects.filter(action="reporter_answer").count() == 30
    challenge = _challenge(over)
    assert _answer(client, token, 99, pow_challenge=challenge, pow_solution="x").status_code == 429
    solved = _answer(client, token, 99, pow_challenge=challenge, pow_solution=pow.solve(challenge, pow.bits()))
    assert solved.status_code == 200
    assert CaseEvent.objects.filter(action="reporter_answer").count() == 31
    # The tip form's challenge does not open the answer form.
    other = pow.issue("tip")
    solved_elsewhere = pow.solve(other, pow.bits())
    assert _answer(client, token, 100, pow_challenge=other, pow_solution=solved_elsewhere).status_code == 429


def test_over_the_limit_the_fraud_check_needs_a_proof_of_work(world):
    client = Client()

    def check(**extra):
        return client.post("/portal/fraud-check/", {"value": "17100001234", **extra}, REMOTE_ADDR="198.51.100.9")

    for _ in range(60):
        assert check().status_code == 200
    over = check()
    assert over.status_code == 429
    html = over.content.decode()
    assert 'data-form="fraud" data-pow=' in html
    assert "data-check" not in html  # no answer without the work
    challenge = _challenge(over)
    solved = check(pow_challenge=challenge, pow_solution=pow.solve(challenge, pow.bits()))
    assert solved.status_code == 200
    assert "data-check" in solved.content.decode()
    assert check(pow_challenge=challenge, pow_solution=pow.solve(challenge, pow.bits())).status_code == 429
