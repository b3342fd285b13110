"""The jurisdiction tree loads from the official codes; other cities load theirs the same way."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from anmin.core.models import Region, Role
from anmin.core.models.orgs import OrgKind
from anmin.core.models.regions import RegionLevel
from anmin.core.regions_io import RegionFileError, load_regions

from .factories import make_org, make_user


def test_yuzhou_tree_has_26_townships_and_678_villages(db):
    result = load_regions()
    assert result.created == 1 + 26 + 678
    assert Region.objects.townships().count() == 26
    assert Region.objects.villages().count() == 678
    assert Region.objects.get(code="411081106000").name == "古城镇"
    again = load_regions()
    assert (again.created, again.updated) == (0, 0)


def test_city_office_sees_all_26_townships_and_a_township_only_its_own(db):
    from anmin.core.roles import sync_roles

    sync_roles()
    load_regions()
    city = Region.objects.get(code="411081000000")
    gucheng = Region.objects.get(code="411081106000")
    city_user = make_user(Role.CITY_OFFICE, make_org(OrgKind.PEACE_OFFICE, city))
    township_user = make_user(Role.TOWNSHIP_CENTER, make_org(OrgKind.CENTER, gucheng))
    assert Region.objects.visible_to(city_user).townships().count() == 26
    mine = Region.objects.visible_to(township_user)
    assert list(mine.townships().values_list("name", flat=True)) == ["古城镇"]
    assert mine.villages().count() == Region.objects.villages().inside(gucheng).count() == 25


def test_another_city_loads_from_the_same_csv_shape(db, tmp_path):
    towns = tmp_path / "towns.csv"
    towns.write_text("code,name,kind\n410102000000,中原区,district\n410102001000,林山寨街道,subdistrict\n")
    villages = tmp_path / "villages.csv"
    villages.write_text("code,name,township_code\n410102001001,百花社区居委会,410102001000\n")
    call_command("regions", "load", str(towns), str(villages))
    village = Region.objects.get(code="410102001001")
    assert village.level == RegionLevel.VILLAGE
    assert village.parent.name == "林山寨街道"
    assert Region.objects.get(code="410102000000").contains(village)


def test_a_bad_row_is_reported_with_file_row_and_rule(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,township_code\n41108110600X,坏村,411081106000\n")
    with pytest.raises(RegionFileError, match=r"bad.csv 第2行 code：区划代码须为12位数字"):
        load_regions([bad])
    with pytest.raises(CommandError):
        call_command("regions", "load", str(bad))
    assert not Region.objects.exists()


def test_sysadmin_adjusts_role_permissions_in_the_admin_but_business_roles_cannot(client, world):
    client.force_login(world.user(Role.SYSADMIN))
    assert client.get("/admin/core/role/").status_code == 200
    client.force_login(world.user(Role.CITY_OFFICE))
    assert client.get("/admin/core/role/").status_code == 302  # not staff: sent to the admin login
