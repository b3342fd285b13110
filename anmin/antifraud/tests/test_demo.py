"""The anti-fraud demo reproduces the seed article's 2020 figures from records."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from anmin.antifraud import demo
from anmin.antifraud.actions import public_check
from anmin.antifraud.models import BlacklistEntry, FraudCard, Lead
from anmin.core.demo import build as build_core

SEED = {"antifraud.suspects_detained": 137, "antifraud.suspects_arrested": 58, "antifraud.suspects_prosecuted": 43,
        "antifraud.cards_frozen": 8316, "antifraud.amount_involved": 89680000, "antifraud.amount_recovered": 2130000,
        "antifraud.dissuaded": 150}


def test_the_demo_year_reproduces_the_seed_figures(db):
    build_core()
    stats = demo.build()
    assert stats["fraud_cases"] > 600
    out = StringIO()
    call_command("kpis", "--year", "2020", "--app", "antifraud", "--format", "json", stdout=out)
    flat = {row["key"]: row["value"] for row in json.loads(out.getvalue())["kpis"]}
    for key, want in SEED.items():
        assert float(flat[key]) == want, key
    assert 600 <= flat["antifraud.cases_solved"] < 700
    # Leads live this morning: some are past their minutes (overdue, supervised), sorted on the board.
    live = Lead.objects.filter(case__is_open=True)
    assert live.count() == len(demo.LIVE)
    assert live.filter(case__overdue_at__isnull=False).exists()
    # The blacklist the portal's check answers from: the frozen cards and the links pushed from above.
    assert stats["blacklisted"] == BlacklistEntry.objects.count() == 8316 + demo.PHONE_CARDS + len(demo.DEMO_URLS)
    card = FraudCard.objects.filter(kind="bank", frozen_on__isnull=False).first()
    assert public_check("account", card.number)["known"]
    assert public_check("url", "https://jd-tuikuan.cc/a")["known"]
    assert demo.build()["fraud_cases"] == 0
