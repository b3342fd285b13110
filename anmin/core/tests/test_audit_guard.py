"""The audit log against wiping: TRUNCATE is refused (PostgreSQL), an empty log fails ``verify``
unless told it is new, daily anchors outside the database catch a cut tail, and ``check --deploy``
warns about a role that could switch the guards off."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from anmin.core import audit, audit_anchors

from .test_audit import as_attacker_with_owner_rights, raw_sql, write_entries


def verify(*args) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncate_of_the_audit_log_is_refused(world):
    write_entries(world)
    with transaction.atomic():
        # (the test database switches the guard off for Django's flush; here it is on, as in production)
        raw_sql("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_no_truncate")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw_sql("TRUNCATE core_auditentry")
        transaction.set_rollback(True)
    assert audit.verify_chain().checked == 3


def test_verify_fails_on_an_empty_log_unless_told_it_is_new(db):
    with pytest.raises(CommandError, match="审计日志为空") as exc:
        verify()
    assert exc.value.returncode == 1
    assert "新安装" in verify("--new")


def test_anchors_outside_the_database_catch_a_cut_tail(world, tmp_path, settings):
    path = tmp_path / "anchors" / "audit.txt"
    settings.ANMIN_AUDIT_ANCHOR_FILE = str(path)
    write_entries(world, 3)
    assert audit_anchors.anchor_due()
    from anmin.core.tasks import audit_anchor_task

    assert audit_anchor_task.call()["written"].endswith(f"3:{audit_anchors.head()[1]}")
    assert not audit_anchors.anchor_due()  # once a day
    assert audit_anchor_task.call() == {"written": None}
    write_entries(world, 2)
    call_command("audit", "anchor", stdout=io.StringIO())  # by hand: the head is now 5
    assert [seq for _at, seq, _h in audit_anchors.read_anchors(path)] == [3, 5]
    assert "核对锚点 2 个" in verify("--anchor-file", str(path))
    # Someone with the owner's rights cuts the last two entries off the end: the chain alone is
    # still intact, the anchor file is not.
    as_attacker_with_owner_rights()
    raw_sql("DELETE FROM core_auditentry WHERE seq > 3")
    assert audit.verify_chain().ok
    with pytest.raises(CommandError, match="锚点序号 5 不存在"):
        verify("--anchor-file", str(path))


def test_an_anchor_can_be_piped_to_a_command(world, tmp_path):
    write_entries(world, 1)
    sink = tmp_path / "sink.txt"
    call_command("audit", "anchor", "--command", f"tee {sink}", stdout=io.StringIO())
    assert sink.read_text().strip().endswith(f"1:{audit_anchors.head()[1]}")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_check_deploy_warns_when_the_app_connects_as_superuser_or_owner(db):
    from anmin.core.deploy_checks import check_database_role

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
    ids = {w.id for w in check_database_role()}
    # The test suite connects as the cluster's superuser, which owns the tables it created.
    assert superuser
    assert ids == {"anmin.deploy.W101", "anmin.deploy.W102"}

