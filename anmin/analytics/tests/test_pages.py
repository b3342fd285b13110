"""Dashboards per role, the 大屏's data, the map's layers, chart exports and generated reports."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.utils import timezone

from anmin.analytics import actions, tasks
from anmin.analytics.figures import Figures
from anmin.analytics.models import ReportRun, RunStatus
from anmin.core.codes import load_code_tables
from anmin.core.models import Location, Role
from anmin.disputes import actions as dispute_actions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _dispute(world, region=None):
    load_code_tables()
    return dispute_actions.report_dispute(
        actor=world.user(Role.CITY_OFFICE), title="邻里纠纷", region=region or world.gc_grid, category="0902",
        found_on=dt.date(2020, 5, 1), parties=[{"name": "甲"}, {"name": "乙", "role": "respondent"}])


def test_the_city_sees_townships_a_township_its_villages(client, world):
    _dispute(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get("/analytics/?year=2020").content.decode()
    assert "古城镇" in page and "无梁镇" in page and "data-chart=" in page
    assert "/disputes/?township=411081106000" in page  # drill-down to the ledger filtered the same way
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get("/analytics/?year=2020").content.decode()
    assert "古城村委会" in page and "无梁镇" not in page


def test_roles_without_the_dashboard_get_404(client, world):
    for role in (Role.SYSADMIN, Role.AUDITOR, "mediator", Role.DEPT_HANDLER):
        client.force_login(world.user(role))
        assert client.get("/analytics/").status_code == 404
        assert client.get("/analytics/data/").status_code == 404


def test_figures_are_right_at_once_after_a_write(client, world):
    client.force_login(world.user(Role.CITY_OFFICE))
    first = client.get("/analytics/data/?year=2020").json()
    found = next(s for s in first["stats"] if s["key"] == "stat.disputes_found")["value"]
    _dispute(world)
    again = client.get("/analytics/data/?year=2020").json()
    assert next(s for s in again["stats"] if s["key"] == "stat.disputes_found")["value"] == found + 1


def test_a_write_elsewhere_keeps_other_areas_cached(world, django_assert_max_num_queries):
    figs = Figures(user=None, year=2020)
    assert figs.value("disputes.found", world.wuliang.code) == 0
    _dispute(world)  # in 古城镇
    figs = Figures(user=None, year=2020)
    with django_assert_max_num_queries(3):  # the head and the changes since: no recount for 无梁镇
        assert figs.value("disputes.found", world.wuliang.code) == 0
    assert Figures(user=None, year=2020).value("disputes.found", world.gucheng.code) == 1


@contextmanager
def _reads(n: int):
    """Exactly ``n`` statements that read data (the planner settings around a count are not reads)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        yield
    reads = [q["sql"] for q in ctx.captured_queries
             if "max_parallel_workers_per_gather" not in q["sql"]]
    assert len(reads) == n, reads


def test_figures_outlive_the_short_limit_unless_they_move_with_the_clock(world, settings, monkeypatch):
    """A count of records stays cached past ANMIN_FIGURES_TTL (only a write or a new day moves it), so a
    figure slower to compute than that limit is not recomputed on every page; "overdue now" is not."""
    import time as real_time

    from anmin.analytics import figures
    from anmin.core import clock

    settings.ANMIN_FIGURES_TTL = 60
    _dispute(world)
    Figures(user=None, year=2020).value("disputes.found", world.gucheng.code)
    Figures(user=None, year=2020).value("disputes.overdue", world.gucheng.code)
    later = real_time.time() + 600
    monkeypatch.setattr(figures.time, "time", lambda: later)
    with _reads(1):  # the audit head alone
        assert Figures(user=None, year=2020).value("disputes.found", world.gucheng.code) == 1
    with _reads(2):  # the head, then the count again
        Figures(user=None, year=2020).value("disputes.overdue", world.gucheng.code)
    tomorrow = clock.today() + dt.timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda: tomorrow)
    with _reads(2):  # computed on another day: counted again
        assert Figures(user=None, year=2020).value("disputes.found", world.gucheng.code) == 1


def test_the_trend_and_area_table_are_cached_and_right_after_a_write(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.user(Role.CITY_OFFICE))

    def gucheng(data):
        row = next(a for a in data["areas"] if a["code"] == world.gucheng.code)
        may = sum(s["values"][4] for s in data["charts"][0]["series"])
        return row["opened"], row["open"], may

    before = gucheng(client.get("/analytics/data/?year=2020").json())
    with CaptureQueriesContext(connection) as queries:
        assert gucheng(client.get("/analytics/data/?year=2020").json()) == before
    counted = [q["sql"][:120] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not counted, counted  # nothing recounted: the trend, the area table and the cards are cached
    _dispute(world)  # found on 2020-05-01, registered today
    opened, still_open, may = gucheng(client.get("/analytics/data/?year=2020").json())
    assert still_open == before[1] + 1


def test_a_chart_exports_its_table_to_excel(client, world):
    _dispute(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    resp = client.get("/analytics/?year=2020&export=areas.disputes")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")


def test_the_map_layer_lists_located_records_the_user_sees(client, world):
    d = _dispute(world)
    other = _dispute(world, region=world.wl_grid)
    for case in (d.case, other.case):
        Location.objects.create(model="workflow.case", object_id=case.pk, region=case.region, lat=34.1, lng=113.5)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    points = client.get("/analytics/map/layers/cases.MD/?year=2020").json()["points"]
    assert [p["label"].split()[0] for p in points] == [d.case.number]
    cfg = client.get("/analytics/map/").content.decode()
    assert "data-map=" in cfg and "&quot;kind&quot;: &quot;none&quot;" in cfg  # no basemap configured


REGISTER_LAYERS = ("prevention.cameras", "prevention.camera_gaps", "hazards.waters", "campus.schools",
                   "campus.video_gaps")


def test_the_map_offers_the_registers_layers_to_the_city_and_a_township(client, world):
    for role in (Role.CITY_OFFICE, Role.TOWNSHIP_CENTER):
        client.force_login(world.user(role))
        page = client.get("/analytics/map/").content.decode()
        for key in REGISTER_LAYERS:  # registered by the domains (analytics' own code names none)
            assert f"/analytics/map/layers/{key}/" in page, (role, key)
            resp = client.get(f"/analytics/map/layers/{key}/?year=2020")
            assert resp.status_code == 200, (role, key)
            assert resp.json()["points"] == []  # nothing placed in this world yet


def test_a_report_is_generated_in_the_background_and_kept_as_versions(client, world, settings):
    _dispute(world)
    city = world.user(Role.CITY_OFFICE)
    run = actions.request_report(actor=city, kind="annual", year=2020, region=world.city, want_pdf=False,
                                 enqueue=False)
    tasks.generate(run)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.docx_file and run.data_seq > 0
    assert any(f["key"] == "disputes.found" and f["value"] == 1 for f in run.figures)
    assert any(f["key"] == "crackdown.clues_verified" for f in run.figures)  # computed, not a gap
    second = actions.request_report(actor=city, kind="annual", year=2020, region=world.city, enqueue=False)
    assert second.version == 2
    client.force_login(city)
    assert client.get(f"/analytics/reports/{run.pk}/docx/").status_code == 200
    progress = json.loads(client.get(f"/analytics/reports/{run.pk}/?progress=1").content)
    assert progress["done"] and progress["progress"] == 100
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get(f"/analytics/reports/{run.pk}/docx/").status_code == 404
    with pytest.raises(Exception, match="期间"):
        actions.request_report(actor=city, kind="monthly", year=2020, period="2020-13", region=world.city)
    assert ReportRun.objects.count() == 2


def test_the_bulletin_ranks_townships_and_lists_overdue_cases(world):
    from anmin.analytics.reports.bulletin import render_bulletin

    _dispute(world)
    doc = render_bulletin("monthly", period="2020-05", use_cache=False)
    assert "关于2020年5月平安建设工作情况的通报" in doc.text
    assert "古城镇" in doc.text and any(b.kind == "table" for b in doc.blocks)


def test_the_report_list_names_kind_and_status_and_shows_the_time_to_the_minute(client, world):
    """报告与通报 showed functools.partial(<bound method display of <ReportRun …>>) under 类型 and 状态,
    and 2020-12-10 01:36:07.589894+00:00 under 申请时间."""
    city = world.user(Role.CITY_OFFICE)
    run = actions.request_report(actor=city, kind="monthly", year=2020, period="2020-11", region=world.city,
                                 enqueue=False)
    client.force_login(city)
    html = client.get("/analytics/reports/").content.decode()
    assert "functools" not in html and "+00:00" not in html
    assert '<td data-label="类型">月度通报</td>' in html
    assert '<td data-label="状态">排队中</td>' in html
    moment = timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M")
    assert f'<td data-label="申请时间">{moment}</td>' in html


def test_a_report_of_a_year_or_period_still_to_come_is_refused(world):
    from anmin.core import clock
    from anmin.core.errors import Invalid

    city, today = world.user(Role.CITY_OFFICE), clock.today()
    with pytest.raises(Invalid, match="「年度」不能晚于"):
        actions.request_report(actor=city, kind="annual", year=today.year + 1, region=world.city, enqueue=False)
    nxt = today.replace(day=1) + dt.timedelta(days=32)
    with pytest.raises(Invalid, match="「期间」不能晚于"):
        actions.request_report(actor=city, kind="monthly", year=nxt.year, period=f"{nxt.year}-{nxt.month:02d}",
                               region=world.city, enqueue=False)
    with pytest.raises(Invalid, match="「期间」不能晚于"):
        actions.request_report(actor=city, kind="quarterly", year=today.year, period=f"{today.year + 1}-Q1",
                               region=world.city, enqueue=False)
    assert not ReportRun.objects.exists()
    this_month = f"{today.year}-{today.month:02d}"
    assert actions.request_report(actor=city, kind="monthly", year=today.year, period=this_month,
                                  region=world.city, enqueue=False).period == this_month


def test_the_report_form_names_the_field_and_the_rule_and_refuses_a_period_that_contradicts_the_year(client, world):
    """生成报告: 期间 2020-11 silently overrode 年度 2019 (a 2020 bulletin was queued), a year of "20" read
    年度应为四位数字 at the top of the list page, and the form sat inline above the ledger. Now it is
    the form kit's page, each error under its field."""
    from anmin.core import clock

    city = world.user(Role.CITY_OFFICE)
    client.force_login(city)
    listing = client.get("/analytics/reports/").content.decode()
    assert 'href="/analytics/reports/new/"' in listing and "生成报告" in listing
    page = client.get("/analytics/reports/new/").content.decode()
    assert 'class="form-page"' in page and 'name="idempotency_key"' in page
    this_year = clock.today().year

    r = client.post("/analytics/reports/new/", {"kind": "monthly", "year": "2019", "period": "2020-11"})
    assert r.status_code == 400
    assert r.context["form"].errors["period"] == [
        "「期间」2020-11 与「年度」2019 不一致：通报的年份以期间为准，请改正其中一项"]
    r = client.post("/analytics/reports/new/", {"kind": "annual", "year": "20"})
    assert r.context["form"].errors["year"] == [f"「年度」请填写四位数字的年份，如 {this_year}"]
    r = client.post("/analytics/reports/new/", {"kind": "annual", "year": "2020", "period": "2020-11"})
    assert "只用于月度、季度通报" in r.context["form"].errors["period"][0]
    assert not ReportRun.objects.exists()

    r = client.post("/analytics/reports/new/", {"kind": "monthly", "year": "", "period": "2020-11"})
    run = ReportRun.objects.get()
    assert r.status_code == 302 and r["Location"] == run.get_absolute_url()
    assert (run.kind, run.year, run.period, run.want_pdf) == ("monthly", 2020, "2020-11", False)


def test_the_bigscreen_lists_name_a_grid_with_its_village(client, world):
    """"第1网格" alone names a grid in every village: the 大屏's 最新上报 said only that."""
    d = _dispute(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    newest = client.get("/analytics/data/?bigscreen=1&year=2020").json()["lists"]["newest"]
    row = next(r for r in newest if r["number"] == d.case.number)
    assert row["region"] == f"{world.gc_grid.parent.name} {world.gc_grid.name}"


def test_a_reports_figures_show_as_its_text_writes_them(client, world):
    """The 2020 report's 报告所用数据 said 冻结查封资产价值 220460000.0 元 and 随访完成率 100.0 %, and its
    state 已完成 · 已完成."""
    from anmin.analytics.models import ReportKind

    run = ReportRun.objects.create(
        kind=ReportKind.ANNUAL, year=2020, region=world.city, created_at=timezone.now(), status=RunStatus.DONE,
        message="已完成", title="年度工作总结", figures=[
            {"key": "crackdown.assets_frozen", "label": "冻结查封资产价值", "year": 2020, "value": 220460000.0,
             "unit": "元", "registered": True},
            {"key": "care.followup_completion_rate", "label": "随访完成率", "year": 2020, "value": 100.0,
             "unit": "%", "registered": True},
            {"key": "grid.by_category", "label": "网格事件按类别上报", "year": 2020,
             "value": {"环境卫生": 2, "治安隐患": 1}, "unit": "件", "registered": True}])
    client.force_login(world.user(Role.CITY_OFFICE))
    html = client.get(run.get_absolute_url()).content.decode()
    assert "220460000.0" not in html and "220460000 元" in html and "100 %" in html
    assert "环境卫生 2、治安隐患 1 件" in html and "{&#x27;" not in html
    assert "已完成 · 已完成" not in html
    # on a phone each row stacks with its labels (the 数值 column was off the screen's right edge)
    assert '<td data-label="数值" data-figure="crackdown.assets_frozen">220460000 元</td>' in html


def test_the_mediated_and_criminal_figures_link_to_what_they_count(client, world):
    """调解纠纷 3200 and 民转刑 0 linked to the year's whole dispute ledger (3458 rows)."""
    from anmin.core.registry import drill_links
    from anmin.disputes.models import Dispute, Outcome

    a, b, c = _dispute(world), _dispute(world), _dispute(world)
    Dispute.objects.filter(pk=a.pk).update(outcome=Outcome.SUCCESS)
    dispute_actions.link_criminal_case(actor=world.user(Role.CITY_OFFICE), dispute=b, number="XS-2020-001",
                                       on=dt.date(2020, 6, 1), reason="纠纷激化")
    client.force_login(world.user(Role.CITY_OFFICE))
    mediated = client.get(drill_links.get("disputes.mediated").url(year=2020)).content.decode()
    assert "共 1 条" in mediated
    assert a.case.number in mediated
    criminal = client.get(drill_links.get("disputes.criminal").url(year=2020)).content.decode()
    assert "共 1 条" in criminal
    assert b.case.number in criminal
    assert c.case.number not in mediated + criminal


def test_a_month_of_the_trend_opens_the_cases_of_that_month(client, world):
    """Every month of the 逐月上报 table and line led to the whole case ledger: each opens its month."""
    from anmin.core import clock

    number = _dispute(world).case.number
    today = timezone.localtime(clock.now()).date()
    client.force_login(world.user(Role.CITY_OFFICE))
    trend = client.get(f"/analytics/data/?year={today.year}").json()["charts"][0]
    assert trend["key"] == "trend.cases"
    links = trend["links"]
    assert len(set(links)) == 12
    this_month = client.get(links[today.month - 1]).content.decode()
    assert number in this_month
    other_month = client.get(links[today.month % 12]).content.decode()
    assert number not in other_month
    assert links[1].endswith(f"opened_from={today.year}-02-01&opened_to={today.year}-02-"
                             f"{29 if today.year % 4 == 0 else 28}")
