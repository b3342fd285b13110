"""The grid-event part of the Yuzhou demo world: a year of events (2020, "today" 2020-12-10).

About 18,000 events (× ``scale``) over every grid and month: reported by the grid's worker (some on
behalf of a resident), accepted and handed out by the township centre — to the 派出所 for public
order and safety hazards, to the village centre for the rest — fed back, checked and closed, most
with a 回访. A few ran over their limit and got an automatic 督办 on the way; the recent ones are
still open, some of them overdue today, and the sweep run at the end issues their 督办.

Deterministic and idempotent (nothing is added when 2020's events exist). Written through
``actions.import_events`` (bulk, one transaction and one audit entry per batch).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from anmin.core.i18n import source_text
from anmin.core.models import OrgUnit, Region, Role, User
from anmin.core.models.orgs import OrgKind
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase, PastStep
from anmin.workflow.calendar import Calendar
from anmin.workflow.definitions import NATURAL

from .actions import PastEvent, import_events
from .categories import load_categories
from .models import EventSource, GridEvent
from .workflows import GRID_EVENT

YEAR = 2020
TODAY = dt.date(2020, 12, 10)
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_NOW = dt.datetime(2020, 12, 10, 9, 0, tzinfo=SHANGHAI)
N_EVENTS = 18_000
# Planned open events on "today" (the rest are closed or not accepted); the figures the platform
# reports are computed from the records, never from these numbers.
OPEN_PLAN = {"reported": 70, "accepted": 40, "in_progress": 300, "overdue": 110, "feedback": 80}
# How far along the lifecycle each fate gets: 0 reported, 1 accepted, 2 assigned, 3 fed back, 4 closed.
REACH = {"reported": 0, "rejected": 0, "accepted": 1, "in_progress": 2, "overdue": 2, "feedback": 3}
REJECTED_SHARE = 0.01
LATE_SHARE = 0.03  # closed, but only after an automatic 督办
VISIT_SHARE = 0.6
MONTH_WEIGHTS = [8, 5, 8, 9, 9, 9, 9, 9, 9, 9, 9, 3]  # February: the epidemic; December: up to the 10th
CATEGORY_WEIGHTS = {"01": 10, "02": 14, "03": 9, "04": 22, "05": 13, "06": 14, "07": 13, "99": 5}
POLICE_CATEGORIES = {"01": 1.0, "02": 0.4}  # share handed to the 派出所; the rest go to the village centre
PRIORITY_WEIGHTS = {"urgent": 10, "normal": 80, "hard": 10}
WHAT = {
    "01": ("夜间有陌生人员在村内徘徊", "村口路段路灯损坏存在治安隐患", "出租房屋流动人员未登记",
           "废品收购点收购来历不明物品", "网吧接纳未成年人上网"),
    "02": ("民房电线私拉乱接", "沿街商铺违规存放液化气罐", "村内坑塘未设警示标志", "危旧房屋墙体开裂",
           "电动车楼道内充电"),
    "03": ("邻里因宅基地边界发生争执", "家庭成员因赡养问题争吵", "土地流转租金拖欠引发不满", "工程欠薪农民工讨薪",
           "相邻房屋排水引发矛盾"),
    "04": ("村道两侧垃圾堆放未及时清运", "沟渠淤积散发异味", "秸秆露天焚烧", "畜禽粪污直排", "建筑垃圾随意倾倒"),
    "05": ("占道经营影响通行", "乱贴乱画小广告", "车辆乱停乱放堵塞道路", "违规搭建棚房", "门前三包落实不到位"),
    "06": ("路灯不亮", "窨井盖缺失", "健身器材损坏", "道路塌陷坑洼", "桥梁护栏破损"),
    "07": ("独居老人生活困难需要帮扶", "群众反映自来水停水", "残疾人申请补贴咨询", "困难家庭申请低保",
           "群众反映网络信号差"),
    "99": ("流浪犬伤人隐患", "群众反映噪音扰民", "广场舞音响扰民"),
}
RESULTS = {
    "police": ("民警已到场核查处置，隐患已消除", "已登记流动人口信息并开展安全宣传", "已责令整改并复查，现场符合要求"),
    "village": ("已组织人员现场处置完毕", "已协调相关部门维修，恢复正常", "已入户走访并落实帮扶措施",
                "已调解，双方达成一致", "已清运完毕并建立长效保洁机制"),
}
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
            "薛叶阎余潘杜戴夏钟汪田任姜范方石")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂华建国志红梅玉兰凤海燕春"
CENTRE = (34.14, 113.49)  # 禹州市区, roughly


def _first_by_region(role: str) -> dict[str, User]:
    """The first account (printed demo logins were created first) of a role per org region."""
    out: dict[str, User] = {}
    for user in User.objects.filter(roles__code=role, is_active=True).select_related("org_unit").order_by("pk"):
        if user.org_unit_id:
            out.setdefault(user.org_unit.region_id, user)
    return out


def _grid_workers() -> dict[str, User]:
    link = User.grids.through
    users = {u.pk: u for u in User.objects.filter(roles__code=Role.GRID_WORKER).select_related("org_unit")}
    out: dict[str, User] = {}
    for user_id, grid in link.objects.filter(user_id__in=users).order_by("user_id").values_list("user_id",
                                                                                                 "region_id"):
        out.setdefault(grid, users[user_id])
    return out


def _day(rng: random.Random) -> dt.date:
    month = rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
    last = TODAY.day - 1 if month == 12 else (dt.date(YEAR, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(YEAR, month, rng.randint(1, last))


def _at(day: dt.date, rng: random.Random, lo: int = 8, hi: int = 18) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(lo, hi - 1), rng.randint(0, 59), tzinfo=SHANGHAI)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _plan(n: int, rng: random.Random) -> list[str]:
    scale = n / N_EVENTS
    open_fates = [fate for fate, k in OPEN_PLAN.items() for _ in range(max(1, round(k * scale)))]
    rejected = round(n * REJECTED_SHARE)
    late = round(n * LATE_SHARE)
    closed = max(0, n - len(open_fates) - rejected - late)
    fates = ["closed"] * closed + ["late"] * late + ["rejected"] * rejected
    rng.shuffle(fates)
    return fates + open_fates


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    load_categories()
    if GridEvent.objects.filter(case__kind=GRID_EVENT.code, case__opened_at__year=YEAR).exists():
        return {"grid_events": 0, "supervisions": 0}
    rng = random.Random("grid-events-2020")
    n = max(20, round(N_EVENTS * scale))
    grids = list(Region.objects.grids().select_related("parent").order_by("code"))
    workers = _grid_workers()
    centres = _first_by_region(Role.TOWNSHIP_CENTER)
    police = _first_by_region(Role.POLICE)
    village_staff = _first_by_region(Role.VILLAGE_CENTER)
    orgs = {(o.kind, o.region_id): o for o in OrgUnit.objects.filter(kind__in=[OrgKind.POLICE_STATION,
                                                                               OrgKind.CENTER])}
    cal = Calendar(NATURAL)
    limits = GRID_EVENT.workflow.limit_for("in_progress")
    cats, cat_w = zip(*CATEGORY_WEIGHTS.items(), strict=True)
    prios, prio_w = zip(*PRIORITY_WEIGHTS.items(), strict=True)

    items: list[PastEvent] = []
    for fate in _plan(n, rng):
        grid = rng.choice(grids)
        village, township = grid.parent, grid.code[:9] + "000"
        centre = centres.get(township)
        category = rng.choices(cats, weights=cat_w)[0]
        priority = rng.choices(prios, weights=prio_w)[0]
        if fate in ("accepted", "in_progress", "feedback") and priority == "urgent":
            priority = "normal"  # still running today: an urgent one would be overdue since yesterday
        to_police = rng.random() < POLICE_CATEGORIES.get(category, 0.0)
        target_org = orgs.get((OrgKind.POLICE_STATION, township)) if to_police else orgs.get((OrgKind.CENTER,
                                                                                               village.code))
        target_user = (police if to_police else village_staff).get(target_org.region_id) if target_org else None
        # When it was reported: open ones recently (overdue ones long enough ago to be late today).
        if fate == "reported":
            day = TODAY - dt.timedelta(days=rng.randint(0, 1))
        elif fate == "overdue":
            day = TODAY - dt.timedelta(days=rng.randint(9 if priority == "hard" else 5, 20))
        elif fate == "accepted":
            day = TODAY - dt.timedelta(days=1)
        elif fate in ("in_progress", "feedback"):
            day = TODAY - dt.timedelta(days=rng.randint(1, 2))
        else:
            day = _day(rng)
        opened = _at(day, rng, 7, 17) if day < TODAY else _at(day, rng, 7, 9)
        steps: list[PastStep] = []
        supervised = None
        reach = REACH.get(fate, 4)
        if fate == "rejected":
            steps.append(PastStep("reject", opened + dt.timedelta(hours=rng.randint(1, 5)), centre,
                                  reason="经核实不属于网格事件受理范围，已告知上报人"))
        t = opened
        if reach >= 1:
            t = min(t + dt.timedelta(minutes=rng.randint(20, 300)), _cap(opened))
            steps.append(PastStep("accept", t, centre))
        if reach >= 2 and target_org is not None:
            t = min(t + dt.timedelta(minutes=rng.randint(5, 90)), _cap(opened))
            steps.append(PastStep("assign", t, centre, target_org=target_org, target_user=target_user))
            due = cal.deadline(t, limits.days_for(priority))
            if reach >= 3:
                if fate == "late":
                    issued = due + dt.timedelta(minutes=rng.randint(5, 300))
                    replied = issued + dt.timedelta(hours=rng.randint(2, 20))
                    supervised = (issued, replied)
                    t = replied + dt.timedelta(hours=rng.randint(1, 24))
                else:
                    span = max(1800, int((due - t).total_seconds() * 0.9))
                    t = t + dt.timedelta(seconds=rng.randint(900, span))
                if fate == "feedback":
                    t = min(t, DEMO_NOW - dt.timedelta(minutes=30))
                kind = "police" if to_police else "village"
                steps.append(PastStep("feedback", t, target_user, data={"result": rng.choice(RESULTS[kind])}))
            if reach >= 4:
                t = t + dt.timedelta(hours=rng.randint(1, 20))
                steps.append(PastStep("verify_pass", t, centre))
                if rng.random() < VISIT_SHARE:
                    t = t + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
                    satisfaction = rng.choices(["satisfied", "fair", "unsatisfied"], weights=[88, 10, 2])[0]
                    steps.append(PastStep("visit", t, centre, reason="电话回访", data={"satisfaction": satisfaction}))
        if steps and steps[-1].transition == "visit" and steps[-1].at >= DEMO_NOW:
            steps.pop()  # not yet visited
        if steps and steps[-1].at >= DEMO_NOW:  # history ends before "today" 09:00
            continue
        what = rng.choice(WHAT[category])
        on_behalf = rng.random() < 0.15
        resident = _name(rng) if on_behalf else ""
        reporter = workers.get(grid.code)
        title = f"{village.name}{what}"
        description = (f"{village.name}{grid.name}：{what}。" +
                       (f"群众{resident}向网格员反映。" if on_behalf else "网格员巡查发现，现场已拍照记录。"))
        located = rng.random() < 0.5
        items.append(PastEvent(
            case=PastCase(kind=GRID_EVENT.code, title=title, region_id=grid.code, opened_at=opened, steps=steps,
                          reporter=reporter, reporter_name=resident, priority=priority,
                          source=source_text((EventSource.RESIDENT if on_behalf else EventSource.PATROL).label),
                          description=description),
            category=category, found_at=opened - dt.timedelta(minutes=rng.randint(5, 120)),
            source=EventSource.RESIDENT if on_behalf else EventSource.PATROL,
            address=f"{village.name}{rng.randint(1, 12)}组" if rng.random() < 0.7 else "",
            latitude=Decimal(f"{CENTRE[0] + rng.uniform(-0.25, 0.25):.6f}") if located else None,
            longitude=Decimal(f"{CENTRE[1] + rng.uniform(-0.3, 0.3):.6f}") if located else None,
            resident_name=resident, resident_phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
            if on_behalf else "",
            supervised=supervised,
        ))
    items.sort(key=lambda item: item.case.opened_at)  # numbers follow the report time
    created = import_events(items, note="演示环境：2020年网格事件台账")
    result = case_actions.sweep(now=DEMO_NOW)  # today's warnings and automatic 督办 for what is overdue
    return {"grid_events": created, "supervisions": result.supervisions + sum(1 for i in items if i.supervised)}


def _cap(opened: dt.datetime) -> dt.datetime:
    """Steps of the intake stage stay on the day of the report (a centre accepts the same day)."""
    return opened.replace(hour=23, minute=30)
