"""The grid pages: report form (idempotent), ledger with filters and export, detail, photos, scoping."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from anmin.core.models import AuditEntry, Role
from anmin.grid import actions
from anmin.grid.models import GridEvent
from anmin.workflow import actions as case_actions

from .conftest import jpeg_with_gps

TZ = ZoneInfo("Asia/Shanghai")


def login(client, world, role):
    client.force_login(world.user(role))
    return client


def make(world, role=Role.GRID_WORKER, **kwargs) -> GridEvent:
    kwargs.setdefault("region", world.gc_grid)
    kwargs.setdefault("category", "04")
    kwargs.setdefault("description", "村道垃圾堆放")
    return actions.report_event(actor=world.user(role), **kwargs)


def dispatch(world, event, org="gc_police", now=None) -> None:
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = case_actions.transition_case(case=event.case, actor=centre, transition="accept",
                                        expected_version=event.case.version, now=now)
    case_actions.transition_case(case=case, actor=centre, transition="assign", expected_version=case.version,
                                 target_org=world.orgs[org], now=now)


def form_data(world, **extra):
    return {"region": world.gc_grid.code, "category": "01", "description": "村口路灯损坏，夜间存在治安隐患",
            "priority": "normal", "source": "patrol", "idempotency_key": "k-0001", **extra}


def test_the_report_form_offers_a_grid_worker_only_their_grid(client, world):
    resp = login(client, world, Role.GRID_WORKER).get("/grid/report/")
    assert resp.status_code == 200
    form = resp.context["form"]
    assert list(form.fields["region"].queryset) == [world.gc_grid]
    assert form.initial.get("region") == world.gc_grid.pk or form.fields["region"].initial == world.gc_grid.pk
    assert resp.context["idempotency_key"]
    assert "上报网格事件" in resp.content.decode()


def test_a_grid_worker_reports_with_a_photo_and_is_taken_to_the_event(client, world):
    login(client, world, Role.GRID_WORKER)
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(320, 240), content_type="image/jpeg")
    resp = client.post("/grid/report/", form_data(world, photos=[photo]))
    event = GridEvent.objects.get()
    assert resp.status_code == 302
    assert resp["Location"] == event.get_absolute_url()
    page = client.get(resp["Location"]).content.decode()
    assert event.case.number in page
    assert "治安隐患" in page
    photo_url = event.photos.get().get_absolute_url()
    assert photo_url in page
    served = client.get(photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["Cache-Control"].startswith("private")
    # its own policy: the browser's image view may style itself (fitted to a phone), nothing else runs
    assert served["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert not image.getexif()


def test_a_retried_report_with_the_same_idempotency_key_creates_one_event(client, world):
    login(client, world, Role.GRID_WORKER)
    first = client.post("/grid/report/", form_data(world))
    retry = client.post("/grid/report/", form_data(world))
    assert GridEvent.objects.count() == 1
    assert retry.status_code == 302
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    # A new form (new key) is a new event.
    client.post("/grid/report/", form_data(world, idempotency_key="k-0002"))
    assert GridEvent.objects.count() == 2


def test_form_errors_are_chinese_and_name_the_field(client, world):
    login(client, world, Role.GRID_WORKER)
    resp = client.post("/grid/report/", form_data(world, description="", latitude="34.1"))
    assert resp.status_code == 400  # refused: the form again, its errors at the fields
    form = resp.context["form"]
    assert form.errors["description"] == ["「情况描述」为必填项"]
    resp = client.post("/grid/report/", form_data(world, latitude="34.1", idempotency_key="k-2"))
    assert resp.context["form"].errors["longitude"] == ["「经度」和「纬度」须同时填写，或都不填"]
    resp = client.post("/grid/report/", form_data(world, region=world.gc_grid2.code, idempotency_key="k-3"))
    assert "region" in resp.context["form"].errors
    bad = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    resp = client.post("/grid/report/", form_data(world, photos=[bad], idempotency_key="k-4"))
    assert "第1张照片" in resp.context["form"].errors["photos"][0]
    assert not GridEvent.objects.exists()


def test_a_refused_report_says_the_photo_must_be_chosen_again(client, world):
    """A browser never refills a file input: the photo taken on site was gone without a word after a
    refusal, and the corrected report went in without it. The photo field now says so, in red."""
    login(client, world, Role.GRID_WORKER)
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    resp = client.post("/grid/report/", form_data(world, category="", photos=[photo]))
    assert resp.status_code == 400
    errors = resp.context["form"].errors
    assert errors["category"] == ["「事件类别」为必填项"]
    assert errors["photos"] == ["所选的「现场照片」没有保存，改正后请重新选择"]
    assert "所选的「现场照片」没有保存" in resp.content.decode()
    # refused by the action after the form was valid (another grid): the same word
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    resp = client.post("/grid/report/", form_data(world, region=world.gc_grid2.code, photos=[photo],
                                                   idempotency_key="k-2"))
    assert resp.status_code == 400
    assert resp.context["form"].errors["photos"] == ["所选的「现场照片」没有保存，改正后请重新选择"]
    # no photo chosen: nothing to say about photos
    resp = client.post("/grid/report/", form_data(world, category="", idempotency_key="k-3"))
    assert "photos" not in resp.context["form"].errors
    assert not GridEvent.objects.exists()


def test_the_report_page_does_not_exist_for_roles_that_cannot_report(client, world):
    for role in (Role.DEPT_HANDLER, Role.LEADER, Role.POLICE, Role.SYSADMIN):
        assert login(client, world, role).get("/grid/report/").status_code == 404
        assert client.post("/grid/report/", form_data(world)).status_code == 404
    assert not GridEvent.objects.exists()


def test_the_ledger_filters_by_place_category_status_time_limit_and_date(client, world):
    now = datetime.now(TZ)
    trash = make(world)
    light = make(world, category="06", description="路灯不亮")
    other_village = make(world, Role.TOWNSHIP_CENTER, region=world.gc_village2, category="06",
                         description="井盖缺失")
    old = make(world, description="去年的事件", now=now - timedelta(days=20), found_at=now - timedelta(days=20))
    dispatch(world, old, now=now - timedelta(days=20))  # handed out 20 days ago: long overdue
    login(client, world, Role.TOWNSHIP_CENTER)

    def listed(**params):
        resp = client.get("/grid/", {**params, "per_page": 100})
        assert resp.status_code == 200
        return {obj.pk for obj, _cells in resp.context["table"].cells()}

    assert listed() == {trash.pk, light.pk, other_village.pk, old.pk}
    assert listed(category="06") == {light.pk, other_village.pk}
    assert listed(village=world.gc_village2.code) == {other_village.pk}
    assert listed(township=world.gucheng.code) == {trash.pk, light.pk, other_village.pk, old.pk}
    assert listed(status="in_progress") == {old.pk}
    assert listed(sla="overdue") == {old.pk}
    assert listed(reported_from=(now - timedelta(days=1)).date().isoformat()) == {trash.pk, light.pk,
                                                                                  other_village.pk}
    assert listed(reported_to=(now - timedelta(days=10)).date().isoformat()) == {old.pk}
    assert listed(q=light.case.number) == {light.pk}
    page = client.get("/grid/").content.decode()
    assert 'class="overdue"' in page  # the overdue row is coloured


def test_the_ledger_exports_to_excel_with_chinese_headers_and_masked_phones(client, world):
    make(world, resident_name="李桂兰", resident_phone="13912345678", source="resident")
    make(world, category="06", description="路灯不亮")
    login(client, world, Role.TOWNSHIP_CENTER)
    resp = client.get("/grid/", {"export": "xlsx", "category": "04"})
    assert resp.status_code == 200
    content = b"".join(resp.streaming_content) if resp.streaming else resp.content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.values)
    # The ledger's own columns (the file imports again), whatever the size of the export.
    header = [str(h).rstrip("*") for h in rows[0]]
    assert header[:2] == ["编号", "乡镇(街道)"]
    assert len(rows) == 2
    row = dict(zip(header, rows[1], strict=False))
    assert row["反映群众姓名"] == "李桂兰"
    assert row["反映群众联系电话"] == "139****5678"
    assert "13912345678" not in str(rows[1])
    assert AuditEntry.objects.filter(action="export", object_type="grid.gridevent").exists()


def test_a_grid_worker_sees_their_grid_and_a_neighbour_township_sees_nothing(client, world):
    mine = make(world)
    next_grid = make(world, Role.TOWNSHIP_CENTER, region=world.gc_grid2)
    elsewhere = make(world, Role.CITY_OFFICE, region=world.wl_grid, photos=[
        SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")])
    login(client, world, Role.GRID_WORKER)
    ids = {obj.pk for obj, _ in client.get("/grid/").context["table"].cells()}
    assert ids == {mine.pk}
    assert client.get(next_grid.get_absolute_url()).status_code == 404
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    assert client.get(elsewhere.photos.get().get_absolute_url()).status_code == 404
    login(client, world, Role.TOWNSHIP_CENTER)
    assert client.get(elsewhere.photos.get().get_absolute_url()).status_code == 404
    login(client, world, Role.CITY_OFFICE)
    assert client.get(elsewhere.photos.get().get_absolute_url()).status_code == 200


def test_a_department_sees_an_event_once_it_is_handed_to_it(client, world):
    event = make(world)
    login(client, world, Role.DEPT_HANDLER)
    assert client.get(event.get_absolute_url()).status_code == 404
    dispatch(world, event, org="education")
    assert client.get(event.get_absolute_url()).status_code == 200
    assert {obj.pk for obj, _ in client.get("/grid/").context["table"].cells()} == {event.pk}


def test_the_detail_page_shows_the_steps_and_the_timeline(client, world):
    event = make(world)
    login(client, world, Role.TOWNSHIP_CENTER)
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'/workflow/cases/{event.case.pk}/act/?t=accept' in page
    dispatch(world, event)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "交办" in page
    assert "古城派出所" in page
    assert 'data-action="assign"' in page
    assert "处置中" in page
    # The case page links back to the event.
    case_page = client.get(event.case.get_absolute_url()).content.decode()
    assert event.get_absolute_url() in case_page


def test_the_event_scope_is_exactly_the_case_scope_for_every_role(world):
    """GridEvent.visible_to is written on the joined case for speed; it must show the same rows."""
    from anmin.core.tests.test_authz_matrix import all_roles
    from anmin.workflow.models import Case

    events = [make(world, Role.CITY_OFFICE, region=r) for r in (world.gc_grid, world.gc_grid2, world.wl_grid,
                                                                 world.gucheng, world.city)]
    city = world.user(Role.CITY_OFFICE)
    case = case_actions.transition_case(case=events[2].case, actor=city, transition="accept",
                                        expected_version=events[2].case.version)
    case = case_actions.transition_case(case=case, actor=city, transition="assign", expected_version=case.version,
                                        target_org=world.orgs["education"])
    case = case_actions.transition_case(case=events[4].case, actor=city, transition="accept",
                                        expected_version=events[4].case.version)
    case = case_actions.transition_case(case=case, actor=city, transition="assign", expected_version=case.version,
                                        target_org=world.orgs["gc_mediation"])
    case_actions.transition_case(case=case, actor=city, transition="cohandle", expected_version=case.version,
                                 target_org=world.orgs["gc_police"])
    for role in all_roles():
        user = world.user(role)
        via_events = set(GridEvent.objects.visible_to(user).values_list("case_id", flat=True))
        via_cases = set(Case.objects.visible_to(user).of_kind("WG").values_list("pk", flat=True))
        assert via_events == via_cases, role
    assert GridEvent.objects.visible_to(world.user(Role.POLICE)).filter(pk=events[4].pk).exists()  # 协办
    assert GridEvent.objects.visible_to(world.user(Role.DEPT_HANDLER)).get() == events[2]


def test_a_long_ledger_counts_exactly_up_to_the_limit_and_estimates_beyond(client, world, monkeypatch):
    from django.db import connection

    from anmin.core.views.base import LedgerPaginator

    for n in range(12):
        make(world, description=f"事件{n}")
    login(client, world, Role.TOWNSHIP_CENTER)
    assert client.get("/grid/", {"per_page": 10}).context["total"] == 12
    monkeypatch.setattr(LedgerPaginator, "exact_limit", 2)
    first = client.get("/grid/", {"per_page": 10}).context
    assert len(first["page_obj"].object_list) == 10
    assert first["page_obj"].has_next()
    if connection.vendor == "postgresql" and LedgerPaginator.estimate_beyond_limit:
        assert str(first["total"]).startswith("约")  # beyond the limit the planner's estimate, marked
    else:
        assert first["total"] == 12
    # The last page is never cut short by an estimate, and there the total is known again.
    last = client.get("/grid/", {"per_page": 10, "page": 2}).context
    assert len(last["page_obj"].object_list) == 2
    assert last["total"] == 12
    assert not last["page_obj"].has_next()
    # A page past the end shows records rather than failing.
    assert client.get("/grid/", {"per_page": 10, "page": 9}).context["page_obj"].object_list


def test_the_ledger_total_is_kept_between_views_and_moves_at_once_after_a_write(client, world):
    """The total is counted once and kept for the viewer's scope; a report in the township moves it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        make(world, description=f"事件{n}")
    login(client, world, Role.TOWNSHIP_CENTER)
    assert client.get("/grid/").context["total"] == 3
    with CaptureQueriesContext(connection) as again:
        assert client.get("/grid/", {"page": 1}).context["total"] == 3
    counts = [q for q in again.captured_queries if "COUNT(" in q["sql"].upper() and "grid_gridevent" in q["sql"]]
    assert not counts  # not counted again
    make(world, description="又一件")
    assert client.get("/grid/").context["total"] == 4


def test_an_estimated_total_is_not_counted_again_on_every_write(client, world, monkeypatch):
    """Beyond the exact limit the total is an estimate ("约"), kept a minute whatever is reported meanwhile
    (grid workers report all day: a township's total was counted again on nearly every view); an exact
    total moves at once (the test above)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anmin.core.views.base import LedgerPaginator

    for n in range(12):
        make(world, description=f"事件{n}")
    login(client, world, Role.TOWNSHIP_CENTER)
    monkeypatch.setattr(LedgerPaginator, "exact_limit", 2)
    estimated = connection.vendor == "postgresql" and LedgerPaginator.estimate_beyond_limit
    assert str(client.get("/grid/", {"per_page": 10}).context["total"]).startswith("约") == estimated
    make(world, description="又一件")
    with CaptureQueriesContext(connection) as again:
        total = client.get("/grid/", {"per_page": 10}).context["total"]
    counts = [q for q in again.captured_queries if "COUNT(" in q["sql"].upper() and "grid_gridevent" in q["sql"]]
    if estimated:
        assert str(total).startswith("约")
        assert not counts
    else:
        assert total == 13


def test_a_ledger_the_planner_puts_far_beyond_the_limit_is_not_counted(client, world, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anmin.core.views.base import LedgerPaginator

    for n in range(12):
        make(world, description=f"事件{n}")
    login(client, world, Role.TOWNSHIP_CENTER)
    monkeypatch.setattr(LedgerPaginator, "exact_limit", 2)
    monkeypatch.setattr(LedgerPaginator, "trust_estimate_over", 0)
    with CaptureQueriesContext(connection) as queries:
        ctx = client.get("/grid/", {"per_page": 10}).context
    counts = [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "grid_gridevent" in q["sql"]]
    assert len(ctx["page_obj"].object_list) == 10
    if connection.vendor == "postgresql":
        assert str(ctx["total"]).startswith("约")
        assert not counts
    else:  # SQLite counts exactly
        assert ctx["total"] == 12


def test_a_city_user_picks_a_township_before_its_villages(client, world):
    login(client, world, Role.CITY_OFFICE)
    assert not list(client.get("/grid/").context["filterset"].form.fields["village"].queryset)
    villages = client.get("/grid/", {"township": world.gucheng.code}).context["filterset"].form.fields["village"]
    assert set(villages.queryset) == {world.gc_village, world.gc_village2}
    login(client, world, Role.TOWNSHIP_CENTER)
    villages = client.get("/grid/").context["filterset"].form.fields["village"]
    assert set(villages.queryset) == {world.gc_village, world.gc_village2}


def test_with_estimated_counts_on_no_page_is_cut_short_by_a_low_estimate(client, world, monkeypatch):
    """The estimate path, switched on: whatever the planner guesses, pages hold their rows, the next
    page is known from the rows, and the last page knows the exact total."""
    from anmin.core.views.base import LedgerPaginator

    for n in range(23):
        make(world, description=f"事件{n}")
    login(client, world, Role.TOWNSHIP_CENTER)
    monkeypatch.setattr(LedgerPaginator, "estimate_beyond_limit", True)
    monkeypatch.setattr(LedgerPaginator, "exact_limit", 2)
    seen = []
    for number in (1, 2, 3):
        ctx = client.get("/grid/", {"per_page": 10, "page": number}).context
        seen += [obj.pk for obj in ctx["page_obj"].object_list]
        assert ctx["page_obj"].has_next() == (number < 3)
    assert len(seen) == len(set(seen)) == 23
    assert ctx["total"] == 23


def test_in_english_the_ledger_and_event_show_translated_states_but_the_case_keeps_chinese(client, world):
    from django.conf import settings

    login(client, world, Role.GRID_WORKER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    resp = client.post("/grid/report/", form_data(world, source="resident"))
    assert resp.status_code == 302
    event = GridEvent.objects.get()
    assert event.case.source == "群众反映"  # stored in Chinese, whoever reported in which language
    assert event.case.events.get().label == "上报"
    login(client, world, Role.TOWNSHIP_CENTER)
    ledger = client.get("/grid/").content.decode()
    assert "Awaiting acceptance" in ledger
    assert "待受理" not in ledger
    dispatch(world, event)
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<strong data-status="in_progress">In progress</strong>' in page
    assert "Assign" in page
    for chinese in ("处置中", "待分拨"):
        assert chinese not in page


def test_a_kept_total_that_lags_hides_no_row_and_corrects_itself(client, world, monkeypatch):
    """A total kept from an earlier view can lag a write that moves no generation of the viewer's scope
    (a case elsewhere assigned to them): the page still shows every row, and the total follows it."""
    from anmin.core import scopecache

    for n in range(3):
        make(world, description=f"事件{n}")
    login(client, world, Role.TOWNSHIP_CENTER)
    assert client.get("/grid/").context["total"] == 3
    monkeypatch.setattr(scopecache, "bump", lambda *a, **k: None)  # this write moves nothing
    make(world, description="未计入的一件")
    ctx = client.get("/grid/").context
    assert len(ctx["page_obj"].object_list) == 4
    assert ctx["total"] == 4


def test_a_ledgers_case_number_and_moments_keep_to_one_line(client, world):
    """On a desktop the number broke as "WG-2020-" above "017884" and a moment as its date above its time."""
    event = make(world)
    dispatch(world, event)
    html = login(client, world, Role.TOWNSHIP_CENTER).get("/grid/").content.decode()
    assert f'<td data-label="编号" class="nowrap"><a href="{event.get_absolute_url()}">{event.case.number}</a>' in html
    assert html.count('<td data-label="上报时间" class="nowrap">') == 1
    assert html.count('<td data-label="办理期限" class="nowrap">') == 1
    assert '<td data-label="事件描述">' in html or '<td data-label="事件标题"><a' in html  # the rest may wrap
    css = client.get("/static/anmin/anmin.css").getvalue().decode()
    assert ".ledger td.nowrap { white-space: nowrap; }" in css
