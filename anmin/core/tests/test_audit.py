"""The audit trail: append-only, hash-chained, verifiable, readable by the auditor alone."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anmin.core import audit
from anmin.core.models import AuditEntry, Role
from anmin.core.models.audit import AppendOnlyError
from anmin.core.roles import check_role_permissions, core_grants

from .factories import PASSWORD


def write_entries(world, n: int = 3) -> list[AuditEntry]:
    actor = world.user(Role.TOWNSHIP_CENTER)
    entries = []
    with transaction.atomic():
        for i in range(n):
            entries.append(
                audit.record(
                    actor=actor,
                    action="update",
                    obj=world.gc_village,
                    before={"name": f"旧名{i}"},
                    after={"name": f"新名{i}"},
                    reason="测试",
                )
            )
    return entries


def verify_output() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def raw_sql(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def as_attacker_with_owner_rights():
    """On PostgreSQL the table's owner may switch the append-only trigger off; that is the
    attacker this test simulates. The change is rolled back with the test's transaction."""
    if connection.vendor == "postgresql":
        raw_sql("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")


def test_entries_form_a_chain_and_verify_passes(world):
    entries = write_entries(world)
    assert [e.seq for e in entries] == [entries[0].seq, entries[0].seq + 1, entries[0].seq + 2]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    assert entries[0].object_type == "core.region"
    assert entries[0].object_id == world.gc_village.code
    assert entries[0].region_code == world.gc_village.code
    assert entries[0].actor_org_name == "古城村综治中心" or entries[0].actor_org_name
    report = audit.verify_chain()
    assert report.ok
    assert report.head_seq == entries[-1].seq
    assert "审计链完整" in verify_output()


def test_an_entry_outside_a_transaction_fails_in_a_test_as_it_does_on_the_server(world):
    """The test's own wrapping transaction does not count as the caller's: a path that appends outside
    any transaction (the 扫黑办's tip key unlock did) fails here as it did on the server, with a 500."""
    actor = world.user(Role.CITY_OFFICE)
    with pytest.raises(RuntimeError, match="must run inside"):
        audit.record(actor=actor, action="update", obj=world.gc_village)
    with transaction.atomic():
        entry = audit.record(actor=actor, action="update", obj=world.gc_village)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_batch_appends_its_entries_in_order_at_its_end_and_a_failed_one_appends_none(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    before = AuditEntry.objects.count()
    with transaction.atomic(), audit.batch():
        audit.record(actor=user, action="update", obj=world.gc_village, after={"step": 1})
        audit.record(actor=user, action="update", obj=world.gc_village, after={"step": 2})
        assert AuditEntry.objects.count() == before  # nothing appended (no chain lock) until the end
    first, second = AuditEntry.objects.order_by("-seq")[:2][::-1]
    assert (first.after, second.after) == ({"step": 1}, {"step": 2})
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1

    def failing_action():
        with transaction.atomic(), audit.batch():
            audit.record(actor=user, action="update", obj=world.gc_village, after={"step": 3})
            raise RuntimeError("the action fails")

    with pytest.raises(RuntimeError):
        failing_action()
    assert AuditEntry.objects.count() == before + 2
    assert audit.verify_chain().ok


def test_changing_an_audit_row_in_the_database_makes_verify_fail_naming_it(world):
    entries = write_entries(world)
    target = entries[1]
    as_attacker_with_owner_rights()
    raw_sql("UPDATE core_auditentry SET reason = %s WHERE seq = %s", ["篡改", target.seq])
    with pytest.raises(CommandError) as exc:
        verify_output()
    assert f"第 {target.seq} 条" in str(exc.value)
    assert "被修改" in str(exc.value)
    assert exc.value.returncode == 1


def test_rewriting_a_row_and_its_hash_breaks_the_next_link(world):
    entries = write_entries(world)
    as_attacker_with_owner_rights()
    raw_sql("UPDATE core_auditentry SET hash = %s WHERE seq = %s", ["f" * 64, entries[0].seq])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_seq == entries[0].seq


def test_deleting_an_audit_row_in_the_database_makes_verify_fail_naming_it(world):
    entries = write_entries(world)
    target = entries[1]
    as_attacker_with_owner_rights()
    raw_sql("DELETE FROM core_auditentry WHERE seq = %s", [target.seq])
    with pytest.raises(CommandError) as exc:
        verify_output()
    assert f"第 {target.seq} 条" in str(exc.value)
    assert "缺失" in str(exc.value)


def test_a_cut_off_tail_is_caught_by_an_anchor_kept_elsewhere(world):
    entries = write_entries(world)
    anchor = f"{entries[-1].seq}:{entries[-1].hash}"
    call_command("audit", "verify", "--anchor", anchor, stdout=io.StringIO())
    as_attacker_with_owner_rights()
    raw_sql("DELETE FROM core_auditentry WHERE seq = %s", [entries[-1].seq])
    assert audit.verify_chain().ok  # the chain alone cannot see a missing tail …
    with pytest.raises(CommandError, match="截断"):  # … the anchor can
        call_command("audit", "verify", "--anchor", anchor, stdout=io.StringIO())


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_update_and_delete_of_audit_rows(world):
    entry = write_entries(world, 1)[0]
    for sql in ("UPDATE core_auditentry SET reason = 'x' WHERE seq = %s", "DELETE FROM core_auditentry WHERE seq = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw_sql(sql, [entry.seq])
    assert AuditEntry.objects.get(seq=entry.seq).reason == "测试"


def test_the_orm_refuses_to_change_or_delete_entries(world):
    entry = write_entries(world, 1)[0]
    entry.reason = "改"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=entry.seq).update(reason="改")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_record_must_run_inside_the_actions_transaction():
    with pytest.raises(RuntimeError, match=r"transaction"):
        audit.record(actor=None, action="update", object_type="core.region", object_id="1")


def test_sensitive_values_are_masked(world):
    with transaction.atomic():
        entry = audit.record(
            actor=world.user(Role.TOWNSHIP_CENTER),
            action="update",
            object_type="people.person",
            object_id="7",
            before={"id_number": "411081199001011234", "phone": "13812345678", "name": "张三"},
            after={"password": "Secret@2020", "nested": {"phone": "13912345678"}, "note": "病情"},
            sensitive=("note",),
        )
    entry = AuditEntry.objects.get(seq=entry.seq)
    assert entry.before == {"id_number": "411***********1234", "phone": "138****5678", "name": "张三"}
    assert entry.after["password"] == "******"
    assert entry.after["nested"]["phone"] == "139****5678"
    assert entry.after["note"] == "******"
    assert audit.verify_chain().ok


def test_a_reveal_needs_a_reason_and_is_recorded(world):
    user = world.user(Role.CITY_OFFICE)
    with pytest.raises(ValueError, match="事由"), transaction.atomic():
        audit.record_reveal(actor=user, obj=world.gucheng, fields=["id_number"], reason=" ")
    with transaction.atomic():
        entry = audit.record_reveal(actor=user, obj=world.gucheng, fields=["id_number"], reason="核查线索")
    assert entry.action == "reveal"
    assert entry.reason == "核查线索"
    assert entry.after == {"fields": ["id_number"]}


def test_logins_and_failed_logins_are_recorded(client, world):
    user = world.user(Role.GRID_WORKER)
    client.post(reverse("core:login"), {"username": user.username, "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    client.post(reverse("core:login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    actions = list(
        AuditEntry.objects.filter(actor_username=user.username).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["login_failed", "login"]
    login = AuditEntry.objects.filter(actor_username=user.username, action="login").get()
    assert login.remote_addr == "10.1.1.1"
    assert login.actor_id == user.pk
    assert login.request_id
    assert audit.verify_chain().ok


# SQLite's in-memory test database shares one cache between threads, whose table locks ignore the
# busy timeout; the file database the platform runs on serialises writers with BEGIN IMMEDIATE.
@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(world):
    actor = world.user(Role.TOWNSHIP_CENTER)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                with transaction.atomic():
                    audit.record(actor=actor, action="update", object_type="test.thing", object_id=f"{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert AuditEntry.objects.filter(object_type="test.thing").count() == 20
    report = audit.verify_chain()
    assert report.ok, report


# ---- the auditor's pages ------------------------------------------------------------------


def test_only_the_auditor_role_holds_the_audit_permission(world):
    grants = core_grants().grants
    holders = {code for code, perms in grants.items() if "core.view_auditentry" in perms}
    assert holders == {Role.AUDITOR}
    assert world.user(Role.AUDITOR).has_perm("core.view_auditentry")
    assert not world.user(Role.SYSADMIN).has_perm("core.view_auditentry")
    with pytest.raises(Exception, match="审计员"):
        check_role_permissions(Role.SYSADMIN, ["core.view_auditentry"])


def test_auditor_browses_filters_and_exports_the_log_and_the_export_is_audited(client, world):
    entries = write_entries(world)
    client.force_login(world.user(Role.AUDITOR))
    resp = client.get(reverse("core:audit_list"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert all(e.get_absolute_url() in body for e in entries)
    assert "审计日志" in body
    # Words, not codes: the kind of record and what the platform did by itself.
    assert entries[0].object_type_label != "core.region"
    assert entries[0].object_type_label in body
    with transaction.atomic():
        audit.record(actor=None, actor_username="system", action="import", object_type="disputes.dispute")
    body = client.get(reverse("core:audit_list")).content.decode()
    assert "批量导入" in body
    assert "矛盾纠纷" in body
    assert ">system<" not in body

    detail = client.get(entries[0].get_absolute_url())
    assert detail.status_code == 200
    assert entries[0].hash in detail.content.decode()

    filtered = client.get(reverse("core:audit_list"), {"action": "login"}).content.decode()
    assert entries[0].get_absolute_url() not in filtered
    by_actor = client.get(reverse("core:audit_list"), {"actor": entries[0].actor_username}).content.decode()
    assert entries[0].get_absolute_url() in by_actor
    today = timezone.localdate()
    in_range = client.get(reverse("core:audit_list"), {"date_from": today, "date_to": today}).content.decode()
    assert entries[0].get_absolute_url() in in_range
    tomorrow = today + timedelta(days=1)
    out_of_range = client.get(reverse("core:audit_list"), {"date_from": tomorrow}).content.decode()
    assert entries[0].get_absolute_url() not in out_of_range
    by_type = client.get(reverse("core:audit_list"), {"object_type": "core.region"}).content.decode()
    assert entries[0].get_absolute_url() in by_type

    export = client.get(reverse("core:audit_list"), {"export": "xlsx", "object_type": "core.region"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号"
    assert "哈希" in rows[0]
    assert {r[0] for r in rows[1:]} == {e.seq for e in entries}
    exported = AuditEntry.objects.filter(action="export").get()
    assert exported.actor_username == world.user(Role.AUDITOR).username
    assert exported.object_type == "core.auditentry"
    assert exported.after == {"rows": 3, "filters": {"object_type": "core.region"}}


def test_a_sweep_entry_names_its_cases_and_what_the_sweep_did(client, world):
    numbers = [f"JF2026{n:06d}" for n in range(1, 6)]
    with transaction.atomic():
        audit.record(actor=None, actor_username="system", action="update", object_type="workflow.case",
                     after={"step": "sweep:overdue", "at": "2026-12-07T09:00:00+08:00", "numbers": numbers})
        audit.record(actor=None, actor_username="system", action="update", object_type="workflow.case",
                     after={"step": "sweep:warning", "at": "2026-12-07T09:00:00+08:00", "numbers": numbers[:2]})
    client.force_login(world.user(Role.AUDITOR))
    body = client.get(reverse("core:audit_list")).content.decode()
    assert "JF2026000001、JF2026000002、JF2026000003 等 5 件" in body
    assert "修改：逾期标记" in body
    assert "JF2026000001、JF2026000002<" in body
    assert "修改：临期预警" in body


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.CITY_OFFICE, Role.TOWNSHIP_CENTER, Role.LEADER])
def test_the_audit_log_does_not_exist_for_anyone_but_the_auditor(client, world, role):
    entry = write_entries(world, 1)[0]
    client.force_login(world.user(role))
    assert client.get(reverse("core:audit_list")).status_code == 404
    assert client.get(reverse("core:audit_list"), {"export": "xlsx"}).status_code == 404
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert not AuditEntry.objects.visible_to(world.user(role)).exists()
    menu = client.get(reverse("core:home")).content.decode()
    assert 'data-menu="audit"' not in menu


def test_the_auditor_sees_the_audit_menu(client, world):
    client.force_login(world.user(Role.AUDITOR))
    assert 'data-menu="audit"' in client.get(reverse("core:home")).content.decode()


def test_admin_changes_by_the_sysadmin_are_audited(client, world):
    admin = world.user(Role.SYSADMIN)
    client.force_login(admin)
    org = world.orgs["education"]
    url = reverse("admin:core_orgunit_change", args=[org.pk])
    resp = client.post(
        url,
        {
            "code": org.code,
            "name": "禹州市教育体育局",
            "kind": org.kind,
            "region": org.region_id,
            "parent": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    entry = AuditEntry.objects.filter(action="update", object_type="core.orgunit").get()
    assert entry.actor_username == admin.username
    assert entry.before["name"] == "市教育局"
    assert entry.after["name"] == "禹州市教育体育局"


def test_the_auditors_home_page_summarises_today(client, world):
    write_entries(world, 2)
    client.force_login(world.user(Role.AUDITOR))
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-widget="audit"' in page
    assert "今日登录失败" in page
    client.force_login(world.user(Role.SYSADMIN))
    assert 'data-widget="audit"' not in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize("count", [1, 3, 25])  # 25: over the one-statement append's limit, hashed in Python
def test_entries_of_any_text_chain_and_verify(world, count):
    """On PostgreSQL the chain's hashes are joined by the append's statement from two parts of each
    entry's canonical form: quotes, backslashes, newlines, other scripts, a nested key named like the
    chain's and the marker text itself must hash as ``entry_hash`` computes them in Python."""
    actor = world.user(Role.TOWNSHIP_CENTER)
    awkward = {"prev_hash": "@@prev@@", "seq": 0, "名称": '引号"和\\反斜杠\n换行', "表情": "😀",
               "数": [1.5, None, True]}
    with transaction.atomic(), audit.batch():
        for i in range(count):
            audit.record(actor=actor, action="update", obj=world.gc_village, before=awkward,
                         after={**awkward, "i": i}, reason='事由 "@@prev@@" ,"seq":0}')
    stored = list(AuditEntry.objects.order_by("-seq")[:count])[::-1]
    assert [e.before for e in stored] == [awkward] * count
    for entry in stored:
        assert audit.entry_hash(entry) == entry.hash
    assert audit.verify_chain().ok
