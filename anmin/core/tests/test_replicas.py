"""Read replicas (core/dbrouting.py): which reads may go to a replica, and the pin that keeps a user on
the primary right after their own write. The real replica is in anmin/tests/test_replica_live.py;
here the replica alias is only named (``ANMIN_DB_REPLICAS``) and reported unhealthy, so every query
still reaches the test database while the decisions are observed."""

from __future__ import annotations

import pytest
from django.db import connections, transaction

from anmin.core import dbrouting, tokens
from anmin.core.dbrouting import PIN_COOKIE, ReplicaRouter
from anmin.core.models import OrgUnit, Region, Role, User


@pytest.fixture
def replicas(settings, monkeypatch):
    """One replica named, healthy; ``state`` says which reads the router would send to it."""
    settings.ANMIN_DB_REPLICAS = ["replica1"]
    monkeypatch.setattr(dbrouting, "healthy", lambda alias, now=None: True)
    return settings


def test_without_a_replica_nothing_is_routed_and_nobody_is_pinned(world, client):
    user = world.user(Role.CITY_OFFICE)
    _token, _key = tokens.issue(user=user)
    client.force_login(user)
    assert client.get("/orgs/").status_code == 200
    with dbrouting.replica_reads() as state:
        assert ReplicaRouter().db_for_read(Region) is None
    assert state.chosen == set()
    resp = client.post(f"/me/tokens/{_token.pk}/revoke/")
    assert resp.status_code == 302
    assert PIN_COOKIE not in resp.cookies


def test_the_router_sends_only_eligible_reads_of_business_data_to_a_replica(replicas, db):
    router = ReplicaRouter()
    assert router.db_for_read(Region) is None  # outside a view that asked for it
    with dbrouting.replica_reads():
        assert router.db_for_read(Region) == "replica1"
        assert router.db_for_read(OrgUnit) == "replica1"
        # Who may do what is read from the primary: a revoked token or a changed role counts at once.
        assert router.db_for_read(User) is None
        assert router.db_for_read(User.roles.through) is None
        # Inside a transaction on the primary, reads stay with it.
        with transaction.atomic():
            assert router.db_for_read(Region) is None
        # After a write in the same request, every later read goes to the primary.
        assert router.db_for_write(Region) == "default"
        assert router.db_for_read(Region) is None
    with dbrouting.replica_reads(pinned=True):
        assert router.db_for_read(Region) is None
    assert router.allow_migrate("default", "core") is True
    assert router.allow_migrate("replica1", "core") is False


def test_an_unhealthy_replica_is_not_read_from(settings, monkeypatch, db):
    settings.ANMIN_DB_REPLICAS = ["replica1"]
    monkeypatch.setattr(dbrouting, "healthy", lambda alias, now=None: False)
    with dbrouting.replica_reads() as state:
        assert ReplicaRouter().db_for_read(Region) is None
    assert state.chosen == {"default"}


def test_the_primary_reports_no_lag(db):
    dbrouting.forget_health()
    assert dbrouting.replica_lag("default") == 0
    assert dbrouting.healthy("default") is True
    dbrouting.forget_health()


def test_ledgers_read_from_the_replica_until_the_user_writes_then_the_primary_for_a_few_seconds(
        replicas, world, client, monkeypatch, settings):
    monkeypatch.setattr(ReplicaRouter, "db_for_read", _observe_only)
    settings.ANMIN_REPLICA_PIN_SECONDS = 120  # the pin must outlast the steps below on a busy machine
    user = world.user(Role.CITY_OFFICE)
    token, _key = tokens.issue(user=user)
    client.force_login(user)
    resp = client.get("/orgs/")
    assert resp.status_code == 200
    assert resp.wsgi_request.replica_state.eligible is True
    assert "replica1" in resp.wsgi_request.replica_state.chosen
    # A page that is not a ledger, dashboard, report or KPI reads the primary.
    assert client.get("/me/").wsgi_request.replica_state.eligible is False
    # The user writes: the answer pins them (a cookie for the browser, a cache key for every server).
    resp = client.post(f"/me/tokens/{token.pk}/revoke/")
    assert resp.status_code == 302
    assert resp.cookies[PIN_COOKIE]["max-age"] == 120
    assert client.get("/orgs/").wsgi_request.replica_state.eligible is False
    # The same user on another device (no cookie) is pinned by the cache key; another user is not.
    other_device = type(client)()
    other_device.force_login(user)
    assert other_device.get("/orgs/").wsgi_request.replica_state.eligible is False
    someone_else = type(client)()
    someone_else.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert someone_else.get("/orgs/").wsgi_request.replica_state.eligible is True


def test_a_page_view_that_only_writes_bookkeeping_does_not_pin(replicas, world, client, monkeypatch):
    monkeypatch.setattr(ReplicaRouter, "db_for_read", _observe_only)
    client.force_login(world.user(Role.CITY_OFFICE))
    resp = client.get("/orgs/")  # the session is saved on every request
    assert PIN_COOKIE not in resp.cookies


_decide = ReplicaRouter.db_for_read


def _observe_only(self, model, **hints):
    """The real decision, noted in the request's state, but every query kept on the test database."""
    alias = _decide(self, model, **hints)
    return alias if alias in connections.settings else None


def test_the_kept_reference_tables_are_filled_from_the_primary_in_a_replica_window(replicas, world):
    """A replica seconds behind a rename must not put the old name back into core.references."""
    from anmin.core import references

    with dbrouting.replica_reads() as state:
        found = references.regions([world.gc_grid.code])
        units = references.org_units([world.orgs["gc_center"].pk])
    assert found[world.gc_grid.code].full_name == "古城镇 / 古城村委会 / 第1网格"
    assert units[world.orgs["gc_center"].pk].name == "古城镇综治中心"
    assert "replica1" not in state.chosen
