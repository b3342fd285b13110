"""The registry kit on the prevention registries: actions with guards, version and status history,
coverage gaps as data, the Excel ledger (per-row errors, export, re-import), pages and API in scope."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from anmin.core import ledgers
from anmin.core.errors import Conflict, Invalid, NotFound
from anmin.core.models import AuditEntry, Role
from anmin.prevention import actions
from anmin.prevention.coverage import VILLAGE_PATROL
from anmin.prevention.models import Camera, PatrolTeam
from anmin.prevention.registries import CAMERAS
from anmin.workflow.kit import coverage
from anmin.workflow.kit.registry import history


@pytest.fixture
def centre(world):
    return world.user(Role.TOWNSHIP_CENTER)  # 古城镇


def _team(actor, village, n, name="巡逻队"):
    team = actions.create_team(actor=actor, region=village, name=name, kind="village")
    members = [actions.create_member(actor=actor, region=village, team=team, name=f"队员{i}") for i in range(n)]
    return team, members


def test_create_update_status_retire_with_version_and_history(world, centre):
    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township",
                                place_kind="crossing")
    assert cam.version == 1
    assert cam.status == "online"
    cam = actions.set_camera_status(actor=centre, record=cam, expected_version=1, status="offline", note="断电")
    with pytest.raises(Conflict):
        actions.update_camera(actor=centre, record=cam, expected_version=1, name="改名")
    cam = actions.update_camera(actor=centre, record=cam, expected_version=2, address="古城大街")
    assert [h.status for h in history(CAMERAS, cam)] == ["online", "offline"]
    assert history(CAMERAS, cam)[1].note == "断电"
    actions.retire_camera(actor=centre, record=cam, expected_version=3, reason="拆除")
    cam.refresh_from_db()
    assert not cam.is_active
    assert cam.retire_reason == "拆除"
    assert AuditEntry.objects.filter(object_type="prevention.camera", object_id=str(cam.pk)).count() == 4


def test_guards_place_and_scope(world, centre):
    with pytest.raises(Invalid) as err:
        actions.create_camera(actor=centre, region=world.wl_grid, name="无梁路口", programme="city")
    assert err.value.field == "region"
    other = actions.create_camera(actor=world.user(Role.CITY_OFFICE), region=world.wl_grid, name="无梁路口",
                                  programme="city")
    with pytest.raises(NotFound):
        actions.set_camera_status(actor=centre, record=other, expected_version=1, status="fault")
    with pytest.raises(Invalid):
        actions.create_camera(actor=centre, region=world.gc_grid, name="x", programme="nonsense")
    actions.create_camera(actor=centre, region=world.gc_grid, name="重名", programme="city")
    with pytest.raises(Invalid):  # the natural key (place + name) is registered once
        actions.create_camera(actor=centre, region=world.gc_grid, name="重名", programme="city")


def test_removing_the_last_qualifying_member_lists_the_village(world, centre):
    _team(centre, world.gc_village, 10)
    _, members = _team(centre, world.gc_village2, 10, name="大北巡逻队")
    gaps = {g.region for g in coverage.gaps(VILLAGE_PATROL, within=world.gucheng.code)}
    assert world.gc_village.code not in gaps
    assert world.gc_village2.code not in gaps
    actions.retire_member(actor=centre, record=members[-1], expected_version=1, reason="外出务工")
    gaps = coverage.gaps(VILLAGE_PATROL, within=world.gucheng.code)
    assert [g.region for g in gaps] == [world.gc_village2.code]
    assert "现有 0 支" in gaps[0].reason
    s = coverage.summary(VILLAGE_PATROL, within=world.gucheng.code)
    assert (s.places, s.covered) == (2, 1)


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in CAMERAS.ledger_class.columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_ledger_import_reports_each_bad_row_then_exports_what_it_imported(world, centre):
    data = _xlsx([
        ["古城镇", "古城村委会", "第1网格", "东口", "平安乡镇", "路口", 2, "", None, None, None, "在线"],
        ["古城镇", "古城村委会", "", "西口", "不存在的项目", "", 1, "", None, None, None, ""],
        ["无梁镇", "无梁村委会", "", "无梁口", "平安城市", "", 1, "", None, None, None, ""],
        ["古城镇", "大北村委会", "", "", "平安城市", "", 1, "", None, None, None, "离线"],
    ])
    ledger = CAMERAS.ledger_class(user=centre)
    report = ledger.dry_run(data)
    errors = {(e.row, e.field) for e in report.errors}
    assert errors == {(3, "programme"), (4, "village"), (5, "name")}
    result = ledger.run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == 1
    cam = Camera.objects.get(name="东口")
    assert cam.channels == 2
    assert cam.region_id == world.gc_grid.code
    exported = ledger.workbook(Camera.objects.visible_to(centre))
    again = CAMERAS.ledger_class(user=centre).dry_run(exported)
    assert (again.new_count, again.existing_count, again.errors) == (0, 1, [])
    ws = load_workbook(io.BytesIO(exported)).active
    assert any(row and "东口" in row for row in ws.iter_rows(values_only=True))


def test_pages_and_api_in_scope(client, world, centre):
    mine = actions.create_team(actor=centre, region=world.gc_village, name="古城村巡逻队", kind="village")
    theirs = PatrolTeam.objects.create(region=world.wl_village, name="无梁村巡逻队", kind="village")
    client.force_login(centre)
    page = client.get("/prevention/teams/").content.decode()
    assert "古城村巡逻队" in page
    assert "无梁村巡逻队" not in page
    assert "每个村(社区)有一支不少于10人的治安巡逻队" in page
    assert client.get(f"/prevention/teams/{theirs.pk}/").status_code == 404
    r = client.post(f"/prevention/teams/{mine.pk}/status/", {"status": "paused", "note": "整训", "version": 1})
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "paused"
    assert mine.version == 2
    api = client.get("/api/v1/teams/").json()
    assert [t["name"] for t in api["results"]] == ["古城村巡逻队"]
    r = client.patch(f"/api/v1/teams/{mine.pk}/", {"leader": "王队长", "version": 1}, content_type="application/json")
    assert r.status_code == 409
    assert r.json()["current"]["version"] == 2  # for a program; the message names no version
    assert "版本" not in r.json()["message"]
    assert "在您打开后已被他人修改" in r.json()["message"]
    r = client.post("/api/v1/teams/", {"region": world.gc_village2.code, "name": "大北队", "kind": "village"},
                    content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-team-1")
    assert r.status_code == 201, r.content
    assert client.get("/prevention/teams/?export=xlsx").status_code == 200


def test_member_ledger_names_its_team_and_reimports_as_existing(world, centre):
    from anmin.prevention.models import PatrolMember
    from anmin.prevention.registries import MEMBERS

    team, _ = _team(centre, world.gc_village, 1, name="古城村巡逻队")
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in MEMBERS.ledger_class.columns])
    ws.append(["古城镇", "古城村委会", "", "古城村巡逻队", "李四", "志愿者", ""])
    ws.append(["古城镇", "古城村委会", "", "没有的队", "王五", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    ledger = MEMBERS.ledger_class(user=centre)
    report = ledger.dry_run(buf.getvalue())
    assert [(e.row, e.field) for e in report.errors] == [(3, "team")]
    ledger.run_import(report, mode=ledgers.VALID_ONLY)
    assert PatrolMember.objects.get(name="李四").team == team
    again = MEMBERS.ledger_class(user=centre).dry_run(ledger.workbook(PatrolMember.objects.all()))
    assert (again.new_count, again.existing_count, again.errors) == (0, 2, [])


def test_camera_kpis_move_with_records_and_respect_scope(world, centre):
    from anmin.core import clock
    from anmin.prevention import kpis

    year = clock.today().year
    township = kpis._programme("township")
    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="新点", programme="township", channels=3)
    assert township(year=year) == 3
    assert kpis.cameras_total(year=year, region=world.wuliang.code) == 0
    assert kpis.cameras_total(year=year, user=world.user(Role.AUDITOR)) == 0
    actions.retire_camera(actor=centre, record=cam, expected_version=1, reason="拆除")
    assert township(year=year) == 0  # retired this year: not on the register at its end
    assert township(year=year - 1) == 3  # but it stood at the end of last year (built_on unknown)


def test_a_village_whose_only_crossing_camera_goes_offline_is_listed(world, centre):
    from anmin.prevention.coverage import VILLAGE_CROSSING

    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城村口", programme="city",
                                place_kind="crossing")
    actions.create_camera(actor=centre, region=world.gc_village2, name="大北村口", programme="city",
                          place_kind="crossing")
    assert coverage.gaps(VILLAGE_CROSSING, within=world.gucheng.code) == []
    actions.set_camera_status(actor=centre, record=cam, expected_version=1, status="offline", note="光缆中断")
    assert [g.name for g in coverage.gaps(VILLAGE_CROSSING, within=world.gucheng.code)] == ["古城村委会"]


def test_a_record_form_carries_the_version_hidden_and_a_stale_tab_gets_a_conflict(client, world, centre):
    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township",
                                place_kind="crossing")
    client.force_login(centre)
    for page in ("edit", "status", "retire"):
        html = client.get(f"/prevention/cameras/{cam.pk}/{page}/").content.decode()
        assert '<input type="hidden" name="version" value="1"' in html
        assert "版本" not in html
    actions.update_camera(actor=centre, record=cam, expected_version=1, address="古城大街")  # another tab
    r = client.post(f"/prevention/cameras/{cam.pk}/status/", {"status": "offline", "note": "断电", "version": 1})
    assert r.status_code == 409
    body = r.content.decode()
    # said plainly: someone else changed it meanwhile, reload — no internal version number ("当前版本 2")
    assert "该视频监控点位在您打开后已被他人修改，您的修改未保存。请重新打开该记录" in body
    assert "版本" not in body
    cam.refresh_from_db()
    assert cam.status == "online"


def test_a_camera_is_placed_with_the_kits_picker_and_an_impossible_latitude_is_refused(client, world, centre):
    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township",
                                place_kind="crossing")
    client.force_login(centre)
    html = client.get(f"/prevention/cameras/{cam.pk}/edit/").content.decode()
    assert 'data-location-lng="longitude"' in html
    data = {"region": world.gc_grid.code, "name": "古城路口", "programme": "township", "place_kind": "crossing",
            "channels": 1, "address": "", "built_on": "", "version": 1}
    r = client.post(f"/prevention/cameras/{cam.pk}/edit/", {**data, "longitude": "113.4", "latitude": "200"})
    assert r.status_code in (200, 400)
    assert "「纬度」须在 -90 到 90 之间" in r.content.decode()
    cam.refresh_from_db()
    assert cam.latitude is None
    r = client.post(f"/prevention/cameras/{cam.pk}/edit/", {**data, "longitude": "113.4", "latitude": "34.15"})
    assert r.status_code == 302, r.context["form"].errors
    cam.refresh_from_db()
    assert (str(cam.latitude), str(cam.longitude)) == ("34.150000", "113.400000")


def test_a_large_registry_ledger_is_imported_by_the_worker(world, centre, client, settings, tmp_path):
    """A file over the background size goes to the worker, which finds the registry's ledger by its
    key in its own process (no page of the registry imported there)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anmin.core.ledgers import jobs

    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path
    settings.ANMIN_LEDGER_BACKGROUND_BYTES = 100  # this small file counts as large
    client.force_login(centre)
    data = _xlsx([["古城镇", "古城村委会", "第1网格", "东口", "平安乡镇", "路口", 2, "", None, None, None, "在线"]])
    upload = SimpleUploadedFile("摄像头.xlsx", data)
    page = client.post("/prevention/cameras/", {"ledger_step": "upload", "file": upload})
    assert page.context["step"] == "job"
    token = page.context["token"]
    assert CAMERAS.ledger_class.key in ledgers.all_ledgers()
    jobs.run(token, centre.pk, CAMERAS.ledger_class.key)
    assert jobs.state(token, user_id=centre.pk, ledger_key=CAMERAS.ledger_class.key)["state"] == "checked"
    client.post("/prevention/cameras/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    jobs.run(token, centre.pk, CAMERAS.ledger_class.key, "valid_only")
    assert Camera.objects.get(name="东口").region_id == world.gc_grid.code


def test_a_registrys_pages_are_titled_in_the_readers_language(client, world):
    """In English the camera registry's pages say "Register Video surveillance point…", not "Register
    视频监控点位"; in Chinese as before; the Excel file keeps its Chinese name."""
    from anmin.core.models import Role

    client.force_login(world.user(Role.CITY_OFFICE))
    assert "视频监控点位台账" in client.get("/prevention/cameras/").content.decode()
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    for url in ("/prevention/cameras/", "/prevention/cameras/new/"):
        body = client.get(url).content.decode()
        title = body.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "视频监控点位" not in title, (url, title)
    export = client.get("/prevention/cameras/?export=xlsx")
    assert "视频监控点位台账" in export["Content-Disposition"] or "%E8%A7%86" in export["Content-Disposition"]


def test_a_registry_record_page_is_titled_after_the_record(client, world, centre):
    """The browser tab (and the history a user goes back through) named nothing: "· 安民 · …"."""
    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township")
    client.force_login(centre)
    html = client.get(f"/prevention/cameras/{cam.pk}/").content.decode()
    assert "<title>古城路口 · " in html
    form = client.get(f"/prevention/cameras/{cam.pk}/edit/").content.decode()
    assert 'type="date" name="built_on"' in form


def test_the_status_history_names_the_person_and_the_records_own_moment(world, centre):
    """状态记录 read "2026-12-07 07:30 正常 · pingan" under 正常（自 2020-12-10 09:16）: the login name and
    the audit entry's real-clock time instead of the person and the moment the record keeps."""
    import datetime as dt

    from django.utils import timezone

    centre.name = "古城综治 张三"
    centre.save(update_fields=["name"])
    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township")
    since = timezone.now() - dt.timedelta(days=400)
    cam = actions.set_camera_status(actor=centre, record=cam, expected_version=1, status="offline", since=since)
    actions.retire_camera(actor=centre, record=cam, expected_version=2, reason="拆除")
    cam.refresh_from_db()
    created, offline, retired = history(CAMERAS, cam)
    assert created.at == cam.created_at or created.at.replace(microsecond=0) == cam.created_at.replace(microsecond=0)
    assert offline.at == since
    assert retired.at == cam.retired_at
    assert {h.actor for h in (created, offline, retired)} == {"古城综治 张三"}


def test_the_demo_names_a_camera_in_words_not_codes():
    """The demo's 视频监控点位台账 read 大北村委会Cci-0554, Sca-4254, Nco-0353: code fragments on every row."""
    import re

    from django.utils import translation

    from anmin.prevention.demo import CAMERA_PLAN, camera_name

    with translation.override("en"):  # a stored name: Chinese whatever language the process has active
        names = [camera_name("大北村委会", programme, kind, 554) for programme, kind, _n, _c in CAMERA_PLAN]
    assert names[1] == "大北村委会平安城市路口监控0554"
    assert len(set(names)) == len(names)  # one name per programme and place
    assert not any(re.search(r"[A-Za-z]", n) for n in names)


def test_a_camera_built_in_the_future_is_refused_by_the_form_and_the_action(client, world, centre):
    """建成日期 took any day up to ten years ahead (the platform's horizon for time limits): a camera
    cannot have been built tomorrow. Today is fine."""
    import datetime as dt

    from anmin.core import clock

    today = clock.today()
    tomorrow = today + dt.timedelta(days=1)
    client.force_login(centre)
    form = {"region": world.gc_grid.code, "name": "古城路口", "programme": "township", "place_kind": "crossing",
            "channels": 1, "built_on": (today + dt.timedelta(days=3000)).isoformat()}
    r = client.post("/prevention/cameras/new/", form)
    assert r.status_code == 400  # refused: the form again, its errors at the fields
    assert f"「建成日期」不能晚于今天（{today:%Y-%m-%d}）" in r.content.decode()
    assert not Camera.objects.exists()
    with pytest.raises(Invalid) as err:
        actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township",
                              place_kind="crossing", built_on=tomorrow)
    assert err.value.field == "built_on"
    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township",
                                place_kind="crossing", built_on=today)
    assert cam.built_on == today
    # 计划建成日期 of a planned point is a day ahead, and may be
    point = actions.create_point(actor=centre, region=world.gc_village, name="大北路口", due_on=tomorrow)
    assert point.due_on == tomorrow


def test_a_record_forms_version_is_read_as_the_form_reads_it(client, world, centre):
    """The hidden version is an IntegerField: "1.0" is 1 to the form, but the view took ``int()`` of the
    raw text again and failed (500); what the form refuses is refused at the form (400)."""
    team = actions.create_team(actor=centre, region=world.gc_village, name="古城村巡逻队", kind="village")
    client.force_login(centre)
    url = f"/prevention/teams/{team.pk}/status/"
    r = client.post(url, {"status": "paused", "note": "整训", "version": "abc"})
    assert r.status_code in (200, 400)
    assert "页面数据已过期或不完整，请重新打开本页后再提交" in r.content.decode()  # not "「」须为整数"
    assert client.post(url, {"status": "paused", "note": "整训", "version": "1.0"}).status_code == 302
    team.refresh_from_db()
    assert (team.status, team.version) == ("paused", 2)
    assert client.post(url, {"status": "active", "note": "复训", "version": "1"}).status_code == 409


def test_an_empty_form_value_clears_a_nullable_field_as_the_form_schema_says(client, world, centre):
    """Fuzzing: a PATCH in a form with ``built_on`` empty is taken as null (DRF's reading of a form) —
    the form variant of the schema now says so (``core.schema.EMPTY_FORM_VALUE``)."""
    from datetime import date

    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township",
                                place_kind="crossing", built_on=date(2019, 5, 1))
    client.force_login(centre)
    body = encode_multipart(BOUNDARY, {"built_on": "", "version": cam.version})
    r = client.patch(f"/api/v1/cameras/{cam.pk}/", body, content_type=MULTIPART_CONTENT)
    assert r.status_code == 200, r.content
    assert r.json()["built_on"] is None
    cam.refresh_from_db()
    assert cam.built_on is None


def test_an_empty_form_value_of_an_optional_field_that_takes_no_null_keeps_the_value(client, world, centre):
    """A PATCH in a form with 视频路数 and 点位类型 empty (optional, neither takes null): no value, so the
    camera keeps them, as the form variant says (``core.schema.EMPTY_FORM_ABSENT``); a required 名称
    sent empty is a 400 naming it."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    cam = actions.create_camera(actor=centre, region=world.gc_grid, name="古城路口", programme="township",
                                place_kind="crossing", channels=4)
    client.force_login(centre)
    url = f"/api/v1/cameras/{cam.pk}/"
    r = client.patch(url, encode_multipart(BOUNDARY, {"name": "", "version": cam.version}),
                     content_type=MULTIPART_CONTENT)
    assert r.status_code == 400, r.content
    assert r.json()["field"] == "name"
    body = encode_multipart(BOUNDARY, {"channels": "", "place_kind": "", "address": "古城路与人民路口",
                                       "version": cam.version})
    r = client.patch(url, body, content_type=MULTIPART_CONTENT)
    assert r.status_code == 200, r.content
    assert (r.json()["channels"], r.json()["place_kind"]) == (4, "crossing")
    cam.refresh_from_db()
    assert (cam.channels, cam.place_kind, cam.address) == (4, "crossing", "古城路与人民路口")
