"""Scoping: who sees which part of the jurisdiction and its organisations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anmin.core.models import OrgUnit, Region, Role


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_township_centre_sees_its_township_and_villages_only(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    visible = codes(Region.objects.visible_to(user))
    assert world.gucheng.code in visible
    assert {world.gc_village.code, world.gc_village2.code, world.gc_grid.code} <= visible
    assert world.wuliang.code not in visible
    assert world.wl_village.code not in visible
    assert world.city.code not in visible


def test_city_office_sees_every_township(world):
    user = world.user(Role.CITY_OFFICE)
    visible = codes(Region.objects.visible_to(user).townships())
    assert visible == {world.gucheng.code, world.wuliang.code}


def test_grid_worker_sees_own_village_map_but_not_the_neighbours(world):
    user = world.user(Role.GRID_WORKER)
    assert user.scope.prefixes == (world.gc_grid.code,)
    visible = codes(Region.objects.visible_to(user))
    assert world.gc_grid.code in visible
    assert world.wl_grid.code not in visible
    assert world.gucheng.code not in visible


def test_sysadmin_and_auditor_see_no_business_records(world):
    for role in (Role.SYSADMIN, Role.AUDITOR):
        user = world.user(role)
        assert not Region.objects.visible_to(user).exists()
        assert not OrgUnit.objects.visible_to(user).exists()


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Region.objects.visible_to(AnonymousUser()).exists()
    user = world.user(Role.CITY_OFFICE)
    user.is_active = False
    assert not Region.objects.visible_to(user).exists()


def test_removing_a_permission_from_a_role_hides_the_records(world):
    role = Role.objects.get(code=Role.TOWNSHIP_CENTER)
    role.permissions.remove(role.permissions.get(codename="view_orgunit"))
    user = world.user(Role.TOWNSHIP_CENTER)
    assert not OrgUnit.objects.visible_to(user).exists()
    assert Region.objects.visible_to(user).exists()


def test_region_prefix_filter_uses_the_column_without_a_join(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    sql = str(OrgUnit.objects.visible_to(user).query)
    assert "JOIN" not in sql.upper()
    assert "411081106" in sql


@pytest.mark.parametrize("role", [Role.TOWNSHIP_CENTER, Role.CITY_OFFICE])
def test_region_tree_page_lists_only_visible_townships(client, world, role):
    client.force_login(world.user(role))
    html = client.get(reverse("core:region_list")).content.decode()
    assert "古城镇" in html
    assert ("无梁镇" in html) is (role == Role.CITY_OFFICE)


def test_org_ledger_exports_only_visible_rows_to_excel(client, world):
    import io

    from openpyxl import load_workbook

    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    resp = client.get(reverse("core:orgunit_list") + "?export=xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    names = {r[0] for r in rows[1:]}
    assert "古城镇综治中心" in names
    assert "无梁镇综治中心" not in names


def test_a_superuser_flag_grants_nothing_beyond_the_roles(world):
    """三员分立: there is no all-powerful account; is_superuser is ignored."""
    user = world.user(Role.SYSADMIN)
    user.is_superuser = True
    user.save()
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("core.view_auditentry")
    assert not Region.objects.visible_to(user).exists()
    assert user.has_perm("core.change_user")  # what the 系统管理员 role grants
