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
