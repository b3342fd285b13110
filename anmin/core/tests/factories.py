"""A small, real piece of Yuzhou for tests: the city, 古城镇 and its neighbour 无梁镇, villages,
grids, org units and one user per role, placed in 古城镇 (or at city level for city roles)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from anmin.core.models import OrgUnit, Region, Role, User
from anmin.core.models.orgs import OrgKind
from anmin.core.models.regions import level_of, prefix_for
from anmin.core.principal import moved as principal_moved
from anmin.core.roles import role_defs, sync_roles

CITY = "411081000000"
GUCHENG = "411081106000"  # 古城镇
WULIANG = "411081107000"  # 无梁镇, the neighbouring township
PASSWORD = "Anmin@2020"

_seq = itertools.count(1)
KINDS = {1: "city", 2: "town", 3: "village", 4: "grid"}  # a region's kind by its level


def make_region(code: str, name: str, parent: Region | None = None) -> Region:
    level = level_of(code)
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "parent": parent,
            "prefix": prefix_for(code, level),
            "kind": KINDS[level],
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
    """The world in a score of statements (it is built for most tests of the PostgreSQL pass): the
    roles synced only when they are not already in place (``roles_in_place``), regions, units and
    users written set by set, with what their signals would do (``bulk``)."""
    if not roles_in_place():
        sync_roles()
    city, gucheng, wuliang, gc_v, gc_v2, wl_v, gc_g, gc_g2, wl_g = make_regions([
        (CITY, "禹州市", None), (GUCHENG, "古城镇", CITY), (WULIANG, "无梁镇", CITY),
        ("411081106202", "古城村委会", GUCHENG), ("411081106203", "大北村委会", GUCHENG),
        ("411081107201", "无梁村委会", WULIANG), ("41108110620201", "第1网格", "411081106202"),
        ("41108110620202", "第2网格", "411081106202"), ("41108110720101", "第1网格", "411081107201")])
    w = World(city, gucheng, wuliang, gc_v, gc_v2, wl_v, gc_g, gc_g2, wl_g)
    o = w.orgs
    o.update(make_orgs({
        "peace": (OrgKind.PEACE_OFFICE, city, "禹州市委政法委(市平安办)"),
        "it": (OrgKind.IT_OPERATIONS, city, "信息运维中心"),
        "crackdown": (OrgKind.CRACKDOWN_OFFICE, city, "市扫黑办"),
        "education": (OrgKind.EDUCATION, city, "市教育局"),
        "gc_center": (OrgKind.CENTER, gucheng, "古城镇综治中心"),
        "gc_police": (OrgKind.POLICE_STATION, gucheng, "古城派出所"),
        "gc_mediation": (OrgKind.MEDIATION_COMMITTEE, gucheng, "古城镇人民调解委员会"),
        "gc_v_center": (OrgKind.CENTER, gc_v, "古城村综治中心"),
        "wl_center": (OrgKind.CENTER, wuliang, "无梁镇综治中心"),
        "wl_v_center": (OrgKind.CENTER, wl_v, "无梁村综治中心"),
    }))
    # One user per registered role, in the first kind of org its role names: 古城镇's where there is
    # one, else the city's (a domain role brings its org kind in its RoleDef).
    home: dict[tuple[str, int], OrgUnit] = {}
    for org in o.values():  # 古城镇's units come first
        home.setdefault((org.kind, org.region.level), org)
    places = {Role.VILLAGE_CENTER: o["gc_v_center"], Role.GRID_WORKER: o["gc_v_center"], Role.LEADER: o["peace"],
              Role.AUDITOR: o["peace"]}
    missing = {}
    for rdef in role_defs():
        kind = rdef.org_kinds[0] if rdef.org_kinds else OrgKind.PEACE_OFFICE
        if not (places.get(rdef.code) or home.get((kind, 2)) or home.get((kind, 1))):
            missing[f"gc_{kind}"] = (kind, gucheng, None)  # a kind the world does not have yet: one in 古城镇
    o.update(make_orgs(missing))
    for key in missing:
        home.setdefault((o[key].kind, 2), o[key])
    specs = []
    for rdef in role_defs():
        kind = rdef.org_kinds[0] if rdef.org_kinds else OrgKind.PEACE_OFFICE
        org = places.get(rdef.code) or home.get((kind, 2)) or home.get((kind, 1))
        specs.append((rdef.code, org, [gc_g] if rdef.scope == "grids" else [], rdef.code == Role.SYSADMIN))
    w.users.update(make_users(specs))
    return w


def roles_in_place() -> bool:
    """Whether every registered role exists with its default grants applied (the test run syncs them
    once into its database, and again after a test that emptied it: ``anmin/conftest.py``)."""
    defs = role_defs()
    return Role.objects.filter(code__in=[r.code for r in defs]).exclude(applied_defaults=[]).count() == len(defs)


def make_regions(specs: list[tuple[str, str, str | None]]) -> list[Region]:
    """Regions (code, name, parent code — parents first) in one statement, those already there read."""
    have = Region.objects.in_bulk([code for code, _name, _parent in specs])
    new = []
    for code, name, parent in specs:
        if code not in have:
            level = level_of(code)
            have[code] = Region(code=code, name=name, level=level, parent_id=parent, prefix=prefix_for(code, level),
                                kind=KINDS[level])
            new.append(have[code])
    if new:
        Region.objects.bulk_create(new)  # a scoped queryset's: the caches' generations move as on save
    for region in have.values():  # each with its parent object, as the ORM would give it
        if region.parent_id in have:
            region.parent = have[region.parent_id]
    return [have[code] for code, _name, _parent in specs]


def make_orgs(specs: dict[str, tuple[str, Region, str | None]]) -> dict[str, OrgUnit]:
    """Org units (key → kind, region, name or None for a made-up one) in one statement."""
    units = {}
    for key, (kind, region, name) in specs.items():
        n = next(_seq)
        units[key] = OrgUnit(code=f"org-{n}", name=name or f"{region.name}{kind}{n}", kind=kind, region=region)
    if units:
        OrgUnit.objects.bulk_create(list(units.values()))
    return units


def make_users(specs: list[tuple[str, OrgUnit, list[Region], bool]]) -> dict[str, User]:
    """One user per (role code, unit, grids, is_staff), written set by set: the accounts, their roles,
    their grids; then read back fresh (no cached scope), as ``make_user`` gives them."""
    password = make_password(PASSWORD)
    users = [User(username=f"u{next(_seq)}-{code}", password=password, org_unit=org, name="", is_staff=staff,
                  must_change_password=False) for code, org, _grids, staff in specs]
    for user in users:
        user.name = user.username
    User.objects.bulk_create(users)
    roles = dict(Role.objects.filter(code__in=[code for code, *_ in specs]).values_list("code", "pk"))
    User.roles.through.objects.bulk_create([User.roles.through(user_id=user.pk, role_id=roles[code])
                                            for user, (code, *_rest) in zip(users, specs, strict=True)])
    User.grids.through.objects.bulk_create([User.grids.through(user_id=user.pk, region_id=grid.pk)
                                            for user, (_code, _org, grids, _staff) in zip(users, specs, strict=True)
                                            for grid in grids])
    principal_moved()  # what saving users and their roles tells the caches of who is who
    fresh = User.objects.in_bulk([user.pk for user in users])
    return {code: fresh[user.pk] for user, (code, *_rest) in zip(users, specs, strict=True)}
