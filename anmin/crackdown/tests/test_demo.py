"""The crackdown part of the demo world reproduces the seed's 2020 figures, counted from records."""

from __future__ import annotations

from anmin.core.demo import build as build_core
from anmin.core.registry import kpis
from anmin.crackdown import demo
from anmin.crackdown.models import Clue
from anmin.workflow.models import Case

SEED = {
    "crackdown.clues_verified": 1099, "crackdown.orgs_mafia": 2, "crackdown.orgs_evil_group": 8,
    "crackdown.orgs_evil_gang": 5, "crackdown.suspects_caught": 1042, "crackdown.officials_handled": 181,
    "crackdown.notices_issued": 86, "crackdown.candidates_rejected": 82,
}


def test_the_demo_reproduces_the_seed_figures(db):
    build_core()
    stats = demo.build()
    assert stats["crackdown_clues"] == Clue.objects.count() > 1099
    for key, value in SEED.items():
        assert kpis.get(key).compute(year=2020) == value, key
    assets = kpis.get("crackdown.assets_frozen").compute(year=2020)
    assert 2.15e8 <= assets < 2.25e8  # 约2.2亿元
    # Some clues are still being verified today; nothing is counted for 2019.
    assert Case.objects.of_kind("XS").filter(is_open=True).exists()
    assert kpis.get("crackdown.clues_verified").compute(year=2019) == 0
    # Every suspect carries a well-formed ID number (stored sealed), each a different one.
    from anmin.crackdown.models import Suspect

    numbers = [s.id_number.reveal() for s in Suspect.objects.all()]
    assert numbers
    assert all(len(n) == 18 for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert demo.build()["crackdown_clues"] == 0
