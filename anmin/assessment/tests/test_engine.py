"""The assessment engine on a small world: data items scored from the records, manual items, caps,
ranking and grades, a 一票否决 raised from a record and confirmed by a person, appeals, publishing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from anmin.assessment import actions, engine
from anmin.assessment.models import IndicatorKind, Scheme, UnitType
from anmin.core.actors import SYSTEM
from anmin.core.codes import load_code_tables
from anmin.core.errors import Conflict, Forbidden, Invalid, NotFound
from anmin.core.models import Role
from anmin.disputes import actions as dispute_actions

pytestmark = pytest.mark.django_db


def _dispute(world, *, criminal: bool = False):
    load_code_tables()
    d = dispute_actions.report_dispute(
        actor=world.user(Role.CITY_OFFICE), title="宅基地纠纷", region=world.gc_grid, category="0902",
        found_on=dt.date(2020, 3, 1), parties=[{"name": "张某"}, {"name": "李某", "role": "respondent"}])
    if criminal:
        dispute_actions.link_criminal_case(actor=world.user(Role.CITY_OFFICE), dispute=d, number="XS-2020-001",
                                           on=dt.date(2020, 4, 1), reason="纠纷激化引发故意伤害致死")
    return d


def _scheme(world):
    s = actions.create_scheme(actor=SYSTEM, year=2020, unit_type=UnitType.TOWNSHIP, name="2020年度考评",
                              region=world.city)
    manual = actions.add_indicator(actor=SYSTEM, scheme=s, code="A1", name="年终检查", kind=IndicatorKind.MANUAL,
                                   max_score=60)
    found = actions.add_indicator(actor=SYSTEM, scheme=s, code="B1", name="排查纠纷", kind=IndicatorKind.KPI,
                                  max_score=40, kpi="disputes.found", rule={"type": "ranking", "floor": 0.5})
    deduction = actions.add_indicator(actor=SYSTEM, scheme=s, code="D1", name="扣分", kind=IndicatorKind.DEDUCTION,
                                      max_score=5)
    actions.add_indicator(actor=SYSTEM, scheme=s, code="V1", name="民转刑命案", kind=IndicatorKind.VETO,
                          kpi="disputes.criminal", rule={"above": 0})
    gc = actions.add_target(actor=SYSTEM, scheme=s, name="古城镇", region=world.gucheng)
    wl = actions.add_target(actor=SYSTEM, scheme=s, name="无梁镇", region=world.wuliang)
    return s, manual, found, deduction, gc, wl


def test_units_are_scored_from_records_and_by_hand_ranked_and_graded(world):
    _dispute(world)
    s, manual, found, deduction, gc, wl = _scheme(world)
    actions.score_item(actor=SYSTEM, target=gc, indicator=manual, score=56, note="检查组评定")
    score = actions.score_item(actor=SYSTEM, target=wl, indicator=manual, score=58)
    # Another inspector's score on a page opened before this one was saved: told, nothing changed.
    with pytest.raises(Conflict) as exc:
        actions.score_item(actor=SYSTEM, target=wl, indicator=manual, score=50, expected_version=score.version - 1)
    assert "该项评分在您打开后已被他人修改，您的修改未保存" in exc.value.message
    assert exc.value.field == "score"
    for _ in range(3):  # three deductions of 2 points: capped at 5
        actions.add_adjustment(actor=SYSTEM, target=wl, indicator=deduction, points=2, reason="督办未按期回复")
    results = {r.target.name: r for r in engine.compute(s)}
    gc_r, wl_r = results["古城镇"], results["无梁镇"]
    assert gc_r.total == Decimal("96.00")  # 56 + 40 (most disputes found: full marks by ranking)
    assert wl_r.total == Decimal("73.00")  # 58 + 20 (last: half) − 5 (capped, not 6)
    assert (gc_r.rank, gc_r.grade, gc_r.excellent) == (1, "优秀", True)
    assert (wl_r.rank, wl_r.grade) == (2, "达标")
    b1 = next(i for i in gc_r.items if i["code"] == "B1")
    assert b1["value"] == 1.0 and b1["source"] == "kpi" and "/disputes/" in b1["link"]


def test_a_dispute_turned_criminal_proposes_a_veto_that_a_person_confirms(world):
    _dispute(world, criminal=True)
    s, manual, *_rest, gc, wl = _scheme(world)
    actions.score_item(actor=SYSTEM, target=gc, indicator=manual, score=60)
    before = {r.target.name: r for r in engine.compute(s)}["古城镇"]
    assert before.grade == "优秀" and before.proposed_vetoes  # the record raises it; nothing applied yet
    [veto] = actions.propose_vetoes(actor=world.user(Role.CITY_OFFICE), scheme=s)
    assert veto.target == gc and actions.propose_vetoes(actor=SYSTEM, scheme=s) == []  # once
    with pytest.raises(Invalid):
        actions.decide_veto(actor=world.user(Role.CITY_OFFICE), veto=veto, confirm=True, note="")
    with pytest.raises((Forbidden, NotFound)):
        actions.decide_veto(actor=world.user(Role.TOWNSHIP_CENTER), veto=veto, confirm=False, note="不认可")
    actions.decide_veto(actor=world.user(Role.CITY_OFFICE), veto=veto, confirm=True, note="经核实属实")
    after = {r.target.name: r for r in engine.compute(s)}["古城镇"]
    assert after.total == before.total and after.grade == "不达标" and not after.excellent


def test_a_township_appeals_its_own_result_and_publishing_freezes_the_year(world):
    s, manual, *_rest, gc, wl = _scheme(world)
    centre = world.user(Role.TOWNSHIP_CENTER)
    with pytest.raises(NotFound):  # another township's result is not theirs to appeal
        actions.file_appeal(actor=centre, target=wl, reason="不服")
    appeal = actions.file_appeal(actor=centre, target=gc, indicator=manual, reason="年终检查漏记了台账")
    # Sent again (back and 提交 once more): the same appeal, not a second one to review.
    assert actions.file_appeal(actor=centre, target=gc, indicator=manual, reason="年终检查漏记了台账 ") == appeal
    assert gc.appeals.count() == 1
    with pytest.raises(Invalid):
        actions.publish_scheme(actor=world.user(Role.CITY_OFFICE), scheme=s)  # an open appeal blocks it
    actions.decide_appeal(actor=world.user(Role.CITY_OFFICE), appeal=appeal, accept=True, decision="补记台账",
                          new_score=50)
    actions.publish_scheme(actor=world.user(Role.CITY_OFFICE), scheme=s)
    s.refresh_from_db()
    assert s.is_frozen
    frozen = {r.target.name: r for r in engine.compute(s)}
    assert frozen["古城镇"].items and frozen["古城镇"].total >= Decimal("50")
    _dispute(world, criminal=True)  # later records do not change a published year
    assert {r.target.name: r.grade for r in engine.compute(s)} == {n: r.grade for n, r in frozen.items()}
    with pytest.raises(Invalid):
        actions.score_item(actor=SYSTEM, target=gc, indicator=manual, score=10)


def test_assessment_compute_command_prints_json(world, capsys):
    s, manual, *_rest, gc, wl = _scheme(world)
    call_command("assessment", "compute", "--year", "2020", "--format", "json")
    out = capsys.readouterr().out
    assert '"excellent_units"' in out and "古城镇" in out
    assert Scheme.objects.count() == 1


def test_a_veto_not_upheld_on_the_scheme_page_is_said_so(client, world):
    """不予认定 on the scheme's page answered 一票否决已认定: the office was told the opposite."""
    _dispute(world, criminal=True)
    s, *_rest = _scheme(world)
    [veto] = actions.propose_vetoes(actor=world.user(Role.CITY_OFFICE), scheme=s)
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.post(s.get_absolute_url(), {"do": "veto", "veto": veto.pk, "confirm": "0", "note": "系他人所为"},
                       follow=True).content.decode()
    assert "一票否决建议不予认定" in page
    assert "一票否决已认定" not in page
    veto.refresh_from_db()
    assert veto.status == "dismissed"


def test_a_veto_decided_by_a_tampered_key_finds_none(client, world):
    """The veto's key comes back in a hidden field: text there names no veto (404), not a 500."""
    _dispute(world, criminal=True)
    s, *_rest = _scheme(world)
    [veto] = actions.propose_vetoes(actor=world.user(Role.CITY_OFFICE), scheme=s)
    client.force_login(world.user(Role.CITY_OFFICE))
    for junk in ("abc", "99999999999999999999999", ""):
        r = client.post(s.get_absolute_url(), {"do": "veto", "veto": junk, "confirm": "1", "note": "核实"})
        assert r.status_code == 404, junk
    veto.refresh_from_db()
    assert veto.status == "proposed"
