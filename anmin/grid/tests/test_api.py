"""The grid-event API: report (Idempotency-Key, photos), list/detail in scope, steps via the case API."""

from __future__ import annotations

import contextlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from rest_framework.test import APIClient

from anmin.core.models import Role
from anmin.grid.models import GridEvent

from .conftest import jpeg_with_gps


def api(world, role) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(role))
    return client


def body(world, **extra) -> dict:
    return {"region": world.gc_grid.code, "category": "02", "description": "民房电线私拉乱接，存在火灾隐患",
            "latitude": "34.140512", "longitude": "113.490231", **extra}


def test_a_retried_report_with_the_same_idempotency_key_returns_the_first_event(world):
    client = api(world, Role.GRID_WORKER)
    first = client.post("/api/v1/grid-events/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="phone-42")
    assert first.status_code == 201, first.content
    retry = client.post("/api/v1/grid-events/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="phone-42")
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == first.json()["id"]
    assert GridEvent.objects.count() == 1
    data = first.json()
    assert data["number"].startswith("WG-")
    assert data["status"] == "reported"
    assert data["category_label"] == "安全隐患"
    assert data["latitude"] == "34.140512"
    assert data["case_url"] == f"/api/v1/cases/{data['case_id']}/"
    # The same key with a different report is refused, not silently merged.
    other = client.post("/api/v1/grid-events/", body(world, category="04"), format="json",
                        HTTP_IDEMPOTENCY_KEY="phone-42")
    assert other.status_code == 422


def test_photos_are_sent_as_multipart_and_come_back_without_exif(world):
    client = api(world, Role.GRID_WORKER)
    photo = SimpleUploadedFile("IMG.jpg", jpeg_with_gps(), content_type="image/jpeg")
    resp = client.post("/api/v1/grid-events/", {**body(world), "photos": [photo]}, format="multipart")
    assert resp.status_code == 201, resp.content
    photos = resp.json()["photos"]
    assert len(photos) == 1
    served = client.get(photos[0]["file_url"])
    assert served.status_code == 200
    assert not Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()
    listed = client.get("/api/v1/grid-photos/", {"event": resp.json()["id"]}).json()["results"]
    assert [p["id"] for p in listed] == [photos[0]["id"]]
    # Out of scope: absent.
    assert api(world, Role.POLICE).get(photos[0]["file_url"]).status_code == 200  # same township
    other = APIClient()
    other.force_authenticate(world.user("mediator"))
    assert other.get(photos[0]["file_url"]).status_code == 404


def test_bad_input_gets_400_naming_the_field(world):
    client = api(world, Role.GRID_WORKER)
    resp = client.post("/api/v1/grid-events/", body(world, category="77"), format="json")
    assert resp.status_code == 400
    assert resp.json()["errors"]["category"] == ["「事件类别」77 不在网格事件类别表中"]
    resp = client.post("/api/v1/grid-events/", body(world, region=world.gc_grid2.code), format="json")
    assert resp.status_code == 400
    assert resp.json()["field"] == "region"
    resp = client.post("/api/v1/grid-events/", body(world, longitude=None), format="json")
    assert resp.status_code == 400
    assert "longitude" in resp.json()["errors"]
    assert not GridEvent.objects.exists()


def test_reporting_needs_the_permission(world):
    resp = api(world, Role.DEPT_HANDLER).post("/api/v1/grid-events/", body(world), format="json")
    assert resp.status_code == 403
    assert resp.json()["message"] == "您没有上报网格事件的权限"


def test_list_and_detail_are_scoped_and_steps_go_through_the_case_api(world):
    mine = api(world, Role.GRID_WORKER).post("/api/v1/grid-events/", body(world), format="json").json()
    theirs = api(world, Role.CITY_OFFICE).post("/api/v1/grid-events/", body(world, region=world.wl_grid.code),
                                               format="json").json()
    centre = api(world, Role.TOWNSHIP_CENTER)
    assert {r["id"] for r in centre.get("/api/v1/grid-events/").json()["results"]} == {mine["id"]}
    assert centre.get(f"/api/v1/grid-events/{theirs['id']}/").status_code == 404
    assert centre.get("/api/v1/grid-events/", {"category": "02", "is_open": "true"}).json()["count"] == 1
    url = f"/api/v1/cases/{mine['case_id']}/transition/"
    resp = centre.post(url, {"transition": "accept", "version": mine["case_version"]}, format="json")
    assert resp.status_code == 200, resp.content
    resp = centre.post(url, {"transition": "assign", "version": resp.json()["version"],
                             "target_org": world.orgs["gc_police"].pk}, format="json")
    assert resp.status_code == 200, resp.content
    detail = centre.get(f"/api/v1/grid-events/{mine['id']}/").json()
    assert (detail["status"], detail["handling_org"]) == ("in_progress", world.orgs["gc_police"].pk)
    # The police station now sees it; a stale version gets 409.
    assert api(world, Role.POLICE).get(f"/api/v1/grid-events/{mine['id']}/").status_code == 200
    stale = centre.post(url, {"transition": "transfer", "version": mine["case_version"], "reason": "x",
                              "target_org": world.orgs["gc_v_center"].pk}, format="json")
    assert stale.status_code == 409


def test_a_grid_worker_walks_the_list_by_cursor_without_repeats_or_gaps(world, monkeypatch):
    from anmin.core.paging import LedgerPaginator

    worker = api(world, Role.GRID_WORKER)
    ids = [worker.post("/api/v1/grid-events/", body(world, description=f"第{i}处垃圾堆放"), format="json").json()["id"]
           for i in range(5)]
    first = worker.get("/api/v1/grid-events/", {"cursor": "", "page_size": 2}).json()
    assert (first["count"], first["count_exact"], first["previous"]) == (5, True, None)
    seen, page = [r["id"] for r in first["results"]], first
    # An event reported meanwhile does not shift the walk: it is newer than the cursor.
    worker.post("/api/v1/grid-events/", body(world, description="翻页途中新上报"), format="json")
    while page["next"]:
        page = worker.get(page["next"]).json()
        seen += [r["id"] for r in page["results"]]
    assert seen == sorted(ids, reverse=True)  # newest first, each once
    # Page numbers still work, and a bad cursor is a 400 naming it.
    assert worker.get("/api/v1/grid-events/", {"page": 2, "page_size": 2}).json()["count"] == 6
    bad = worker.get("/api/v1/grid-events/", {"cursor": "not-a-cursor"})
    assert bad.status_code == 400
    assert "cursor" in bad.json()["errors"]
    forged = worker.get("/api/v1/grid-events/", {"cursor": "WyJub3QgYSBkYXRlIiwxXQ"})  # ["not a date",1]
    assert forged.status_code == 400
    # A narrow scope is counted exactly; a wide one (here: every scope) beyond the exact limit says
    # its count is an estimate (on PostgreSQL; SQLite counts exactly).
    monkeypatch.setattr(LedgerPaginator, "exact_limit", 2)
    assert worker.get("/api/v1/grid-events/").json()["count"] == 6
    monkeypatch.setattr("anmin.workflow.kit.api.NARROW_ROWS", -1)
    data = worker.get("/api/v1/grid-events/", {"page_size": 2}).json()  # (the last page knows its total)
    assert data["count_exact"] is (connection.vendor != "postgresql")
    assert data["count"] >= 3
    assert len(data["results"]) == 2


def test_a_list_sorts_a_small_scope_and_walks_a_wide_one():
    """A grid worker's list is read by its scope and sorted; a township's (1/26 of the city) walks
    the table newest first: sorted, a small township's list hashed every grid event (290 ms against
    1 ms measured at 870,000 events)."""
    from anmin.workflow.kit.api import NARROW_ROWS, SMALL_ROWS, sorting_is_cheaper

    city = 870_000
    assert sorting_is_cheaper(3_000, city, 51)  # a grid worker with a few years of events
    assert not sorting_is_cheaper(17_500, city, 51)  # a small township
    assert not sorting_is_cheaper(NARROW_ROWS + 1, 10 * NARROW_ROWS * NARROW_ROWS, 51)  # never above the limit
    assert sorting_is_cheaper(SMALL_ROWS, SMALL_ROWS, 51)  # small: sorted and counted exactly
    assert not sorting_is_cheaper(7_000, city, 51)
    assert sorting_is_cheaper(7_000, city, 1001)  # a page of 1,000 would walk 124,000 rows


def test_a_report_takes_no_savepoint_of_its_own_and_a_failure_leaves_nothing(world, monkeypatch):
    """The report's blocks (the action's, the case engine's) run inside the key's transaction without
    savepoints of their own (core.txn); a failure after the case was written still leaves no case, no
    event and no key, and the retry with the same key reports once."""
    from django.test.utils import CaptureQueriesContext

    from anmin.core.errors import invalid
    from anmin.workflow.models import Case

    client = api(world, Role.GRID_WORKER)
    cases = Case.objects.count()

    def refuse(*args, **kwargs):
        raise invalid("photos", "「现场照片」存储失败")

    monkeypatch.setattr("anmin.grid.actions.attach", refuse)
    failed = client.post("/api/v1/grid-events/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="phone-7")
    assert failed.status_code == 400, failed.content
    assert failed.json()["field"] == "photos"
    assert Case.objects.count() == cases
    assert GridEvent.objects.count() == 0

    monkeypatch.undo()
    retry = client.post("/api/v1/grid-events/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="phone-7")
    assert retry.status_code == 201, retry.content
    assert "Idempotent-Replayed" not in retry
    assert Case.objects.count() == cases + 1
    assert GridEvent.objects.count() == 1

    def savepoints(key: str) -> int:  # Django's own are named "s<thread>_x<n>"
        with CaptureQueriesContext(connection) as statements:
            assert client.post("/api/v1/grid-events/", body(world), format="json",
                               HTTP_IDEMPOTENCY_KEY=key).status_code == 201
        return sum(q["sql"].startswith('SAVEPOINT "s') for q in statements.captured_queries)

    whole = savepoints("phone-8")
    monkeypatch.setattr("anmin.core.txn.whole", contextlib.nullcontext)
    # The action's block and the case engine's each took one before.
    assert savepoints("phone-9") == whole + 2


def test_an_empty_form_value_of_an_optional_choice_is_no_value_as_the_form_schema_says(world):
    """A form that sends 紧急程度 and 来源 empty (``priority=&source=``) reports with their defaults, the
    form variant saying so (``core.schema.EMPTY_FORM_ABSENT``); an empty 类别, which is required, is a
    400 naming it — never a 500."""
    client = api(world, Role.GRID_WORKER)
    resp = client.post("/api/v1/grid-events/", body(world, priority="", source=""), format="multipart")
    assert resp.status_code == 201, resp.content
    event = GridEvent.objects.get(pk=resp.json()["id"])
    assert (event.case.priority, event.source) == ("normal", "patrol")
    resp = client.post("/api/v1/grid-events/", body(world, category=""), format="multipart")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == "category"
    assert GridEvent.objects.count() == 1


def test_a_report_without_photos_may_come_urlencoded_as_the_schema_declares(world):
    from django.utils.http import urlencode

    client = api(world, Role.GRID_WORKER)
    resp = client.post("/api/v1/grid-events/", urlencode(body(world, priority="urgent", gps_accuracy="")),
                       content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 201, resp.content
    assert resp.json()["photos"] == []
    event = GridEvent.objects.get(pk=resp.json()["id"])
    assert (event.case.priority, event.gps_accuracy) == ("urgent", None)
