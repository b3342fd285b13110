"""The crackdown part of the Yuzhou demo world (2020, "today" 2020-12-10).

What the city reported for 2020 (the seed article): 1,099 reported clues verified; 2 黑社会性质组织,
8 恶势力犯罪集团 and 5 恶势力犯罪团伙 broken up; 1,042 suspects caught; about 220 million yuan of assets
frozen or seized; 181 officials handled; 86 三书一函 issued; 82 candidates disqualified in the joint
review. The builder plans records that add up to these; the platform's indicators count the records.

Clues and 三书一函 run on the case engine (imported with their steps: 受理, 交办 to the 公安局 or a
department, 反馈, 核查办结), a few still open today. Deterministic and idempotent (nothing is added when
2020's clues exist); written through the domain's import actions.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from anmin.core.actors import SYSTEM
from anmin.core.i18n import source_text
from anmin.core.models import OrgUnit, Region, User
from anmin.core.models.orgs import OrgKind
from anmin.core.protected import make_id_number
from anmin.people.names import person_name
from anmin.workflow.actions import PastCase, PastStep
from anmin.workflow.kit import demo as kit

from .actions import PastClue, PastNotice, PastRecords, import_clues, import_notices, import_records, set_up_tip_key
from .models import (
    REVIEW_DEPARTMENTS,
    Asset,
    AssetMeasure,
    Candidate,
    Clue,
    ClueCategory,
    ClueResult,
    ClueSource,
    CrimeOrg,
    Industry,
    NoticeKind,
    Official,
    OfficialKind,
    OfficialMeasure,
    OrgStage,
    OrgType,
    Suspect,
    SuspectStatus,
    TipKey,
)
from .workflows import CLUE, CRACKDOWN, NOTICE

YEAR = 2020
DEMO_NOW = dt.datetime(2020, 12, 10, 9, 0, tzinfo=kit.SHANGHAI)
PLAN = {
    "clues_verified": 1099, "clues_open": 37, "orgs": {OrgType.MAFIA: 2, OrgType.EVIL_GROUP: 8, OrgType.EVIL_GANG: 5},
    "suspects": 1042, "assets_yuan": 220_460_000, "officials": 181, "notices": 86, "notices_open": 9,
    "candidates_rejected": 82, "candidates_passed": 640,
}
RESULT_WEIGHTS = {ClueResult.VERIFIED: 18, ClueResult.PARTLY: 12, ClueResult.UNFOUNDED: 62, ClueResult.TRANSFERRED: 8}
SOURCE_WEIGHTS = {ClueSource.PHONE: 30, ClueSource.LETTER: 10, ClueSource.ONLINE: 25, ClueSource.HIGHER: 20,
                  ClueSource.PATROL: 8, ClueSource.DEPARTMENT: 7}
WHAT = {
    Industry.CONSTRUCTION: "在工程建设领域强揽工程、阻工滋扰", Industry.TRANSPORT: "在客运线路欺行霸市、暴力垄断",
    Industry.RESOURCES: "非法采砂、强占矿产资源", Industry.RURAL: "把持村务、欺压群众",
    Industry.FINANCE: "放高利贷并暴力催收", Industry.OTHER: "寻衅滋事、聚众斗殴",
}
REFUSALS = ("有犯罪前科，受过刑事处罚", "涉黑涉恶，正在接受调查", "违反计划生育政策未处理完毕", "长期缠访闹访",
            "受过党纪处分未满期限", "拖欠集体资金拒不归还")


def _office_user() -> User | None:
    return User.objects.filter(roles__code=CRACKDOWN, is_active=True).order_by("pk").first()


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _clues(rng, townships, office, police) -> list[PastClue]:
    industries = list(WHAT)
    items = []
    n_done, n_open = PLAN["clues_verified"], PLAN["clues_open"]
    for i in range(n_done + n_open):
        done = i < n_done
        township = rng.choice(townships)
        industry = rng.choice(industries)
        if done:
            opened = kit.at(_day(rng, dt.date(YEAR, 1, 2), dt.date(YEAR, 10, 31)), rng, 8, 17)
        else:
            opened = kit.at(dt.date(YEAR, 12, 9) - dt.timedelta(days=rng.randint(1, 25)), rng, 8, 17)
        accepted = opened + dt.timedelta(hours=rng.randint(1, 20))
        assigned = accepted + dt.timedelta(hours=rng.randint(1, 24))
        steps = [PastStep("accept", accepted, office), PastStep("assign", assigned, office, target_org=police)]
        result = kit.pick(rng, RESULT_WEIGHTS) if done else ""
        concluded = None
        if done:
            fed_back = assigned + dt.timedelta(days=rng.randint(5, 27), hours=rng.randint(0, 8))
            closed = fed_back + dt.timedelta(days=rng.randint(0, 2), hours=rng.randint(1, 6))
            steps += [PastStep("feedback", fed_back, None, data={"result": f"核查结果：{result.label}"}),
                      PastStep("verify_pass", closed, office)]
            concluded = fed_back.date()
        source = kit.pick(rng, SOURCE_WEIGHTS)
        what = WHAT[industry]
        items.append(PastClue(
            case=PastCase(kind=CLUE.code, title=f"反映{township.name}有人{what}", region_id=township.code,
                          opened_at=opened, steps=steps, reporter=office, source=source_text(source.label),
                          description=f"群众反映{township.name}有人{what}，请予核查。", center_org=office.org_unit),
            source=source, category=rng.choice([ClueCategory.MAFIA, ClueCategory.EVIL, ClueCategory.EVIL,
                                                ClueCategory.UMBRELLA, ClueCategory.OTHER]),
            received_on=opened.date(), result=result, industry=industry, concluded_on=concluded,
            result_note="经核查，" + ("反映问题属实，已依法处理" if result in (ClueResult.VERIFIED, ClueResult.PARTLY)
                                   else "已按程序办理") if done else ""))
    items.sort(key=lambda c: c.case.opened_at)
    return items


def _notices(rng, townships, office, units) -> list[PastNotice]:
    kinds = list(NoticeKind)
    items = []
    for i in range(PLAN["notices"]):
        done = i >= PLAN["notices_open"]
        township = rng.choice(townships)
        unit = rng.choice(units)
        industry = rng.choice(list(Industry))
        if done:
            opened = kit.at(_day(rng, dt.date(YEAR, 2, 1), dt.date(YEAR, 10, 15)), rng, 9, 17)
        else:
            opened = kit.at(dt.date(YEAR, 12, 9) - dt.timedelta(days=rng.randint(2, 20)), rng, 9, 17)
        assigned = opened + dt.timedelta(hours=rng.randint(1, 6))
        steps = [PastStep("accept", opened + dt.timedelta(minutes=30), office),
                 PastStep("assign", assigned, office, target_org=unit)]
        reply, replied = "", None
        if done:
            replied_at = assigned + dt.timedelta(days=rng.randint(7, 28))
            reply = "已制定整改方案，建立长效监管机制，相关问题整改到位。"
            steps += [PastStep("feedback", replied_at, None, data={"result": reply}),
                      PastStep("verify_pass", replied_at + dt.timedelta(days=1), office)]
            replied = replied_at.date()
        kind = kinds[i % len(kinds)]
        label = Industry(industry).label
        items.append(PastNotice(
            case=PastCase(kind=NOTICE.code, title=f"关于{label}领域监管漏洞的{kind.label}", region_id=township.code,
                          opened_at=opened, steps=steps, reporter=office, source=source_text(kind.label),
                          description=f"{township.name}{label}领域存在监管漏洞", center_org=office.org_unit),
            notice_kind=kind, issuer={"judicial": "禹州市人民法院", "procuratorial": "禹州市人民检察院",
                                      "police": "禹州市公安局", "supervision": "禹州市监察委员会"}[kind],
            problem=f"办理涉黑涉恶案件中发现{label}领域行业监管存在漏洞。",
            recommendation="建议加强行业监管，建立健全长效机制。", issued_on=opened.date(), industry=industry,
            reply=reply, replied_on=replied))
    items.sort(key=lambda n: n.case.opened_at)
    return items


def _split(total: int, parts: int, rng: random.Random, low: int = 1) -> list[int]:
    """``total`` in ``parts`` positive integers (random, deterministic)."""
    cuts = sorted(rng.sample(range(1, total - parts * (low - 1)), parts - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total - parts * (low - 1)], strict=True)]
    return [s + low - 1 for s in sizes]


class _IdNumbers:
    """Well-formed ID numbers for the demo's suspects (men and women of 18 to 60 in 2020, born in 禹州),
    each once: the registers show them masked and reveal them with a reason, as for real records."""

    def __init__(self) -> None:
        self.rng = random.Random("crackdown-id-numbers")
        self.n = 0

    def next(self, male: bool) -> str:
        self.n += 1
        born = dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randint(0, 42 * 365))
        return make_id_number(birth_date=born, sequence=(self.n * 2) % 1000, sex="1" if male else "2")


def _records(rng, townships, villages) -> PastRecords:
    rec = PastRecords()
    org_specs = [(t, k) for t, k in PLAN["orgs"].items() for k in range(k)]
    for _n, (org_type, _k) in enumerate(org_specs):
        township = rng.choice(townships)
        boss = person_name(rng, male=True)
        rec.orgs.append(CrimeOrg(
            name=f"{boss}{OrgType(org_type).label}", org_type=org_type, region=township,
            stage=rng.choice([OrgStage.PROSECUTION, OrgStage.TRIAL, OrgStage.JUDGED, OrgStage.INVESTIGATION]),
            broken_on=_day(rng, dt.date(YEAR, 1, 10), dt.date(YEAR, 11, 20)),
            summary=f"以{boss}为首，{rng.choice(list(WHAT.values()))}。"))
    in_orgs = 260  # members of the organisations; the rest are other suspects of the nine kinds of crime
    ids = _IdNumbers()  # a generator of its own: the records' other draws stay as they were
    for idx, size in enumerate(_split(in_orgs, len(rec.orgs), rng, low=5)):
        org = rec.orgs[idx]
        for j in range(size):
            caught = org.broken_on + dt.timedelta(days=rng.randint(0, 10))
            male = rng.random() < 0.9
            rec.suspects.append((idx, Suspect(
                region=org.region, name=person_name(rng, male=male), id_number=ids.next(male),
                role_in_org="组织者" if j == 0 else ("骨干成员" if j < 4 else "一般成员"),
                status=rng.choice([SuspectStatus.CAUGHT, SuspectStatus.PROSECUTED, SuspectStatus.SENTENCED]),
                caught_on=min(caught, dt.date(YEAR, 12, 9)))))
    for _ in range(PLAN["suspects"] - in_orgs):
        region = rng.choice(townships)
        male = rng.random() < 0.85
        rec.suspects.append((None, Suspect(
            region=region, name=person_name(rng, male=male), id_number=ids.next(male),
            status=rng.choice([SuspectStatus.CAUGHT, SuspectStatus.PROSECUTED]),
            caught_on=_day(rng, dt.date(YEAR, 1, 5), dt.date(YEAR, 12, 9)))))
    per_org = _split(PLAN["assets_yuan"] // 10_000, len(rec.orgs), rng, low=100)  # in 万元
    for idx, wan in enumerate(per_org):
        org = rec.orgs[idx]
        for part, (what, measure) in zip(_split(wan, 3, rng), (("银行存款", AssetMeasure.FROZEN),
                                                                  ("房产、车辆", AssetMeasure.SEIZED),
                                                                  ("股权", AssetMeasure.FROZEN)), strict=True):
            rec.assets.append((idx, Asset(region=org.region, description=what, measure=measure,
                                          value=Decimal(part * 10_000), on=org.broken_on)))
    kinds = list(OfficialKind)
    for i in range(PLAN["officials"]):
        idx = rng.randrange(len(rec.orgs)) if i < 40 else None
        rec.officials.append((idx, Official(
            name=person_name(rng, male=rng.random() < 0.8), unit=rng.choice(["乡镇干部", "村党支部书记", "派出所民警",
                                                                          "行业主管部门工作人员"]),
            region=rng.choice(townships), kind=kinds[i % 3], measure=rng.choice(list(OfficialMeasure)),
            handled_on=_day(rng, dt.date(YEAR, 1, 15), dt.date(YEAR, 12, 8)))))
    depts = [code for code, _label in REVIEW_DEPARTMENTS]
    total = PLAN["candidates_rejected"] + PLAN["candidates_passed"]
    for i in range(total):
        rejected = i < PLAN["candidates_rejected"]
        checks = {d: {"ok": True, "reason": ""} for d in depts}
        reason = ""
        if rejected:
            reason = rng.choice(REFUSALS)
            checks[rng.choice(depts)] = {"ok": False, "reason": reason}
        rec.candidates.append(Candidate(
            region=rng.choice(villages), election_year=2021, name=person_name(rng, male=rng.random() < 0.7),
            checks=checks, disqualified=rejected, reason=reason,
            reviewed_on=_day(rng, dt.date(YEAR, 11, 1), dt.date(YEAR, 12, 8))))
    return rec


# The demo's passphrase of the 扫黑办's tip key (printed by ``anmin demo``; a real office sets its own
# with ``anmin tipkey generate`` or on the 举报加密密钥 page).
DEMO_TIP_PASSPHRASE = "Anmin@2020-saohei"  # noqa: S105


def _tip_key() -> int:
    if TipKey.objects.exists():
        return 0
    set_up_tip_key(actor=SYSTEM, passphrase=DEMO_TIP_PASSPHRASE)
    return 1


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    keys = _tip_key()
    if Clue.objects.filter(case__opened_at__year=YEAR).exists():
        return {"crackdown_clues": 0, "crackdown_tip_keys": keys}
    office = _office_user()
    police = OrgUnit.objects.filter(kind=OrgKind.POLICE_BUREAU).order_by("pk").first()
    if office is None or police is None:
        return {"crackdown_clues": 0}
    rng = random.Random("crackdown-2020")
    townships = list(Region.objects.townships().order_by("code"))
    villages = list(Region.objects.villages().order_by("code"))
    units = list(OrgUnit.objects.filter(kind__in=[OrgKind.EDUCATION, OrgKind.CIVIL_AFFAIRS, OrgKind.HEALTH,
                                                  OrgKind.POLICE_BUREAU, OrgKind.DEPARTMENT]).order_by("pk"))
    clues = import_clues(_clues(rng, townships, office, police), actor=SYSTEM, note="演示环境：2020年涉黑涉恶线索")
    notices = import_notices(_notices(rng, townships, office, units or [police]), actor=SYSTEM,
                             note="演示环境：2020年三书一函")
    counts = import_records(_records(rng, townships, villages), actor=SYSTEM, note="演示环境：2020年扫黑除恶台账")
    return {"crackdown_clues": len(clues), "crackdown_notices": len(notices), "crackdown_tip_keys": keys,
            **{f"crackdown_{k}": v for k, v in counts.items()}}
