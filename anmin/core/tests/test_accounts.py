"""账号管理: a township centre manages its own grid workers' and village staff's accounts, the city
office everyone's; nobody touches an account outside their area or grants a role above their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anmin.core import actions
from anmin.core.errors import Forbidden, Invalid, NotFound
from anmin.core.models import AuditEntry, Role, User
from anmin.core.models.orgs import OrgKind
from anmin.core.tests.factories import PASSWORD, make_org, make_user


def role(code: str) -> Role:
    return Role.objects.get(code=code)


@pytest.fixture
def gc_centre(world):
    return world.user(Role.TOWNSHIP_CENTER)


@pytest.fixture
def wl_worker(world):
    return make_user(Role.GRID_WORKER, world.orgs["wl_v_center"], grids=[world.wl_grid], username="wl-grid")


def test_the_township_centre_creates_a_grid_worker_who_must_change_the_password(client, world, gc_centre):
    client.force_login(gc_centre)
    resp = client.post(reverse("core:account_create"), {
        "username": "gc-new", "name": "新网格员", "org_unit": world.orgs["gc_v_center"].pk,
        "roles": [role(Role.GRID_WORKER).pk], "grids": [world.gc_grid2.pk]})
    assert resp.status_code == 200
    assert resp["Cache-Control"] == "no-store"
    html = resp.content.decode()
    new = User.objects.get(username="gc-new")
    assert new.must_change_password
    assert new.is_active
    assert list(new.grids.all()) == [world.gc_grid2]
    password = html.split("data-initial-password>")[1].split("<")[0]
    assert new.check_password(password)
    entry = AuditEntry.objects.filter(action="create", object_type="core.user").latest("seq")
    assert entry.actor_username == gc_centre.username
    assert password not in str(entry.after)
    assert entry.region_label.endswith("古城村委会")

    # The new worker logs in with it and is sent to change it first.
    client.logout()
    client.post(reverse("core:login"), {"username": "gc-new", "password": password})
    assert client.get("/").url.startswith(reverse("core:password_change"))


def test_the_list_shows_only_the_township_centres_own_staff(client, world, gc_centre, wl_worker):
    client.force_login(gc_centre)
    html = client.get(reverse("core:account_list")).content.decode()
    assert world.users[Role.GRID_WORKER].username in html
    assert world.users[Role.VILLAGE_CENTER].username in html
    for outsider in (wl_worker.username, world.users[Role.CITY_OFFICE].username, world.users[Role.POLICE].username,
                     world.users[Role.SYSADMIN].username, gc_centre.username):
        assert f'data-account="{outsider}"' not in html


def test_a_township_centre_cannot_deactivate_another_townships_grid_worker(client, world, gc_centre, wl_worker):
    client.force_login(gc_centre)
    url = reverse("core:account_detail", args=[wl_worker.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"do": "deactivate", "reason": "离职"}).status_code == 404
    assert client.post(url, {"do": "reset"}).status_code == 404
    with pytest.raises(NotFound):
        actions.set_account_active(actor=gc_centre, user=wl_worker, active=False, reason="离职")
    assert User.objects.get(pk=wl_worker.pk).is_active


def test_a_township_centre_cannot_create_a_city_office_account_or_grant_roles_above_its_own(client, world, gc_centre):
    for code in (Role.CITY_OFFICE, Role.SYSADMIN, Role.AUDITOR, Role.TOWNSHIP_CENTER):
        with pytest.raises(Invalid):
            actions.create_account(actor=gc_centre, username=f"x-{code}", name="某", org_unit=world.orgs["gc_center"],
                                   roles=[role(code)])
    client.force_login(gc_centre)
    resp = client.post(reverse("core:account_create"), {
        "username": "boss", "name": "某", "org_unit": world.orgs["gc_center"].pk, "roles": [role(Role.CITY_OFFICE).pk]})
    assert resp.status_code == 400
    assert not User.objects.filter(username__startswith="x-").exists()
    assert not User.objects.filter(username="boss")
    # Nor a unit outside its township, nor a grid of another township.
    with pytest.raises(Invalid):
        actions.create_account(actor=gc_centre, username="x1", name="某", org_unit=world.orgs["wl_v_center"],
                               roles=[role(Role.GRID_WORKER)], grids=[world.wl_grid])
    with pytest.raises(Invalid):
        actions.create_account(actor=gc_centre, username="x2", name="某", org_unit=world.orgs["gc_v_center"],
                               roles=[role(Role.GRID_WORKER)], grids=[world.wl_grid])


def test_deactivate_reactivate_and_reset_are_audited_and_end_the_sessions(client, world, gc_centre):
    worker = world.user(Role.GRID_WORKER)
    other = client.__class__()
    other.force_login(worker)
    assert other.get("/").status_code == 200

    client.force_login(gc_centre)
    url = reverse("core:account_detail", args=[worker.pk])
    assert client.post(url, {"do": "deactivate", "reason": ""}).status_code == 400
    assert client.post(url, {"do": "deactivate", "reason": "已离职"}).status_code == 302
    assert not User.objects.get(pk=worker.pk).is_active
    assert other.get("/").status_code == 302  # the worker's open session has ended
    assert AuditEntry.objects.filter(object_type="core.user", object_id=str(worker.pk), reason="已离职").exists()

    assert client.post(url, {"do": "activate"}).status_code == 302
    resp = client.post(url, {"do": "reset"})
    assert resp.status_code == 200
    assert resp["Cache-Control"] == "no-store"
    worker.refresh_from_db()
    assert worker.is_active
    assert worker.must_change_password
    assert not worker.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="password_change", object_id=str(worker.pk)).exists()


def test_roles_unit_and_grids_change_within_scope(client, world, gc_centre):
    worker = world.user(Role.GRID_WORKER)
    client.force_login(gc_centre)
    url = reverse("core:account_detail", args=[worker.pk])
    resp = client.post(url, {"do": "update", "name": "张网格", "org_unit": world.orgs["gc_v_center"].pk,
                             "roles": [role(Role.VILLAGE_CENTER).pk]})
    assert resp.status_code == 302
    worker.refresh_from_db()
    assert worker.name == "张网格"
    assert worker.role_codes == {Role.VILLAGE_CENTER}
    assert AuditEntry.objects.filter(action="role_change", object_id=str(worker.pk)).exists()
    resp = client.post(url, {"do": "update", "name": "张网格", "org_unit": world.orgs["gc_v_center"].pk,
                             "roles": [role(Role.GRID_WORKER).pk]})
    assert resp.status_code == 400  # a grid worker needs a grid
    resp = client.post(url, {"do": "update", "name": "张网格", "org_unit": world.orgs["gc_center"].pk,
                             "roles": [role(Role.TOWNSHIP_CENTER).pk]})
    assert resp.status_code == 400
    assert User.objects.get(pk=worker.pk).role_codes == {Role.VILLAGE_CENTER}


def test_the_city_office_manages_everyone_in_the_city_but_not_privileged_accounts(world, wl_worker):
    city = world.user(Role.CITY_OFFICE)
    actions.set_account_active(actor=city, user=wl_worker, active=False, reason="调离")
    police = world.user(Role.POLICE)
    _u, password = actions.reset_account_password(actor=city, user=police)
    assert password
    for privileged in (Role.SYSADMIN, Role.AUDITOR):
        with pytest.raises(NotFound):
            actions.set_account_active(actor=city, user=world.user(privileged), active=False, reason="试试")
    assert set(actions.grantable_roles(city).values_list("code", flat=True)).isdisjoint(
        {Role.CITY_OFFICE, Role.SYSADMIN, Role.AUDITOR})


def test_a_township_centre_keeps_to_its_own_kind_of_unit(world, gc_centre):
    police_org = world.orgs["gc_police"]
    assert police_org not in actions.manageable_orgs(gc_centre)
    station = make_org(OrgKind.CENTER, world.gc_village2, "大北村综治中心")
    assert station in actions.manageable_orgs(gc_centre)


def test_others_have_no_account_pages(client, world):
    for code in (Role.GRID_WORKER, Role.VILLAGE_CENTER, Role.SYSADMIN, Role.AUDITOR):
        client.force_login(world.user(code))
        assert client.get(reverse("core:account_list")).status_code == 404
        with pytest.raises(Forbidden):
            actions.reset_account_password(actor=world.user(code), user=world.user(Role.GRID_WORKER))
