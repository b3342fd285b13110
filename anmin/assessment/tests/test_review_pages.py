"""The office scores a manual item and reviews a unit's appeal on the unit's page (the first-day
pass found neither: the 2020 scheme's manual items stayed 尚未评分 and a township's appeal blocked
publishing for good)."""

from __future__ import annotations

import pytest

from anmin.assessment import actions
from anmin.assessment.models import Appeal, AppealStatus, IndicatorKind, ManualScore, UnitType
from anmin.core.actors import SYSTEM
from anmin.core.models import Role

pytestmark = pytest.mark.django_db


def _scheme(world):
    s = actions.create_scheme(actor=SYSTEM, year=2020, unit_type=UnitType.TOWNSHIP, name="2020年度考评",
                              region=world.city)
    a1 = actions.add_indicator(actor=SYSTEM, scheme=s, code="A1", name="年终检查", kind=IndicatorKind.MANUAL,
                               max_score=60)
    gc = actions.add_target(actor=SYSTEM, scheme=s, name="古城镇", region=world.gucheng)
    return s, a1, gc


def _score(client, gc, a1, **data):
    post = {"do": "score", "indicator": a1.pk}
    post.update({f"s{a1.pk}-{k}": v for k, v in data.items()})
    return client.post(gc.get_absolute_url(), post)


def test_the_office_scores_a_manual_item_on_the_units_page(client, world):
    s, a1, gc = _scheme(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get(gc.get_absolute_url()).content.decode()
    assert 'data-form="score"' in page and "保存评分" in page
    r = _score(client, gc, a1, version=0, score="55.5", note="年终检查材料齐全")
    assert r.status_code == 302
    assert ManualScore.objects.get(target=gc, indicator=a1).score == 55.5
    page = client.get(gc.get_absolute_url()).content.decode()
    assert "评分：年终检查材料齐全" in page and 'data-label="得分">55.5</td>' in page


def test_a_score_over_the_items_points_is_told_at_the_field(client, world):
    s, a1, gc = _scheme(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    r = _score(client, gc, a1, version=0, score="70")
    assert r.status_code == 400
    assert "得分应在 0 到 60 之间" in r.content.decode() and not ManualScore.objects.exists()


def test_a_stale_score_form_is_told_and_keeps_what_was_typed(client, world):
    s, a1, gc = _scheme(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    assert _score(client, gc, a1, version=0, score="50").status_code == 302  # the first tab
    r = _score(client, gc, a1, version=0, score="58", note="第二个窗口")  # the second, opened before
    assert r.status_code == 409
    page = r.content.decode()
    assert "已被他人修改" in page and "第二个窗口" in page and 'value="58"' in page
    assert ManualScore.objects.get(target=gc, indicator=a1).score == 50


def test_a_township_sees_no_scoring_form(client, world):
    s, a1, gc = _scheme(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(gc.get_absolute_url()).content.decode()
    assert 'data-form="score"' not in page and 'data-form="appeal"' in page
    assert _score(client, gc, a1, version=0, score="60").status_code == 403
    assert not ManualScore.objects.exists()


def test_the_office_reviews_an_appeal_and_then_may_publish(client, world):
    s, a1, gc = _scheme(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    client.post(gc.get_absolute_url(), {"indicator": a1.pk, "reason": "年终检查漏计了材料"})
    appeal = Appeal.objects.get()
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get(s.get_absolute_url()).content.decode()
    assert f'{gc.get_absolute_url()}#appeal-{appeal.pk}' in page  # the scheme's page leads to the review
    page = client.get(gc.get_absolute_url()).content.decode()
    assert 'data-form="review"' in page and "复核后得分" in page
    r = client.post(gc.get_absolute_url(), {"do": "accept", "appeal": appeal.pk, f"a{appeal.pk}-decision": ""})
    assert r.status_code == 400 and "「复核意见」为必填项" in r.content.decode()
    r = client.post(gc.get_absolute_url(), {"do": "accept", "appeal": appeal.pk,
                                            f"a{appeal.pk}-decision": "材料属实", f"a{appeal.pk}-new_score": "58"})
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED and ManualScore.objects.get(target=gc, indicator=a1).score == 58
    page = client.get(gc.get_absolute_url()).content.decode()
    assert "已采纳" in page and "材料属实" in page and 'data-form="review"' not in page
    client.post(s.get_absolute_url(), {"do": "publish"})
    s.refresh_from_db()
    assert s.is_frozen


def test_a_units_explanation_labels_its_cells_for_the_phone(client, world):
    """On a phone the table's head is hidden and each cell shows its label: 分值 10 / 得分 0, not 10 / 0."""
    s, a1, gc = _scheme(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(gc.get_absolute_url()).content.decode()
    assert 'data-label="分值">60</td><td data-label="得分">0</td>' in page
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get(s.get_absolute_url()).content.decode()
    assert '<td data-label="名次">1</td>' in page and 'data-label="总分"' in page


def test_a_townships_assessment_page_shows_its_results_and_no_empty_scheme_table(client, world):
    """A township saw its own results, then 共 0 条 · 没有符合条件的记录 under an 导出 Excel of nothing
    (the schemes are the city's): as if it had no assessment."""
    s, a1, gc = _scheme(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get("/assessment/").content.decode()
    assert gc.get_absolute_url() in page
    assert "没有符合条件的记录" not in page
    assert "data-export" not in page
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get("/assessment/").content.decode()
    assert "共 1 条" in page
    assert "data-export" in page


def test_a_tampered_item_or_appeal_key_finds_nothing_instead_of_failing(client, world):
    """The unit's page reads the item and the appeal from hidden fields: a key that is no number (or
    too large for the column) names no record — 404 — where ``request.POST.get(...) or 0`` failed (500)."""
    s, a1, gc = _scheme(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    for junk in ("abc", "-1", "99999999999999999999999", "a\x00b"):
        assert client.post(gc.get_absolute_url(), {"do": "score", "indicator": junk}).status_code == 404, junk
        assert client.post(gc.get_absolute_url(), {"do": "accept", "appeal": junk}).status_code == 404, junk
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    r = client.post(gc.get_absolute_url(), {"indicator": "abc", "reason": "年终检查漏计了材料"})
    assert r.status_code in (302, 400)
    assert not Appeal.objects.filter(indicator__isnull=False).exists()
