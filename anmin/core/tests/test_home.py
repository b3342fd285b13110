"""Each role gets its own home page and menu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anmin.core.models import Role


def home(client, world, role) -> str:
    client.force_login(world.user(role))
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 200
    return resp.content.decode()


def test_grid_worker_home_lists_own_grids(client, world):
    html = home(client, world, Role.GRID_WORKER)
    assert "我负责的网格" in html
    assert world.gc_grid.get_absolute_url() in html
    assert world.wl_grid.get_absolute_url() not in html


def _card_stats(html: str, card: str) -> dict[str, str]:
    import re

    part = html[html.index(card):]
    part = part[:part.index("</dl>")]
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", part))


def test_my_jurisdiction_counts_a_grid_workers_own_grids_not_the_village(client, world):
    stats = _card_stats(home(client, world, Role.GRID_WORKER), "我的辖区")
    assert stats.get("网格") == str(world.user(Role.GRID_WORKER).grids.count())
    assert "村(社区)" not in stats  # above the grid: nothing to count
    assert "乡镇(街道)" not in stats
    township = _card_stats(home(client, world, Role.TOWNSHIP_CENTER), "我的辖区")
    assert township["乡镇(街道)"] == "1"
    assert int(township["村(社区)"]) >= 1


def test_city_office_home_counts_every_township(client, world):
    html = home(client, world, Role.CITY_OFFICE)
    assert "各乡镇(街道)" in html
    assert "古城镇" in html
    assert "无梁镇" in html


def test_sysadmin_home_shows_the_system_not_the_jurisdiction(client, world):
    html = home(client, world, Role.SYSADMIN)
    assert "系统概况" in html
    assert "我的辖区" not in html
    assert 'data-menu="regions"' not in html


@pytest.mark.parametrize("role", [Role.TOWNSHIP_CENTER, Role.GRID_WORKER, Role.LEADER])
def test_business_roles_get_no_admin_menu(client, world, role):
    html = home(client, world, role)
    assert 'data-menu="admin"' not in html
    assert 'data-menu="regions"' in html


def test_anonymous_visitor_is_sent_to_login(client, db):
    resp = client.get(reverse("core:region_list"))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("core:login"))


def test_api_needs_authentication_and_accepts_a_token(client, world):
    from anmin.core import tokens

    assert client.get("/api/v1/regions/").status_code == 401
    user = world.user(Role.TOWNSHIP_CENTER)
    _token, key = tokens.issue(user=user)
    resp = client.get("/api/v1/regions/?level=2", HTTP_AUTHORIZATION=f"Token {key}")
    assert resp.status_code == 200
    assert [r["name"] for r in resp.json()["results"]] == ["古城镇"]


def test_openapi_schema_and_offline_docs(client, world):
    client.force_login(world.user(Role.CITY_OFFICE))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/regions/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower()
    assert "//cdn" not in docs
    assert "https://" not in docs.split("<body")[0]


def test_the_menu_is_each_roles_own_and_marks_the_page_one_stands_on(client, world):
    """The menu is drawn once per set of roles and grants (core/templatetags/sidemenu.py): a role drawn
    after another never shows the other's entries, a grant taken away shows at once, and the entry of
    the page one is on is marked."""
    from django.contrib.auth.models import Permission

    sysadmin = home(client, world, Role.SYSADMIN)
    township = home(client, world, Role.TOWNSHIP_CENTER)
    assert 'data-menu="admin"' in sysadmin
    assert 'data-menu="admin"' not in township
    assert 'data-menu="regions"' in township
    assert 'data-menu="regions"' not in home(client, world, Role.SYSADMIN)
    regions = reverse("core:region_list")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    html = client.get(regions).content.decode()
    assert f'href="{regions}" class="active" data-menu="regions"' in html
    assert html.count('class="active"') == 1
    assert f'href="{regions}" class="" data-menu="regions"' in home(client, world, Role.TOWNSHIP_CENTER)
    role = world.user(Role.TOWNSHIP_CENTER).roles.get()
    role.permissions.remove(Permission.objects.get(codename="view_region", content_type__app_label="core"))
    assert 'data-menu="regions"' not in home(client, world, Role.TOWNSHIP_CENTER)


def test_role_names_are_in_the_readers_language_unless_an_administrator_renamed_them(client, world):
    """In English the role badge said 网格员: role names are data, shown through the catalogue."""
    from anmin.core.models import Role as RoleModel

    client.cookies["django_language"] = "en"
    assert '<span class="tag">Grid worker</span>' in home(client, world, Role.GRID_WORKER)
    renamed = RoleModel.objects.get(code=Role.GRID_WORKER)
    renamed.name = "专职网格员"
    renamed.save()  # as the admin's form saves it
    assert '<span class="tag">专职网格员</span>' in home(client, world, Role.GRID_WORKER)
