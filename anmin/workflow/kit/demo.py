"""Shared pieces of the demo world's domains: who works where, plausible times, a case's history
along the default lifecycle (受理 → 交办 → 反馈 → 核查办结 → 回访), late or on time, and plausible
places inside Yuzhou for records with a point of their own (``Scatter``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from anmin.core.models import OrgUnit, Region, RegionGeo, Role, User

from ..actions import PastStep
from ..calendar import Calendar
from ..definitions import NATURAL

SHANGHAI = ZoneInfo("Asia/Shanghai")


def first_by_region(role: str) -> dict[str, User]:
    """The first account (printed demo logins were created first) of a role per org region."""
    out: dict[str, User] = {}
    for user in User.objects.filter(roles__code=role, is_active=True).select_related("org_unit").order_by("pk"):
        if user.org_unit_id:
            out.setdefault(user.org_unit.region_id, user)
    return out


def units_by_region(kind: str, *, order: tuple[str, ...] = (), **filters) -> dict[str, OrgUnit]:
    """The org units of a kind by their region (the last in ``order`` where a region has several)."""
    qs = OrgUnit.objects.filter(kind=kind, **filters)
    return {o.region_id: o for o in (qs.order_by(*order) if order else qs)}


def grid_workers() -> dict[str, User]:
    """The grid worker of each grid (the first one linked to it)."""
    link = User.grids.through
    users = {u.pk: u for u in User.objects.filter(roles__code=Role.GRID_WORKER).select_related("org_unit")}
    out: dict[str, User] = {}
    for user_id, grid in link.objects.filter(user_id__in=users).order_by("user_id").values_list("user_id",
                                                                                                 "region_id"):
        out.setdefault(grid, users[user_id])
    return out


def day_in_year(rng: random.Random, year: int, today: dt.date, month_weights: list[int]) -> dt.date:
    """A day of ``year`` before ``today``, months weighted."""
    month = rng.choices(range(1, 13), weights=month_weights)[0]
    last = today.day - 1 if (year, month) == (today.year, today.month) else (
        (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day)
    return dt.date(year, month, rng.randint(1, max(1, last)))


def pick(rng: random.Random, weights: dict):
    """One key of ``weights`` (key → weight), drawn by weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_fates(rng: random.Random, *, total: int, still_open: dict[str, int], settled: dict[str, int], rest: str,
               scale: float = 1.0) -> tuple[list[str], list[str]]:
    """Who ends where in a demo year: ``still_open`` (fate → count, × ``scale``, at least one each) are
    open today; of the others ``settled`` (fate → count) and ``rest`` for the remainder, shuffled so every
    place and month gets a mix. Returns (the settled fates, the open ones); the figures the platform
    reports are computed from the records these produce, never from these numbers."""
    open_fates = [fate for fate, k in still_open.items() for _ in range(max(1, round(k * scale)))]
    others = [fate for fate, k in settled.items() for _ in range(k)]
    fates = [rest] * max(0, total - len(open_fates) - len(others)) + others
    rng.shuffle(fates)
    return fates, open_fates


def at(day: dt.date, rng: random.Random, lo: int = 8, hi: int = 18) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(lo, hi - 1), rng.randint(0, 59), tzinfo=SHANGHAI)


@dataclass
class Lifecycle:
    """How far a demo case got: 0 reported, 1 accepted, 2 assigned, 3 fed back, 4 closed (and maybe
    visited). ``late``: it ran over its handling limit and got an automatic 督办 on the way."""

    reach: int
    late: bool = False
    visit_share: float = 0.6


def past_steps(life: Lifecycle, *, rng: random.Random, opened: dt.datetime, centre, target_org, target_user,
               handling_days: int, result: str, now: dt.datetime, feedback_open: bool = False,
               ) -> tuple[list[PastStep], tuple[dt.datetime, dt.datetime] | None] | None:
    """The steps of a case along the default lifecycle and its past automatic 督办, or None when its
    history would reach past ``now`` (skip that case). Intake steps stay on the day of the report."""
    cap = opened.replace(hour=23, minute=30)
    steps: list[PastStep] = []
    supervised = None
    t = opened
    if life.reach >= 1:
        t = min(t + dt.timedelta(minutes=rng.randint(20, 300)), cap)
        steps.append(PastStep("accept", t, centre))
    if life.reach >= 2 and target_org is not None:
        t = min(t + dt.timedelta(minutes=rng.randint(5, 90)), cap)
        steps.append(PastStep("assign", t, centre, target_org=target_org, target_user=target_user))
        due = Calendar(NATURAL).deadline(t, handling_days)
        if life.reach >= 3:
            if life.late:
                issued = due + dt.timedelta(minutes=rng.randint(5, 300))
                replied = issued + dt.timedelta(hours=rng.randint(2, 20))
                supervised = (issued, replied)
                t = replied + dt.timedelta(hours=rng.randint(1, 24))
            else:
                span = max(1800, int((due - t).total_seconds() * 0.9))
                t = t + dt.timedelta(seconds=rng.randint(900, span))
            if feedback_open:
                t = min(t, now - dt.timedelta(minutes=30))
            steps.append(PastStep("feedback", t, target_user, data={"result": result}))
        if life.reach >= 4:
            t = t + dt.timedelta(hours=rng.randint(1, 20))
            steps.append(PastStep("verify_pass", t, centre))
            if rng.random() < life.visit_share:
                t = t + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
                satisfaction = rng.choices(["satisfied", "fair", "unsatisfied"], weights=[88, 10, 2])[0]
                steps.append(PastStep("visit", t, centre, reason="电话回访", data={"satisfaction": satisfaction}))
    if steps and steps[-1].transition == "visit" and steps[-1].at >= now:
        steps.pop()  # not yet visited
    if steps and steps[-1].at >= now:  # history ends before "today"
        return None
    return steps, supervised


# -- plausible places -----------------------------------------------------------------------------------

#: Roughly 禹州市 (WGS-84): demo points are kept inside it.
EXTENT = ((33.95, 34.40), (113.10, 113.70))
CITY_CENTRE = (34.140, 113.485)


def unit_hash(text: str, salt: str) -> float:
    """A deterministic number in [0, 1) from a text."""
    return int(hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()[:8], 16) / 0x100000000


def offset_km(lat: float, lng: float, key: str, km: float) -> tuple[float, float]:
    """A point within ``km`` of (lat, lng), the same for the same ``key``."""
    angle = 2 * math.pi * unit_hash(key, "a")
    dist = km * math.sqrt(unit_hash(key, "r"))
    return (lat + dist / 111.0 * math.sin(angle),
            lng + dist / (111.0 * math.cos(math.radians(lat))) * math.cos(angle))


class Scatter:
    """Demo points for registers: near the record's place, at its region's centre (``core.RegionGeo``,
    or its nearest enclosing region's; the demo's ``analytics.places`` step loads them before the
    domains' steps), else anywhere in the city; deterministic by key and kept inside ``EXTENT``."""

    def __init__(self) -> None:
        self.centres = {code: (lat, lng) for code, lat, lng in RegionGeo.objects.values_list("region_id", "lat", "lng")}
        self.parents = dict(Region.objects.filter(level__gte=2).values_list("code", "parent_id"))

    def centre(self, code: str) -> tuple[tuple[float, float], float]:
        """(centre, km to scatter within): a region's own centre, an ancestor's a little wider."""
        spread = 0.0
        node: str | None = code
        while node:
            if node in self.centres:
                return self.centres[node], spread
            node, spread = self.parents.get(node), spread + 2.5
        return CITY_CENTRE, 18.0

    def near(self, code: str, key: str, km: float = 1.0) -> tuple[Decimal, Decimal]:
        """(latitude, longitude) with six places, within about ``km`` of the place ``code``; nearer
        to it where the first try falls outside the city (no pile of points on its edge)."""
        centre, wider = self.centre(code)
        (lo_lat, hi_lat), (lo_lng, hi_lng) = EXTENT
        for share in (1.0, 0.5, 0.25, 0.0):
            lat, lng = offset_km(*centre, f"{code}:{key}", (km + wider) * share)
            if lo_lat <= lat <= hi_lat and lo_lng <= lng <= hi_lng:
                break
        return (Decimal(f"{min(max(lat, lo_lat), hi_lat):.6f}"), Decimal(f"{min(max(lng, lo_lng), hi_lng):.6f}"))
