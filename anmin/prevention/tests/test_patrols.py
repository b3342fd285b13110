"""A patrol from a phone: check in at two points, a finding becomes a grid event in one tap; the
police stations' monthly ledger imports with per-row errors and exports; KPIs move with records."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from anmin.core import ledgers
from anmin.core.actors import SYSTEM
from anmin.core.codes import load_code_tables
from anmin.core.models import Role
from anmin.prevention import actions, kpis
from anmin.prevention.importers import PoliceLedger
from anmin.prevention.models import CheckIn, PatrolLog, PoliceActivity
from anmin.workflow.models import Case


@pytest.fixture
def team(world):
    return actions.create_team(actor=SYSTEM, region=world.gc_village, name="古城村治安巡逻队", kind="village")


def test_a_patrol_checks_in_twice_and_reports_a_finding_as_a_grid_event(client, world, team):
    load_code_tables()  # the grid event categories among them
    worker = world.user(Role.VILLAGE_CENTER)  # 村干部: the village team is theirs
    client.force_login(worker)
    r = client.post("/prevention/patrols/start/", {"team": team.pk, "idempotency_key": "patrol-1"})
    body = r.content.decode()
    assert r.status_code == 302, body[body.find("form-page"):][:1500]
    log = PatrolLog.objects.get()
    url = log.get_absolute_url()
    assert r["Location"] == url
    client.post(url, {"op": "checkin", "point": "村口"})
    client.post(url, {"op": "checkin", "point": "小学门口", "finding": "路灯损坏，夜间漆黑"})
    second = CheckIn.objects.get(point="小学门口")
    page = client.get(url).content.decode()
    assert "村口" in page
    assert "data-report-finding" in page
    r = client.post(url, {"op": "finding", "checkin": second.pk})
    assert r.status_code == 302
    second.refresh_from_db()
    case = Case.objects.get(number=second.event_ref)
    assert case.kind == "WG"
    assert "路灯损坏" in case.title + case.description
    assert case.region_id.startswith(world.gc_village.code)
    r = client.post(url, {"op": "finding", "checkin": second.pk})
    assert r.status_code == 400  # already reported: never twice
    client.post(url, {"op": "finish"})
    log.refresh_from_db()
    assert log.ended_at is not None
    assert Case.objects.filter(kind="WG").count() == 1


def test_a_grid_worker_starts_a_patrol_with_the_team_of_the_village_holding_their_grid(client, world, team):
    """The village's team lies outside the grid worker's grid (a grid's scope is narrower than its
    village): 开始巡逻 offers it and starts; teams elsewhere are neither offered nor taken."""
    from anmin.core.errors import NotFound

    neighbour = actions.create_team(actor=SYSTEM, region=world.gc_village2, name="大北村治安巡逻队", kind="village")
    township = actions.create_team(actor=SYSTEM, region=world.gucheng, name="古城镇治安巡逻队", kind="township")
    sibling = actions.create_team(actor=SYSTEM, region=world.gc_grid2, name="第2网格巡逻小组", kind="volunteer")
    worker = world.user(Role.GRID_WORKER)  # 古城村's 第1网格
    client.force_login(worker)
    page = client.get("/prevention/patrols/start/").content.decode()
    assert "古城村治安巡逻队" in page
    for elsewhere in (neighbour, township, sibling):
        assert elsewhere.name not in page
        with pytest.raises(NotFound):
            actions.start_patrol(actor=worker, team=elsewhere)
        assert client.post("/prevention/patrols/start/", {"team": elsewhere.pk}).status_code == 400  # refused
    r = client.post("/prevention/patrols/start/", {"team": team.pk, "idempotency_key": "grid-patrol-1"})
    assert r.status_code == 302
    log = PatrolLog.objects.get()
    assert (log.team, log.patroller) == (team, worker)
    assert client.get(r["Location"]).status_code == 200  # the patrol is the grid worker's own


def test_another_townships_patrol_is_not_found(client, world):
    other = actions.create_team(actor=SYSTEM, region=world.wl_village, name="无梁村治安巡逻队", kind="village")
    log = actions.start_patrol(actor=SYSTEM, team=other)
    client.force_login(world.user(Role.GRID_WORKER))
    assert client.get(log.get_absolute_url()).status_code == 404
    assert client.post(log.get_absolute_url(), {"op": "checkin", "point": "x"}).status_code == 404


def _police_file(rows):
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in PoliceLedger.columns])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_police_ledger_imports_with_per_row_errors_exports_and_moves_the_kpi(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    data = _police_file([
        ["古城镇", "古城派出所", "2020-03", 1200, 3, 5, 80],
        ["无梁镇", "无梁派出所", "2020-03", 900, 1, 2, 40],
        ["古城镇", "古城派出所", "2020年13月", 10, 0, 0, 0],
        ["古城镇", "古城派出所", "2020-04", -5, 0, 0, 0],
    ])
    ledger = PoliceLedger(user=centre)
    report = ledger.dry_run(data)
    assert {(e.row, e.field) for e in report.errors} == {(3, "township"), (4, "month"), (5, "visits")}
    ledger.run_import(report, mode=ledgers.VALID_ONLY)
    assert kpis._police("visits")(year=2020) == 1200
    assert kpis._police("visits")(year=2020, region=world.wuliang.code) == 0
    actions.report_police_month(actor=centre, region=world.gucheng, station="古城派出所", month=dt.date(2020, 4, 1),
                                visits=300, suspects_caught=2)
    assert kpis._police("visits")(year=2020) == 1500
    again = PoliceLedger(user=centre).dry_run(ledger.workbook(PoliceActivity.objects.all()))
    assert (again.new_count, again.existing_count, again.errors) == (0, 2, [])


def test_a_check_in_takes_its_place_from_the_kits_picker(client, world, team):
    client.force_login(world.user(Role.VILLAGE_CENTER))
    client.post("/prevention/patrols/start/", {"team": team.pk, "idempotency_key": "patrol-loc"})
    url = PatrolLog.objects.get().get_absolute_url()
    assert 'data-location-lng="longitude"' in client.get(url).content.decode()
    r = client.post(url, {"op": "checkin", "point": "村口", "latitude": "95", "longitude": "113.4"})
    assert r.status_code == 400
    assert "「纬度」须在 -90 到 90 之间" in r.content.decode()
    client.post(url, {"op": "checkin", "point": "村口", "latitude": "34.150001", "longitude": "113.400002"})
    c = CheckIn.objects.get()
    assert (str(c.latitude), str(c.longitude)) == ("34.150001", "113.400002")


def test_a_finding_with_a_tampered_check_in_key_is_refused_not_a_500(client, world, team):
    """转为网格事件 sends the check-in's key in a hidden field: no number there names no check-in
    (refused, nothing reported) — ``request.POST.get("checkin") or 0`` passed the text on (500)."""
    client.force_login(world.user(Role.VILLAGE_CENTER))
    client.post("/prevention/patrols/start/", {"team": team.pk, "idempotency_key": "patrol-t"})
    url = PatrolLog.objects.get().get_absolute_url()
    for junk in ("abc", "99999999999999999999999", ""):
        r = client.post(url, {"op": "finding", "checkin": junk})
        assert r.status_code == 400, junk
        assert "该打卡记录不存在" in r.content.decode()
    assert not Case.objects.filter(kind="WG").exists()


def test_the_patrol_ledger_shows_its_times_on_the_citys_clock_not_utc(client, world, team):
    """巡逻记录 said 01:07 for a patrol started at 09:07 in Yuzhou (the column formatted the stored UTC
    moment itself); the patrol's own page said 09:07."""
    log = actions.start_patrol(actor=SYSTEM, team=team)
    utc = dt.UTC
    PatrolLog.objects.filter(pk=log.pk).update(started_at=dt.datetime(2020, 12, 10, 1, 7, tzinfo=utc),
                                               ended_at=dt.datetime(2020, 12, 10, 2, 30, tzinfo=utc))
    client.force_login(world.user(Role.VILLAGE_CENTER))
    page = client.get("/prevention/patrols/").content.decode()
    assert "2020-12-10 09:07" in page
    assert "10:30" in page
    assert "01:07" not in page
    assert "02:30" not in page
    log.refresh_from_db()
    assert str(log).endswith("2020-12-10 09:07")
