"""The foundation's part of the Yuzhou demo world: regions, grids, org units, staff accounts.

Deterministic (seeded per village) and idempotent: a second run finds every row and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import registry
from .codes import load_code_tables
from .models import OrgUnit, Region, Role, User
from .models.orgs import OrgKind
from .models.regions import RegionLevel, prefix_for
from .regions_io import load_regions
from .roles import sync_roles

CITY = "411081000000"
DEMO_TOWNSHIP = "411081106000"  # 古城镇: the township the printed demo logins work in
# The demo world's "today": its records run up to this moment, and `anmin demo` sets the business
# clock (core.clock) to it each time it runs.
DEMO_NOW = dt.datetime(2020, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DEMO_PASSWORD = "Anmin@2020"  # noqa: S105  (printed by `anmin demo`; refused in production)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    org: str


# One printed login per role; all share DEMO_PASSWORD.
DEMO_LOGINS: list[DemoLogin] = []


def grid_count(village_code: str) -> int:
    return random.Random(f"grids-{village_code}").randint(2, 6)


def build_grids() -> int:
    villages = list(Region.objects.villages().values_list("code", "name"))
    have = set(Region.objects.grids().values_list("code", flat=True))
    new = []
    for code, _name in villages:
        for i in range(1, grid_count(code) + 1):
            gcode = f"{code}{i:02d}"
            if gcode not in have:
                new.append(
                    Region(
                        code=gcode,
                        name=f"第{i}网格",
                        level=RegionLevel.GRID,
                        kind="grid",
                        parent_id=code,
                        prefix=prefix_for(gcode, RegionLevel.GRID),
                    )
                )
    Region.objects.bulk_create(new, batch_size=2000)
    return len(new)


def _short(name: str) -> str:
    for suffix in ("街道", "回族乡", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def build_orgs() -> dict[str, OrgUnit]:
    """City departments, one 综治中心 per level, a 派出所 and a 司法所 per township area."""
    wanted: list[tuple[str, str, str, str, str | None]] = [
        ("city-peace-office", "禹州市委政法委(市平安办)", OrgKind.PEACE_OFFICE, CITY, None),
        ("city-center", "禹州市社会治安综合治理中心", OrgKind.CENTER, CITY, "city-peace-office"),
        ("city-it", "禹州市平安建设信息运维中心", OrgKind.IT_OPERATIONS, CITY, "city-peace-office"),
        ("city-crackdown", "禹州市扫黑除恶专项斗争领导小组办公室", OrgKind.CRACKDOWN_OFFICE, CITY, "city-peace-office"),
        ("city-police", "禹州市公安局", OrgKind.POLICE_BUREAU, CITY, None),
        ("city-court", "禹州市人民法院", OrgKind.COURT, CITY, None),
        ("city-procuratorate", "禹州市人民检察院", OrgKind.PROCURATORATE, CITY, None),
        ("city-justice", "禹州市司法局", OrgKind.JUSTICE_BUREAU, CITY, None),
        ("city-education", "禹州市教育局", OrgKind.EDUCATION, CITY, None),
        ("city-civil", "禹州市民政局", OrgKind.CIVIL_AFFAIRS, CITY, None),
        ("city-health", "禹州市卫生健康委员会", OrgKind.HEALTH, CITY, None),
        ("city-petitions", "禹州市信访局", OrgKind.PETITIONS, CITY, None),
    ]
    for t in Region.objects.townships().order_by("code"):
        short = _short(t.name)
        wanted += [
            (f"center-{t.code}", f"{t.name}综治中心", OrgKind.CENTER, t.code, "city-center"),
            (f"police-{t.code}", f"禹州市公安局{short}派出所", OrgKind.POLICE_STATION, t.code, "city-police"),
            (f"justice-{t.code}", f"禹州市司法局{short}司法所", OrgKind.JUSTICE_OFFICE, t.code, "city-justice"),
            (
                f"mediation-{t.code}",
                f"{t.name}人民调解委员会",
                OrgKind.MEDIATION_COMMITTEE,
                t.code,
                f"justice-{t.code}",
            ),
        ]
    for v in Region.objects.villages().order_by("code"):
        wanted.append((f"center-{v.code}", f"{v.name}综治中心", OrgKind.CENTER, v.code, f"center-{v.code[:9]}000"))

    existing = {o.code: o for o in OrgUnit.objects.all()}
    new = [OrgUnit(code=c, name=n, kind=k, region_id=r) for c, n, k, r, _p in wanted if c not in existing]
    OrgUnit.objects.bulk_create(new, batch_size=2000)
    orgs = {o.code: o for o in OrgUnit.objects.all()}
    fix = []
    for c, _n, _k, _r, parent in wanted:
        if parent and orgs[c].parent_id != orgs[parent].pk:
            orgs[c].parent_id = orgs[parent].pk
            fix.append(orgs[c])
    OrgUnit.objects.bulk_update(fix, ["parent"], batch_size=2000)
    return orgs


def build_users(orgs: dict[str, OrgUnit]) -> int:
    """Printed logins for every role, plus realistic staff: a worker per grid, a centre per village."""
    roles = {r.code: r for r in Role.objects.all()}
    password = make_password(DEMO_PASSWORD)  # hashed once: thousands of demo accounts share it
    township = Region.objects.get(code=DEMO_TOWNSHIP)
    village = Region.objects.villages().inside(township).order_by("code").first()
    grid = Region.objects.grids().inside(village).order_by("code").first()

    # (username, name, role, org code, grid codes): the printed logins, one per role (apps add theirs).
    first_grid = {"first": grid.code}
    people: list[tuple[str, str, str, str, tuple[str, ...]]] = [
        (a.username, a.name.format(village=village.name, grid=grid.name), a.role, a.org,
         tuple(first_grid.get(g, g) for g in a.grids))
        for a in sorted(registry.demo_accounts, key=lambda a: a.order)
    ]
    orgs = {**orgs, "center-village": orgs[f"center-{village.code}"]}
    DEMO_LOGINS[:] = [DemoLogin(u, roles[r].name, orgs[o].name) for u, _n, r, o, _g in people]

    for t in Region.objects.townships():
        if t.code != DEMO_TOWNSHIP:
            people.append((f"zz{t.code[:9]}", f"{t.name}综治中心", Role.TOWNSHIP_CENTER, f"center-{t.code}", ()))
        people.append((f"mj{t.code[:9]}", f"{t.name}派出所民警", Role.POLICE, f"police-{t.code}", ()))
    for v in Region.objects.villages():
        people.append((f"cz{v.code}", f"{v.name}综治专干", Role.VILLAGE_CENTER, f"center-{v.code}", ()))
    for g in Region.objects.grids().select_related("parent"):
        if g.code != grid.code:
            people.append(
                (f"wg{g.code}", f"{g.parent.name}{g.name}网格员", Role.GRID_WORKER, f"center-{g.parent_id}", (g.code,))
            )

    have = set(User.objects.values_list("username", flat=True))
    todo = [p for p in people if p[0] not in have]
    User.objects.bulk_create(
        [
            User(
                username=u,
                name=n,
                password=password,
                org_unit=orgs[o],
                must_change_password=False,
                is_staff=(r == Role.SYSADMIN),
            )
            for u, n, r, o, _g in todo
        ],
        batch_size=2000,
    )
    ids = dict(User.objects.filter(username__in=[p[0] for p in todo]).values_list("username", "pk"))
    RoleLink = User.roles.through
    GridLink = User.grids.through
    RoleLink.objects.bulk_create(
        [RoleLink(user_id=ids[u], role_id=roles[r].pk) for u, _n, r, _o, _g in todo], batch_size=5000
    )
    GridLink.objects.bulk_create(
        [GridLink(user_id=ids[u], region_id=g) for u, _n, _r, _o, gs in todo for g in gs], batch_size=5000
    )
    return len(todo)


@transaction.atomic
def build(**_kwargs) -> dict[str, int]:
    loaded = load_regions()
    grids = build_grids()
    roles = sync_roles()
    codes = load_code_tables()
    orgs = build_orgs()
    users = build_users(orgs)
    return {"regions": loaded.created, "grids": grids, "roles": roles["roles_created"], "users": users, **codes}


FOUNDATION_ACCOUNTS = (
    registry.DemoAccount("admin", "系统管理员", Role.SYSADMIN, "city-it", 10),
    registry.DemoAccount("auditor", "审计员", Role.AUDITOR, "city-peace-office", 20),
    registry.DemoAccount("pingan", "市平安办 王建国", Role.CITY_OFFICE, "city-peace-office", 30),
    registry.DemoAccount("gucheng", "古城镇综治中心 李红梅", Role.TOWNSHIP_CENTER, f"center-{DEMO_TOWNSHIP}", 40),
    registry.DemoAccount("cunzhi", "{village} 综治专干 赵磊", Role.VILLAGE_CENTER, "center-village", 50),
    registry.DemoAccount("wanggeyuan", "{village}{grid} 网格员 张伟", Role.GRID_WORKER, "center-village", 60,
                         ("first",)),
    registry.DemoAccount("minjing", "古城派出所 民警 陈刚", Role.POLICE, f"police-{DEMO_TOWNSHIP}", 80),
    registry.DemoAccount("jiaoyu", "市教育局 经办人 周静", Role.DEPT_HANDLER, "city-education", 100),
    registry.DemoAccount("lingdao", "市委政法委 领导 吴书记", Role.LEADER, "city-peace-office", 110),
)


def register() -> None:
    for account in FOUNDATION_ACCOUNTS:
        registry.demo_accounts.register(account.username, account)
    registry.demo_builders.register(
        "core", registry.DemoBuilder("core", build, order=10, describe="辖区、网格、机构、角色与账号")
    )
