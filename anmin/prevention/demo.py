"""The prevention part of the demo world (Yuzhou, 2020), sized so the platform reports the seed
article's figures from records: cameras by programme and place kind (each near its village on the
map), monitoring platforms, the 雪亮工程 points being built, a patrol team of every township (≥ 15)
and village (≥ 10), the police officer and legal adviser of every village with their activity, and
the police stations' monthly activity. Everything is written in bulk through the registries' import
actions (one audit entry per batch), deterministic (seeded) and idempotent (a second run adds nothing)."""

from __future__ import annotations

import datetime as dt
import random

from anmin.core.actors import SYSTEM
from anmin.core.i18n import source_text
from anmin.core.models import Region
from anmin.workflow.kit import demo as kit

from . import actions
from .models import Camera, LiaisonActivity, PlaceKind, PoliceActivity, Programme

YEAR = 2020
# (programme, place kind, how many cameras, channels each): 平安乡镇 462 路, 平安城市 1,220 路,
# 平安校园 4,255 路; new communities 2,000+ cameras, old communities 4,100+; ~15,000 路 in all.
CAMERA_PLAN = (
    ("township", "crossing", 462, 1),
    ("city", "crossing", 1220, 1),
    ("campus", "school", 4255, 1),
    ("community", "new_community", 2016, 1),
    ("community", "old_community", 4128, 1),
    ("social", "road", 3045, 1),
)
PLATFORMS = (("new_community", 68), ("old_community", 76))
PLANNED_POINTS, PLANNED_CHANNELS = 1042, 3  # 3,126 路 of 雪亮工程 being built, due March 2021
PLANNED_DUE = dt.date(2021, 3, 31)
OFFLINE_SHARE = 0.03
# 大走访 / 百万警进千万家, to early December: residents visited, disputes resolved, suspects caught, served.
POLICE_TOTALS = {"visits": 703_518, "disputes_resolved": 302, "suspects_caught": 1938, "people_served": 27_436}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国伟芳军红明华平丽强敏静磊洋勇艳杰娟涛超秀英霞刚"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` shared out over ``parts`` with some spread, summing exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    s = sum(weights)
    shares = [int(total * w / s) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def camera_name(village: str, programme: str, kind: str, n: int) -> str:
    """A point's name as a ledger writes one (大北村委会平安城市路口监控0554), in words: not the codes of
    its programme and place (it read 大北村委会Cci-0554). One per programme, place and number; in the
    source language whatever language is active (a stored name: ``core.i18n.source_text``)."""
    return f"{village}{source_text(Programme(programme).label)}{source_text(PlaceKind(kind).label)}监控{n:04d}"


def build_cameras(rng: random.Random, villages: list[Region]) -> dict[str, int]:
    records, at = [], dt.datetime(YEAR, 12, 1, 8, tzinfo=dt.UTC)
    places = kit.Scatter()
    for programme, kind, n, channels in CAMERA_PLAN:
        offset = len(records)
        for i in range(n):
            v = villages[(i * 7 + offset) % len(villages)]  # 7 is prime to 678: every village in turn
            offline = rng.random() < OFFLINE_SHARE
            name = camera_name(v.name, programme, kind, i + 1)
            latitude, longitude = places.near(v.code, name, km=1.5)
            records.append({
                "region": v.code, "name": name, "latitude": latitude, "longitude": longitude,
                "programme": programme, "place_kind": kind, "channels": channels,
                "built_on": dt.date(rng.choice((2016, 2017, 2018, 2019, 2020)), rng.randint(1, 11), 1),
                "status": "offline" if offline else "online",
                "status_since": at - dt.timedelta(days=rng.randint(1, 20)) if offline else at})
    made = actions.import_cameras(actor=SYSTEM, records=records, note="演示环境：视频监控点位台账")
    platforms = []
    for kind, n in PLATFORMS:
        for i in range(n):
            v = villages[(i * 11) % len(villages)]
            platforms.append({"region": v.code, "name": f"{v.name}{PlaceKind(kind).label}监控平台", "place_kind": kind})
    actions.import_platforms(actor=SYSTEM, records=platforms, note="演示环境：监控平台台账")
    points = [{"region": v.code, "name": f"{v.name}雪亮布点{i + 1}", "channels": PLANNED_CHANNELS,
               "due_on": PLANNED_DUE, "status": "building"}
              for i, v in enumerate(villages[j % len(villages)] for j in range(PLANNED_POINTS))]
    actions.import_points(actor=SYSTEM, records=points, note="演示环境：雪亮工程农村布点")
    return {"cameras": len(made), "platforms": len(platforms), "planned_points": len(points)}


def build_patrols(rng: random.Random, townships: list[Region], villages: list[Region]) -> dict[str, int]:
    teams = [{"region": t.code, "name": f"{t.name}治安巡逻队", "kind": "township", "leader": _name(rng)}
             for t in townships]
    teams += [{"region": v.code, "name": f"{v.name}治安巡逻队", "kind": "village", "leader": _name(rng)}
              for v in villages]
    teams += [{"region": villages[i * 17 % len(villages)].code, "name": f"平安志愿巡逻队{i + 1}",
               "kind": "volunteer", "leader": _name(rng)} for i in range(40)]
    made = actions.import_teams(actor=SYSTEM, records=teams, note="演示环境：群防群治巡逻队")
    members = []
    for team in made:
        n = {"township": rng.randint(15, 22), "village": rng.randint(10, 14), "volunteer": rng.randint(5, 30)}[
            team.kind]
        roles = {"township": ("cadre", "police"), "village": ("cadre", "villager"), "volunteer": ("volunteer",)}[
            team.kind]
        members += [{"region": team.region_id, "team": team, "name": f"{_name(rng)}{i + 1}",
                     "role": roles[i % len(roles)]} for i in range(n)]
    actions.import_members(actor=SYSTEM, records=members, note="演示环境：巡逻队员")
    return {"patrol_teams": len(made), "patrol_members": len(members)}


def build_liaisons(rng: random.Random, villages: list[Region]) -> dict[str, int]:
    records = []
    for i, v in enumerate(villages):
        station = f"{v.parent.name.removesuffix('镇').removesuffix('乡').removesuffix('街道')}派出所"
        records.append({"region": v.code, "kind": "police", "name": f"{_name(rng)}", "org_name": station})
        records.append({"region": v.code, "kind": "lawyer", "name": f"{_name(rng)}",
                        "org_name": f"禹州{'钧都颍川夏都大禹'[i % 4 * 2:i % 4 * 2 + 2]}律师事务所"})
    made = actions.import_liaisons(actor=SYSTEM, records=records, note="演示环境：一村一警、一村一法律顾问")
    acts = []
    for li in made:
        for _ in range(2):
            kind = rng.choice(("visit", "dispute")) if li.kind == "police" else rng.choice(("consultation", "lecture"))
            acts.append({"liaison": li, "kind": kind, "on": dt.date(YEAR, rng.randint(1, 11), rng.randint(1, 28)),
                         "people": rng.randint(1, 30)})
    actions.import_liaison_activities(actor=SYSTEM, records=acts, note="演示环境：驻村工作记录")
    return {"liaisons": len(made), "liaison_activities": len(acts)}


def build_police(rng: random.Random, townships: list[Region]) -> int:
    months = [dt.date(YEAR, m, 1) for m in range(1, 13)]
    cells = [(t, m) for t in townships for m in months]
    split = {f: _split(total, len(cells), rng) for f, total in POLICE_TOTALS.items()}
    records = []
    for i, (t, m) in enumerate(cells):
        name = t.name.removesuffix("镇").removesuffix("乡").removesuffix("街道")
        records.append({"region": t.code, "station": f"{name}派出所", "month": m,
                        **{f: split[f][i] for f in POLICE_TOTALS}})
    return actions.import_police_months(actor=SYSTEM, records=records, note="演示环境：警务活动月报")


def build(**_kwargs) -> dict[str, int]:
    rng = random.Random("prevention-2020")
    townships = list(Region.objects.townships().order_by("code"))
    villages = list(Region.objects.villages().select_related("parent").order_by("code"))
    if not villages:
        return {}
    out: dict[str, int] = {}
    if not Camera.objects.exists():
        out.update(build_cameras(rng, villages))
        out.update(build_patrols(rng, townships, villages))
    if not LiaisonActivity.objects.exists():
        out.update(build_liaisons(rng, villages))
    if not PoliceActivity.objects.exists():
        out["police_months"] = build_police(rng, townships)
    return out
