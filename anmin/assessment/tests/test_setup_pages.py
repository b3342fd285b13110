"""Setting a year's assessment up from pages (the office had no page for it: a new year's scheme, its
items and units, and a township's 扣分/加分 were written only by the demo's code)."""

from __future__ import annotations

import pytest

from anmin.assessment import actions, engine
from anmin.assessment.models import Adjustment, Indicator, IndicatorKind, Scheme, Target, UnitType
from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role

pytestmark = pytest.mark.django_db


def _last_year(world):
    s = actions.create_scheme(actor=SYSTEM, year=2019, unit_type=UnitType.TOWNSHIP, name="2019年度乡镇考评",
                              region=world.city, grades={"优秀": 92, "良好": 80, "达标": 60}, excellent_quota=3)
    g = actions.add_indicator(actor=SYSTEM, scheme=s, code="A", name="组织领导", kind=IndicatorKind.GROUP, max_score=20)
    actions.add_indicator(actor=SYSTEM, scheme=s, parent=g, code="A1", name="平时督导", kind=IndicatorKind.MANUAL,
                          max_score=20, order=1)
    actions.add_indicator(actor=SYSTEM, scheme=s, code="D1", name="通报批评扣分", kind=IndicatorKind.DEDUCTION,
                          max_score=5, order=2)
    actions.add_target(actor=SYSTEM, scheme=s, name="古城镇", region=world.gucheng)
    return s


def test_the_office_begins_a_year_from_last_years_scheme(client, world):
    last = _last_year(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    listing = client.get("/assessment/").content.decode()
    assert "/assessment/schemes/new/" in listing and "新建考核方案" in listing
    form = client.get("/assessment/schemes/new/").content.decode()
    assert 'value="2020"' in form and "2020年度乡镇考评" in form  # last year's, a year on
    r = client.post("/assessment/schemes/new/", {"copy_from": last.pk, "year": 2020, "name": "2020年度乡镇考评",
                                                 "idempotency_key": "k" * 32})
    assert r.status_code == 302
    new = Scheme.objects.get(year=2020)
    assert r["Location"] == new.get_absolute_url()
    assert new.unit_type == UnitType.TOWNSHIP and new.grades["优秀"] == 92 and new.excellent_quota == 3
    a1 = new.indicators.get(code="A1")
    assert a1.parent.code == "A" and a1.parent.scheme_id == new.pk and a1.max_score == 20
    assert list(new.targets.values_list("name", flat=True)) == ["古城镇"]
    assert not new.targets.get().scores.exists()
    # The same form sent again (a retry): the one scheme, not an error and not a second.
    again = client.post("/assessment/schemes/new/", {"copy_from": last.pk, "year": 2020, "name": "2020年度乡镇考评",
                                                     "idempotency_key": "k" * 32})
    assert again.status_code == 302 and Scheme.objects.filter(year=2020).count() == 1
    # A year that has its scheme already: told at the year.
    r = client.post("/assessment/schemes/new/", {"copy_from": last.pk, "year": 2020, "name": "重复"})
    assert r.status_code == 400 and "2020年度该类对象的考核方案已存在" in r.content.decode()


def test_a_township_may_not_create_a_scheme(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get("/assessment/schemes/new/").status_code == 404
    r = client.post("/assessment/schemes/new/", {"year": 2020, "unit_type": "township", "name": "x"})
    assert r.status_code == 404 and not Scheme.objects.exists()


def test_the_office_sets_items_and_units_of_a_draft(client, world):
    client.force_login(world.user(Role.CITY_OFFICE))
    r = client.post("/assessment/schemes/new/", {"year": 2020, "unit_type": "township", "name": "2020年度考评"})
    s = Scheme.objects.get()
    assert r.status_code == 302 and s.region_id == world.city.code
    page = client.get(s.get_absolute_url()).content.decode()
    assert 'data-form="indicator"' in page and "添加全部乡镇(街道)" in page
    # A data item takes the name and rule the domain offers.
    r = client.post(s.get_absolute_url(), {"do": "indicator", "ind-code": "B1", "ind-kind": "kpi",
                                           "ind-max_score": "15", "ind-offered": "disputes.mediation_rate"})
    assert r.status_code == 302
    b1 = s.indicators.get(code="B1")
    assert b1.name == "矛盾纠纷调解率" and b1.kpi == "disputes.mediation_rate" and b1.rule["full_at"] == 85
    # Errors at their fields, nothing written: a data item with no data, a code used twice, points out of bounds.
    r = client.post(s.get_absolute_url(), {"do": "indicator", "ind-code": "B2", "ind-kind": "kpi",
                                           "ind-max_score": "10", "ind-name": "无数据"})
    assert r.status_code == 400 and "数据指标和一票否决项须选择数据指标" in r.content.decode()
    r = client.post(s.get_absolute_url(), {"do": "indicator", "ind-code": "B1", "ind-kind": "manual",
                                           "ind-max_score": "10", "ind-name": "年终检查"})
    assert r.status_code == 400 and "编号 B1 已被本方案的其他指标使用" in r.content.decode()
    assert 'value="年终检查"' in r.content.decode()  # what was typed is kept
    r = client.post(s.get_absolute_url(), {"do": "indicator", "ind-code": "C1", "ind-kind": "manual",
                                           "ind-max_score": "5000", "ind-name": "测评"})
    assert r.status_code == 400 and s.indicators.count() == 1
    # Units: every township of the city at once, then once more adds none.
    client.post(s.get_absolute_url(), {"do": "townships"})
    names = set(s.targets.values_list("name", flat=True))
    assert {"古城镇", "无梁镇"} <= names
    n = len(names)
    client.post(s.get_absolute_url(), {"do": "townships"})
    assert s.targets.count() == n
    r = client.post(s.get_absolute_url(), {"do": "target", "unit-name": "古城镇"})
    assert r.status_code == 400 and "古城镇已是本方案的考核对象" in r.content.decode()
    # A unit added by mistake is removed; an item is too.
    wl = s.targets.get(name="无梁镇")
    client.post(s.get_absolute_url(), {"do": "remove_target", "unit": wl.pk})
    assert not Target.objects.filter(pk=wl.pk).exists()
    client.post(s.get_absolute_url(), {"do": "remove_indicator", "item": b1.pk})
    assert not Indicator.objects.filter(pk=b1.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="assessment.indicator").exists()


def test_an_item_already_scored_is_not_removed(client, world):
    s = _last_year(world)
    gc = s.targets.get()
    a1 = s.indicators.get(code="A1")
    actions.score_item(actor=SYSTEM, target=gc, indicator=a1, score=18)
    client.force_login(world.user(Role.CITY_OFFICE))
    r = client.post(s.get_absolute_url(), {"do": "remove_indicator", "item": a1.pk}, follow=True)
    assert "A1 已有评分，不能删除" in r.content.decode() and Indicator.objects.filter(pk=a1.pk).exists()
    r = client.post(s.get_absolute_url(), {"do": "remove_target", "unit": gc.pk}, follow=True)
    assert "古城镇已有评分，不能删除" in r.content.decode() and Target.objects.filter(pk=gc.pk).exists()


def test_the_office_registers_a_deduction_on_a_units_page_and_the_total_moves(client, world):
    s = _last_year(world)
    gc = s.targets.get()
    actions.score_item(actor=SYSTEM, target=gc, indicator=s.indicators.get(code="A1"), score=20)
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get(gc.get_absolute_url()).content.decode()
    assert 'data-form="adjust"' in page
    d1 = s.indicators.get(code="D1")
    post = {"do": "adjust", "adj-indicator": d1.pk, "adj-points": "1.5", "adj-reason": "信访事项被市委通报",
            "adj-reference": "禹平安办〔2020〕3号", "idempotency_key": "a" * 32}
    r = client.post(gc.get_absolute_url(), post)
    assert r.status_code == 302
    r2 = client.post(gc.get_absolute_url(), post)  # sent twice (a weak network): one deduction
    assert r2.status_code == 302 and Adjustment.objects.count() == 1
    result = next(x for x in engine.compute(s) if x.target.pk == gc.pk)
    assert float(result.total) == 18.5
    page = client.get(gc.get_absolute_url()).content.decode()
    assert "信访事项被市委通报" in page and "已登记扣分" in page
    r = client.post(gc.get_absolute_url(), {"do": "adjust", "adj-indicator": d1.pk, "adj-points": "1",
                                            "adj-reason": ""})
    assert r.status_code == 400 and "「事由」为必填项" in r.content.decode()
    assert Adjustment.objects.count() == 1


def test_a_township_sees_no_adjustment_form_and_may_not_post_one(client, world):
    s = _last_year(world)
    gc = s.targets.get()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert 'data-form="adjust"' not in client.get(gc.get_absolute_url()).content.decode()
    r = client.post(gc.get_absolute_url(), {"do": "adjust", "adj-indicator": s.indicators.get(code="D1").pk,
                                            "adj-points": "5", "adj-reason": "自行加分"})
    assert r.status_code == 403 and not Adjustment.objects.exists()
