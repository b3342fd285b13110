"""Console commands a new installation runs: setup, createadmin."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from anmin.core.models import Role, User
from anmin.core.regions_io import load_regions


def test_setup_then_createadmin_makes_a_sysadmin_who_must_change_the_password(db, monkeypatch):
    call_command("setup", stdout=io.StringIO())
    load_regions()
    monkeypatch.setattr("sys.stdin", io.StringIO("Qx7#mountain-River\n"))
    call_command("createadmin", "ops", "--password-stdin", stdout=io.StringIO())
    user = User.objects.get(username="ops")
    assert user.has_role(Role.SYSADMIN)
    assert user.must_change_password
    assert user.check_password("Qx7#mountain-River")
    assert user.org_unit.region.code == "411081000000"
    from anmin.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_type="core.user", object_id=str(user.pk), action="create").exists()


def test_createadmin_refuses_a_weak_password_and_creates_nothing(db, monkeypatch):
    call_command("setup", stdout=io.StringIO())
    load_regions()
    monkeypatch.setattr("sys.stdin", io.StringIO("12345678\n"))
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("createadmin", "ops", "--password-stdin", stdout=io.StringIO())
    assert not User.objects.filter(username="ops").exists()


def test_createadmin_needs_the_regions_first(db):
    call_command("setup", stdout=io.StringIO())
    with pytest.raises(CommandError, match="尚未导入行政区划"):
        call_command("createadmin", "ops", "--password-stdin", stdout=io.StringIO())
