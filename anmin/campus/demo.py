"""The campus part of the Yuzhou demo world (autumn term 2020).

A middle school in every township, a primary school in about half the villages and a kindergarten in
about a third, each with a point near its village; the 五个100% check of both 2020 terms (a few
schools short of an item — they make the gap list), two 护学岗 posts per school with the last week's
check-ins, and incidents around schools.
Deterministic and idempotent (nothing is added when schools exist).
"""

from __future__ import annotations

import datetime as dt
import random

from anmin.core.actors import SYSTEM
from anmin.core.models import Region
from anmin.people.names import person_name
from anmin.workflow.kit import demo as kit

from . import actions
from .coverage import five_items
from .models import CampusIncident, GuardCheckin, GuardPost, IncidentKind, Peak, SafetyCheck, School, SchoolKind
from .registries import POSTS, SCHOOLS

YEAR = 2020
TODAY = dt.date(2020, 12, 10)
GAP_SHARE = 0.04


def as_records(objs, registry) -> list[dict]:
    """Unsaved rows as the records the registry kit's bulk import takes."""
    return [{"region": o.region_id, "status": o.status, **{f: getattr(o, f) for f in registry.fields}} for o in objs]


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    if School.objects.exists():
        return {"schools": 0, "checks": 0, "posts": 0}
    rng = random.Random("campus-2020")
    places = kit.Scatter()
    schools = []
    for t in Region.objects.townships().order_by("code"):
        villages = list(Region.objects.villages().filter(parent=t).order_by("code"))
        if not villages:
            continue
        short = t.name.removesuffix("街道").removesuffix("回族乡").removesuffix("镇").removesuffix("乡")
        schools.append(School(name=f"禹州市{short}一中", kind=SchoolKind.MIDDLE, region=villages[0],
                              students=rng.randint(800, 2500), guards=rng.randint(3, 6)))
        for v in villages:
            if rng.random() < 0.5 * scale or v is villages[0]:
                schools.append(School(name=f"{v.name}小学", kind=SchoolKind.PRIMARY, region=v,
                                      students=rng.randint(120, 900), guards=rng.randint(1, 3)))
            if rng.random() < 0.33 * scale:
                schools.append(School(name=f"{v.name}幼儿园", kind=SchoolKind.KINDERGARTEN, region=v,
                                      students=rng.randint(40, 300), guards=1))
    for s in schools:  # near its village, by name: the same point on every run
        s.latitude, s.longitude = places.near(s.region_id, s.name, km=1.0)
    actions.import_schools(records=as_records(schools, SCHOOLS), actor=SYSTEM, note="演示环境：学校(幼儿园)台账")
    saved = list(School.objects.order_by("pk"))
    codes = [c for c, _n in five_items()]
    checks = []
    for s in saved:
        for term, day in (("2020-1", dt.date(YEAR, 5, 20)), ("2020-2", dt.date(YEAR, 9, 15))):
            items = list(codes)
            if rng.random() < GAP_SHARE * (2 if term == "2020-1" else 1):
                items.remove(rng.choice(codes[1:]))
            checks.append(SafetyCheck(school=s, region_id=s.region_id, term=term, items=items,
                                      checked_on=day + dt.timedelta(days=rng.randint(0, 20)),
                                      checked_by="市教育局、公安局联合检查组"))
    actions.import_checks(checks, actor=SYSTEM, note="演示环境：五个100%检查（2020年两个学期）")
    posts = []
    for s in saved:
        if s.kind == SchoolKind.KINDERGARTEN:
            continue
        for peak in (Peak.MORNING, Peak.EVENING):
            posts.append(GuardPost(school=s, region_id=s.region_id, place="校门口", peak=peak,
                                   on_duty=f"民警 {person_name(rng, male=True)}、"
                                           f"教师 {person_name(rng, male=rng.random() < 0.5)}",
                                   unit="派出所、学校"))
    actions.import_posts(records=as_records(posts, POSTS), actor=SYSTEM, note="演示环境：平安护学岗")
    checkins = []
    days = [TODAY - dt.timedelta(days=d) for d in range(1, 10) if (TODAY - dt.timedelta(days=d)).weekday() < 5][:5]
    for p in GuardPost.objects.order_by("pk"):
        for day in days:
            if rng.random() < 0.95:
                hour = 7 if p.peak == Peak.MORNING else 17
                checkins.append(GuardCheckin(post=p, region_id=p.region_id, at=kit.at(day, rng, hour, hour + 1)))
    actions.import_checkins(checkins, actor=SYSTEM, note="演示环境：护学岗签到（近一周）")
    incidents = []
    texts = {
        IncidentKind.TRAFFIC: ("放学时段校门口电动车与学生刮擦", "交警到场处置，已增设减速带"),
        IncidentKind.VIOLENCE: ("学生课间发生推搡", "学校联合派出所教育调解，通知家长"),
        IncidentKind.INTRUSION: ("社会闲散人员在校门口逗留滋扰", "护学岗民警劝离并登记"),
        IncidentKind.VENDOR: ("校门口流动摊贩售卖三无食品", "市场监管所取缔"),
        IncidentKind.VENUE: ("网吧违规接纳未成年人", "文化执法部门查处"),
    }
    for _i in range(max(5, round(80 * scale))):
        s = rng.choice(saved)
        kind = rng.choice(list(texts))
        incidents.append(CampusIncident(
            school=s, region_id=s.region_id,
            occurred_on=kit.day_in_year(rng, YEAR, TODAY, [2, 1, 4, 5, 6, 5, 1, 1, 7, 6, 6, 2]),
            kind=kind, description=texts[kind][0], handling=texts[kind][1], resolved=True))
    actions.import_incidents(incidents, actor=SYSTEM, note="演示环境：校园周边案(事)件")
    return {"schools": len(saved), "checks": len(checks), "posts": len(posts), "checkins": len(checkins)}
