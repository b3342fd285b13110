"""The campaigns part of the Yuzhou demo world (2020, with 2019 for comparison).

Records sized so the platform computes the seed's figures: 630 valid 平安村(社区) designations (of
650 applications: 632 named, 2 of them revoked, 18 refused), 2 平安商场, 3 平安校园; the 24 June
集中宣传活动 at 夏禹公园 (100 pictures on 7 themes, 5 programmes, 15,200 leaflets, 605 booklets, 3,060
gifts) beside a township's theme month that the focus figures do not count; 5,600 households insured
under 综治保险 across all 26 townships; counsellors, crisis teams and sessions; 11 practice reports of
9 townships in 政法工作专报. Deterministic and idempotent (nothing is added when 2020's records exist).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from anmin.core.actors import SYSTEM
from anmin.core.models import Region
from anmin.people.names import person_name

from . import actions
from .models import (
    CampaignKind,
    CounsellingSession,
    Counsellor,
    CounsellorKind,
    Designation,
    DesignationKind,
    DesignationStatus,
    InsuredHousehold,
    MaterialKind,
    PracticeReport,
)
from .registries import COUNSELLORS, DESIGNATIONS, HOUSEHOLDS, REPORTS

YEAR = 2020
TODAY = dt.date(2020, 12, 10)
S = DesignationStatus


def as_records(objs, registry) -> list[dict]:
    """Unsaved rows as the records the registry kit's bulk import takes."""
    return [{"region": o.region_id, "status": o.status, **{f: getattr(o, f) for f in registry.fields}} for o in objs]
THEMES = {"政策法规": 15, "政法工作": 15, "扫黑除恶": 14, "防诈工作": 14, "平安交通": 14, "校园安全": 14,
          "消防救援": 14}
PROGRAMMES = ("“禹州平安”歌曲", "“致扫黑除恶”诗词朗诵", "“预防电信诈骗”小品", "“平安禹州”快板", "“反邪教”情景剧")
GIFTS = {"纸抽": 800, "手提袋": 900, "雨伞": 600, "茶杯": 760}
PRACTICES = [  # (township, title, month, reprinted in)
    ("颍川街道", "画好“四圈”同心圆 共治共享文明颍川", 4, "许昌日报、“学习强国”"),
    ("夏都街道", "“红色物业”激活城市基层治理", 5, ""),
    ("韩城街道", "“三姐矛盾调解之家”让矛盾不出社区", 6, "许昌日报"),
    ("神垕镇", "古镇“平安商户联盟”守护千年钧瓷之乡", 6, ""),
    ("古城镇", "“一村一警一法律顾问”织密平安网", 7, ""),
    ("鸿畅镇", "“积分超市”激发群众参与平安建设", 8, ""),
    ("颍川街道", "寨子社区“大伟说事”说出和谐邻里", 9, "河南法制报"),
    ("方山镇", "山区“护路联防”守护高铁安全", 9, ""),
    ("浅井镇", "“四议两公开”推进村级事务阳光运行", 10, ""),
    ("朱阁镇", "网格员“五必访”打通服务群众最后一米", 11, ""),
    ("古城镇", "“巡逻+调解”群防群治新模式", 11, ""),
]


def _villages_by_township() -> dict[str, list[Region]]:
    out: dict[str, list[Region]] = {}
    for v in Region.objects.villages().order_by("code"):
        out.setdefault(v.parent_id, []).append(v)
    return out


def _designations(rng: random.Random, city: Region, townships: list[Region], villages: list[Region]) -> list:
    rows = []

    def add(kind, year, region, subject, status, applied, score=None):
        decided = applied + dt.timedelta(days=rng.randint(60, 120)) if status != S.APPLIED else None
        rows.append(Designation(
            kind=kind, year=year, region=region, subject=subject, status=status, applied_on=applied,
            score=score, assessed_on=decided - dt.timedelta(days=10) if decided else None,
            decided_on=decided if status in (S.DESIGNATED, S.REFUSED, S.REVOKED) else None,
            revoked_on=dt.date(year, 11, rng.randint(1, 30)) if status == S.REVOKED else None,
            revoke_reason="年内发生重大安全事故，按“一票否决”撤销命名" if status == S.REVOKED else ""))

    for year, named, revoked, refused in ((2019, 598, 1, 20), (YEAR, 632, 2, 18)):
        picked = rng.sample(villages, named + refused)
        for i, v in enumerate(picked):
            status = S.REFUSED if i >= named else (S.REVOKED if i < revoked else S.DESIGNATED)
            score = Decimal(rng.randint(60, 79) if status == S.REFUSED else rng.randint(85, 99))
            add(DesignationKind.SAFE_VILLAGE, year, v, v.name, status, dt.date(year, 3, rng.randint(1, 31)), score)
    subdistricts = [t for t in townships if t.name.endswith("街道")]
    for i, name in enumerate(("丹尼斯百货禹州店", "禹州万达广场", "禹州市百货大楼")):
        add(DesignationKind.SAFE_MALL, YEAR, subdistricts[i % len(subdistricts)], name,
            S.REFUSED if i == 2 else S.DESIGNATED, dt.date(YEAR, 4, 10), Decimal(78 if i == 2 else 92))
    for i, name in enumerate(("禹州市第一高级中学", "禹州市实验学校", "禹州市颍川街道中心小学", "禹州市第二幼儿园")):
        add(DesignationKind.SAFE_CAMPUS, YEAR, subdistricts[i % len(subdistricts)], name,
            S.REFUSED if i == 3 else S.DESIGNATED, dt.date(YEAR, 4, 15), Decimal(75 if i == 3 else 94))
    for v in rng.sample(villages, 45):
        add(DesignationKind.PETITION_VILLAGE, YEAR, v, v.name, S.DESIGNATED, dt.date(YEAR, 5, 8),
            Decimal(rng.randint(88, 98)))
    # Applications of the year still waiting for the assessment.
    for v in rng.sample(villages, 6):
        if not any(r.region_id == v.code and r.year == YEAR and r.kind == DesignationKind.PETITION_VILLAGE
                   for r in rows):
            add(DesignationKind.PETITION_VILLAGE, YEAR, v, v.name, S.APPLIED, dt.date(YEAR, 11, 20))
    return rows


def _households(rng: random.Random, by_township: dict[str, list[Region]], year: int, total: int) -> list:
    codes = sorted(by_township)
    # Every township insures some households; the rest spread by the number of villages.
    counts = dict.fromkeys(codes, 40)
    weights = [len(by_township[c]) for c in codes]
    for code in rng.choices(codes, weights=weights, k=total - 40 * len(codes)):
        counts[code] += 1
    rows, n = [], 0
    for code in codes:
        for _i in range(counts[code]):
            n += 1
            rows.append(InsuredHousehold(
                region=rng.choice(by_township[code]), year=year, householder=person_name(rng, male=rng.random() < 0.8),
                policy_no=f"ZZBX{year}{n:06d}", insured_on=dt.date(year, rng.randint(3, 11), rng.randint(1, 28)),
                premium=Decimal("20.00")))
    return rows


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    actions.ensure_criteria()
    if Designation.objects.filter(year=YEAR).exists():
        return {"designations": 0, "households": 0, "campaigns": 0, "reports": 0}
    rng = random.Random("campaigns-2020")
    city = Region.objects.filter(level=1).order_by("code").first()
    townships = list(Region.objects.townships().order_by("code"))
    by_name = {t.name: t for t in townships}
    by_township = _villages_by_township()
    villages = [v for vs in by_township.values() for v in vs]

    designations = actions.import_designations(
        records=as_records(_designations(rng, city, townships, villages), DESIGNATIONS), actor=SYSTEM,
        note="演示环境：平安创建命名（2019—2020年）")
    households = sum(len(actions.import_households(
        records=as_records(_households(rng, by_township, year, n), HOUSEHOLDS), actor=SYSTEM,
        note=f"演示环境：{year}年综治保险参保农户")) for year, n in ((2019, 4_300), (YEAR, 5_600)))

    focus = [(MaterialKind.PICTURE, theme, n) for theme, n in THEMES.items()]
    focus += [(MaterialKind.PROGRAMME, p, 1) for p in PROGRAMMES]
    focus += [(MaterialKind.LEAFLET, "平安建设宣传彩页", 9_000),
              (MaterialKind.LEAFLET, "防范电信网络诈骗宣传彩页", 6_200),
              (MaterialKind.BOOKLET, "平安建设知识手册", 605)]
    focus += [(MaterialKind.GIFT, g, n) for g, n in GIFTS.items()]
    actions.record_campaign(
        actor=SYSTEM, title="2020年平安建设集中宣传活动", kind=CampaignKind.FOCUS, region=city,
        held_on=dt.date(YEAR, 6, 24), place="夏禹公园", organiser="市平安办",
        summary="以快闪形式展演节目，展出政策法规、政法工作、扫黑除恶、防诈工作、平安交通、校园安全、消防救援七个方面的精选图片",
        materials=focus)
    actions.record_campaign(
        actor=SYSTEM, title="防溺水主题宣传月", kind=CampaignKind.THEME_MONTH,
        region=by_name.get("古城镇", townships[0]),
        held_on=dt.date(YEAR, 7, 3), place="古城镇中心小学", organiser="古城镇综治中心",
        materials=[(MaterialKind.LEAFLET, "防溺水安全告家长书", 2_000), (MaterialKind.GIFT, "防溺水宣传扇", 300)])

    counsellors = []
    for t in townships:
        for _i in range(2):
            counsellors.append(Counsellor(name=person_name(rng, male=rng.random() < 0.4), kind=CounsellorKind.SCHOOL,
                                          region=t, workplace=f"{t.name}中心学校", full_time=False))
    for i in range(18):
        counsellors.append(Counsellor(
            name=person_name(rng, male=rng.random() < 0.5),
            kind=CounsellorKind.DOCTOR if i < 6 else CounsellorKind.COUNSELLOR,
            region=by_name.get("颍川街道", townships[0]),
            full_time=i < 10,
            workplace="禹州市精神病医院" if i < 6 else "市社会心理服务指导中心",
            crisis_team="新冠肺炎疫情心理救援医疗队" if i < 12 else "新冠肺炎疫情心理危机干预领导小组"))
    actions.import_counsellors(records=as_records(counsellors, COUNSELLORS), actor=SYSTEM,
                               note="演示环境：心理服务人员")
    saved = list(Counsellor.objects.order_by("pk"))
    topics = ("疫情期间心理疏导热线", "中小学生心理健康讲座", "社区心理健康咨询", "重点人群心理危机干预")
    sessions = []
    for _i in range(max(10, round(240 * scale))):
        c = rng.choice(saved)
        sessions.append(CounsellingSession(counsellor=c, region_id=c.region_id, topic=rng.choice(topics),
                                           held_on=dt.date(YEAR, rng.randint(1, 11), rng.randint(1, 28)),
                                           people=rng.randint(1, 60)))
    actions.import_sessions(sessions, actor=SYSTEM, note="演示环境：心理服务记录")

    reports = [PracticeReport(title=title, region=by_name[township], issue=f"{YEAR}年第{i + 1}期",
                              published_on=dt.date(YEAR, month, rng.randint(1, 28)), reprinted_in=reprint)
               for i, (township, title, month, reprint) in enumerate(PRACTICES) if township in by_name]
    actions.import_reports(records=as_records(reports, REPORTS), actor=SYSTEM,
                           note="演示环境：政法工作专报刊发")
    return {"designations": len(designations),
            "households": households, "campaigns": 2, "reports": len(reports)}
