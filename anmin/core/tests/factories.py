"""A small, real piece of Yuzhou for tests: the city, 古城镇 and its neighbour 无梁镇, villages,
grids, org units and one user per role, placed in 古城镇 (or at city level for city roles)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from anmin.core.models import OrgUnit, Region, Role, User
from anmin.core.models.orgs import OrgKind
from anmin.core.models.regions import level_of, prefix_for
from anmin.core.roles import role_defs, sync_roles

CITY = "411081000000"
GUCHENG = "411081106000"  # 古城镇
WULIANG = "411081107000"  # 无梁镇, the neighbouring township
PASSWORD = "Anmin@2020"

_seq = itertools.count(1)


def make_region(code: str, name: str, parent: Region | None = None) -> Region:
    level = level_of(code)
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "parent": parent,
            "prefix": prefix_for(code, level),
            "kind": {1: "city", 2: "town", 3: "village", 4: "grid"}[level],
        },
    )
    return region


def make_org(kind: str, region: Region, name: str | None = None, parent: OrgUnit | None = None) -> OrgUnit:
    n = next(_seq)
    return OrgUnit.objects.create(
        code=f"org-{n}", name=name or f"{region.name}{kind}{n}", kind=kind, region=region, parent=parent
    )


def make_user(role_code: str, org: OrgUnit | None, *, grids=(), username: str | None = None, **extra) -> User:
    username = username or f"u{next(_seq)}-{role_code}"
    user = User.objects.create_user(
        username=username, password=PASSWORD, org_unit=org, name=username, must_change_password=False, **extra
    )
    user.roles.add(Role.objects.get(code=role_code))
    if grids:
        user.grids.add(*grids)
    return User.objects.get(pk=user.pk)  # fresh instance: no cached scope


@dataclass
class World:
    city: Region
    gucheng: Region
    wuliang: Region
    gc_village: Region
    gc_village2: Region
    wl_village: Region
    gc_grid: Region
    gc_grid2: Region
    wl_grid: Region
    orgs: dict[str, OrgUnit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return User.objects.get(pk=self.users[role].pk)


def build_world() -> World:
    sync_roles()
    city = make_region(CITY, "禹州市")
    gucheng = make_region(GUCHENG, "古城镇", city)
    wuliang = make_region(WULIANG, "无梁镇", city)
    gc_v = make_region("411081106202", "古城村委会", gucheng)
    gc_v2 = make_region("411081106203", "大北村委会", gucheng)
    wl_v = make_region("411081107201", "无梁村委会", wuliang)
    gc_g = make_region("41108110620201", "第1网格", gc_v)
    gc_g2 = make_region("41108110620202", "第2网格", gc_v)
    wl_g = make_region("41108110720101", "第1网格", wl_v)
    w = World(city, gucheng, wuliang, gc_v, gc_v2, wl_v, gc_g, gc_g2, wl_g)
    o = w.orgs
    o["peace"] = make_org(OrgKind.PEACE_OFFICE, city, "禹州市委政法委(市平安办)")
    o["it"] = make_org(OrgKind.IT_OPERATIONS, city, "信息运维中心")
    o["crackdown"] = make_org(OrgKind.CRACKDOWN_OFFICE, city, "市扫黑办")
    o["education"] = make_org(OrgKind.EDUCATION, city, "市教育局")
    o["gc_center"] = make_org(OrgKind.CENTER, gucheng, "古城镇综治中心")
    o["gc_police"] = make_org(OrgKind.POLICE_STATION, gucheng, "古城派出所")
    o["gc_mediation"] = make_org(OrgKind.MEDIATION_COMMITTEE, gucheng, "古城镇人民调解委员会")
    o["gc_v_center"] = make_org(OrgKind.CENTER, gc_v, "古城村综治中心")
    o["wl_center"] = make_org(OrgKind.CENTER, wuliang, "无梁镇综治中心")
    o["wl_v_center"] = make_org(OrgKind.CENTER, wl_v, "无梁村综治中心")
    u = w.users
    # One user per registered role, in the first kind of org its role names: 古城镇's where there is
    # one, else the city's (a domain role brings its org kind in its RoleDef).
    home: dict[tuple[str, int], OrgUnit] = {}
    for org in o.values():  # 古城镇's units come first
        home.setdefault((org.kind, org.region.level), org)
    places = {Role.VILLAGE_CENTER: o["gc_v_center"], Role.GRID_WORKER: o["gc_v_center"], Role.LEADER: o["peace"],
              Role.AUDITOR: o["peace"]}
    for rdef in role_defs():
        kind = rdef.org_kinds[0] if rdef.org_kinds else OrgKind.PEACE_OFFICE
        org = places.get(rdef.code) or home.get((kind, 2)) or home.get((kind, 1))
        if org is None:  # a kind the world does not have yet: a unit of it in 古城镇
            org = o[f"gc_{kind}"] = make_org(kind, gucheng)
        grids = [gc_g] if rdef.scope == "grids" else []
        u[rdef.code] = make_user(rdef.code, org, grids=grids, is_staff=rdef.code == Role.SYSADMIN)
    return w
