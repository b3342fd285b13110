"""The pages: 我的待办 with warning/overdue colours, the ledger and its Excel export, a case with
its timeline, a step through the form (and a stale one answered 409), supervision replies."""

from __future__ import annotations

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anmin.core.models import Role
from anmin.workflow import actions
from anmin.workflow.models import Case, Supervision

from .conftest import assigned, open_task, step


def login(client, world, role):
    user = world.user(role)
    client.force_login(user)
    return user


def test_inbox_colours_warning_and_overdue_rows_and_sorts_by_deadline(client, world):
    now = timezone.now()
    late = assigned(world, title="已逾期的事项")
    soon = assigned(world, title="临期的事项")
    calm = assigned(world, title="时间充裕的事项")
    Case.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=1), warn_at=now - timedelta(days=1))
    Case.objects.filter(pk=soon.pk).update(due_at=now + timedelta(hours=2), warn_at=now - timedelta(hours=1))
    Case.objects.filter(pk=calm.pk).update(due_at=now + timedelta(days=3), warn_at=now + timedelta(days=2))
    login(client, world, Role.DEPT_HANDLER)
    html = client.get(reverse("workflow:inbox")).content.decode()
    assert '<tr class="overdue">' in html
    assert '<tr class="warning">' in html
    positions = [html.index(c.get_absolute_url()) for c in (late, soon, calm)]
    assert positions == sorted(positions)


def test_the_org_tab_shows_the_units_work(client, world):
    case = assigned(world, org="gc_police")
    login(client, world, Role.POLICE)
    assert case.get_absolute_url() in client.get(reverse("workflow:inbox"), {"who": "org"}).content.decode()


def test_the_ledger_filters_and_exports_to_excel(client, world):
    ours = open_task(world, title="古城的事项")
    theirs = open_task(world, region=world.wl_grid, title="无梁的事项")
    login(client, world, Role.CITY_OFFICE)
    html = client.get(reverse("workflow:case_list"), {"township": world.gucheng.code}).content.decode()
    assert ours.get_absolute_url() in html
    assert theirs.get_absolute_url() not in html
    resp = client.get(reverse("workflow:case_list"), {"export": "xlsx"})
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(resp.content)).active.values)
    assert rows[0][:3] == ("编号", "标题", "类型")
    assert {r[0] for r in rows[1:]} == {ours.number, theirs.number}


def test_the_city_office_registers_and_hands_out_a_task(client, world):
    login(client, world, Role.CITY_OFFICE)
    assert "登记交办事项" in client.get(reverse("workflow:case_list"), {"new": "1"}).content.decode()
    resp = client.post(reverse("workflow:case_list"), {
        "title": "排查辖区学校周边隐患", "description": "本周内完成", "region": world.gucheng.code,
        "priority": "normal", "target_org": world.orgs["education"].pk,
    })
    case = Case.objects.get(title="排查辖区学校周边隐患")
    assert resp.status_code == 302
    assert resp["Location"] == case.get_absolute_url()
    assert (case.kind, case.status, case.center_org, case.handling_org) == (
        "JB", "in_progress", world.orgs["peace"], world.orgs["education"],
    )


def test_a_grid_worker_cannot_register_tasks(client, world):
    login(client, world, Role.GRID_WORKER)
    assert "登记交办事项" not in client.get(reverse("workflow:case_list"), {"new": "1"}).content.decode()
    assert client.post(reverse("workflow:case_list"), {"title": "x"}).status_code == 404


def test_the_case_page_shows_the_timeline_with_actor_and_time(client, world):
    case = assigned(world)
    login(client, world, Role.TOWNSHIP_CENTER)
    html = client.get(case.get_absolute_url()).content.decode()
    centre = world.user(Role.TOWNSHIP_CENTER)
    for text in ("上报", "受理", "交办", str(centre), "2020-12-01 09:00", "市教育局"):
        assert text in html
    assert 'data-action="transfer"' in html  # the centre may transfer it


def test_a_step_through_the_form(client, world):
    case = assigned(world)
    login(client, world, Role.DEPT_HANDLER)
    url = reverse("workflow:case_act", args=[case.pk])
    form = client.get(url, {"t": "feedback"}).content.decode()
    assert "办理结果" in form
    resp = client.post(url, {"t": "feedback", "version": case.version, "result": ""})
    assert "「办理结果」为必填项" in resp.content.decode()
    resp = client.post(url, {"t": "feedback", "version": case.version, "result": "已完成整改"})
    assert resp.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "feedback"


def test_a_stale_form_answers_409_with_the_newer_state(client, world):
    case = open_task(world)
    login(client, world, Role.TOWNSHIP_CENTER)
    url = reverse("workflow:case_act", args=[case.pk])
    stale = case.version
    step(case, world.user(Role.CITY_OFFICE), "reject", reason="不属于受理范围")
    resp = client.post(url, {"t": "accept", "version": stale})
    assert resp.status_code == 409
    html = resp.content.decode()
    assert "已被他人更新" in html
    assert "不予受理" in html
    assert "版本" not in html


def test_a_stale_version_for_a_step_still_available_answers_409(client, world):
    case = assigned(world)
    login(client, world, Role.DEPT_HANDLER)
    stale = case.version
    step(case, world.user(Role.TOWNSHIP_CENTER), "cohandle", target_org=world.orgs["gc_police"])
    resp = client.post(reverse("workflow:case_act", args=[case.pk]),
                       {"t": "feedback", "version": stale, "result": "已办"})
    assert resp.status_code == 409
    assert "已被他人更新" in resp.content.decode()
    assert f'value="{stale + 1}"' in resp.content.decode()  # the form now carries the newer version


def test_a_stale_step_keeps_what_was_typed(client, world):
    """A conflict re-showed an empty form: the 办理结果 typed (often long) was lost."""
    case = assigned(world)
    login(client, world, Role.DEPT_HANDLER)
    stale = case.version
    step(case, world.user(Role.TOWNSHIP_CENTER), "cohandle", target_org=world.orgs["gc_police"])
    resp = client.post(reverse("workflow:case_act", args=[case.pk]),
                       {"t": "feedback", "version": stale, "result": "已到现场清理占道堆放物三处"})
    assert resp.status_code == 409
    html = resp.content.decode()
    assert "已到现场清理占道堆放物三处" in html
    assert f'value="{stale + 1}"' in html
    assert Case.objects.get(pk=case.pk).status != "feedback"


def test_a_required_reason_is_asked_for_by_name(client, world):
    case = open_task(world)
    login(client, world, Role.TOWNSHIP_CENTER)
    resp = client.post(reverse("workflow:case_act", args=[case.pk]), {"t": "return", "version": case.version})
    assert resp.status_code == 200
    assert "退回原因" in resp.content.decode()
    assert Case.objects.get(pk=case.pk).status == "reported"


def test_supervision_is_signed_and_answered_on_its_page(client, world):
    case = assigned(world)
    notice = actions.issue_supervision(case=case, actor=world.user(Role.CITY_OFFICE), reason="请三日内办结")
    login(client, world, Role.DEPT_HANDLER)
    inbox = client.get(reverse("workflow:inbox")).content.decode()
    assert notice.get_absolute_url() in inbox
    url = notice.get_absolute_url()
    assert client.post(url, {"do": "serve"}).status_code == 302
    assert Supervision.objects.get(pk=notice.pk).served_at is not None
    assert client.post(url, {"do": "reply", "reply": "已落实专人负责"}).status_code == 302
    notice.refresh_from_db()
    assert notice.reply == "已落实专人负责"
    login(client, world, Role.TOWNSHIP_CENTER)
    assert "已落实专人负责" in client.get(url).content.decode()
    ledger = client.get(reverse("workflow:supervision_list")).content.decode()
    assert url in ledger


def test_manual_supervision_through_the_case_page(client, world):
    case = assigned(world)
    login(client, world, Role.TOWNSHIP_CENTER)
    resp = client.post(reverse("workflow:case_act", args=[case.pk]),
                       {"t": "supervise", "version": case.version, "reason": "进度缓慢"})
    assert resp.status_code == 302
    notice = Supervision.objects.get(case=case)
    assert (notice.to_org, notice.centre_org, notice.automatic) == (world.orgs["education"],
                                                                    world.orgs["gc_center"], False)


def test_home_shows_my_todo_counts(client, world):
    assigned(world)
    login(client, world, Role.DEPT_HANDLER)
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-widget="todo"' in html
    assert "我的待办" in html


def test_a_retried_task_form_creates_one_case(client, world):
    login(client, world, Role.CITY_OFFICE)
    form = {"title": "重复提交的交办", "region": world.gucheng.code, "priority": "normal", "idempotency_key": "f-1"}
    first = client.post(reverse("workflow:case_list"), form)
    again = client.post(reverse("workflow:case_list"), form)
    assert first.status_code == again.status_code == 302
    assert Case.objects.filter(title="重复提交的交办").count() == 1


def test_ledger_and_inbox_queries_do_not_grow_with_the_rows(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anmin.core import clock

    login(client, world, Role.TOWNSHIP_CENTER)
    clock.now()  # the business clock reads its shift once a minute, not per row
    for name in ("workflow:case_list", "workflow:inbox"):  # the filter bar's options are then cached
        client.get(reverse(name))
    counts = []
    for n in (2, 12):
        while Case.objects.count() < n:
            open_task(world, region=world.gc_grid2 if Case.objects.count() % 2 else world.gc_grid)
        per_page = []
        for name in ("workflow:case_list", "workflow:inbox"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name)).status_code == 200
            per_page.append(len(ctx.captured_queries))
        counts.append(per_page)
    assert counts[0] == counts[1], counts


def test_extreme_dates_in_the_ledger_filters_are_no_limit_not_an_error(client, world):
    case = open_task(world)
    login(client, world, Role.TOWNSHIP_CENTER)
    for params in ({"opened_to": "9999-12-31"}, {"opened_from": "0001-01-01"}):
        resp = client.get(reverse("workflow:case_list"), params)
        assert resp.status_code == 200
        assert case.number in resp.content.decode()


def test_the_audit_log_names_the_step_the_case_number_and_the_place(client, world):
    case = assigned(world)
    client.force_login(world.user(Role.AUDITOR))
    html = client.get("/audit/", {"object_type": "workflow.case"}).content.decode()
    assert "交办" in html
    assert case.number in html
    assert "古城镇 / 古城村委会 / 第1网格" in html or "第1网格" in html
    assert case.region_id not in html


def test_an_audit_entry_names_the_case_number_the_step_and_the_place_on_its_own_page(client, world):
    from anmin.core.models import AuditEntry

    case = assigned(world)
    notice = actions.issue_supervision(case=case, actor=world.user(Role.CITY_OFFICE), reason="请三日内办结")
    client.force_login(world.user(Role.AUDITOR))
    step = AuditEntry.objects.filter(object_type="workflow.case", action="transition").latest("seq")
    html = client.get(step.get_absolute_url()).content.decode()
    assert "流转：交办" in html
    assert case.number in html
    assert "古城镇 / 古城村委会 / 第1网格" in html
    # A record of the case (the supervision notice) is named by the case's number too, in the ledger.
    entry = AuditEntry.objects.filter(object_type="workflow.supervision", object_id=str(notice.pk)).get()
    assert case.number in client.get(entry.get_absolute_url()).content.decode()
    ledger = client.get("/audit/", {"object_type": "workflow.supervision"}).content.decode()
    assert case.number in ledger


def test_a_status_two_kinds_share_is_offered_once_and_finds_both(client, world):
    """待验收 is a rectification's ``rectified`` and a camera repair's ``repaired``: the picker listed it
    twice (and each entry found only one kind's cases). Once now, finding both; a link or the API
    naming one code still finds that code's cases."""
    import re

    rectified, repaired, pending = (open_task(world, title=t) for t in ("整改待验收", "维修待验收", "待受理的"))
    Case.objects.filter(pk=rectified.pk).update(status="rectified")
    Case.objects.filter(pk=repaired.pk).update(status="repaired")
    login(client, world, Role.CITY_OFFICE)
    for url in (reverse("workflow:case_list"), reverse("workflow:inbox")):
        html = client.get(url).content.decode()
        picker = html[html.index('name="status"'):]
        picker = picker[:picker.index("</select>")]
        assert picker.count(">待验收<") == 1, url
        value = re.search(r'<option value="([^"]*)">待验收<', picker).group(1)
        assert set(value.split(",")) == {"rectified", "repaired"}
    html = client.get(reverse("workflow:case_list"), {"status": value}).content.decode()
    shown = set(re.findall(r"/workflow/cases/(\d+)/", html))
    assert {str(rectified.pk), str(repaired.pk)} <= shown
    assert str(pending.pk) not in shown
    html = client.get(reverse("workflow:case_list"), {"status": "repaired"}).content.decode()
    assert set(re.findall(r"/workflow/cases/(\d+)/", html)) & {str(rectified.pk), str(repaired.pk)} == {
        str(repaired.pk)}
    api = client.get("/api/v1/cases/", {"status": "repaired"}).json()
    assert [c["id"] for c in api["results"]] == [repaired.pk]
