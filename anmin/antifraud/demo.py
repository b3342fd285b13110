"""The anti-fraud part of the Yuzhou demo world: 2020, "today" 2020-12-10 09:00.

Records that reproduce the seed article's figures when counted (``anmin kpis --year 2020``): 137
suspects under compulsory measures, 58 of them arrested and 43 sent for prosecution; 612 cases solved
(带破 included); 8,316 bank cards frozen; 8,968万元 involved and 213万元 returned to victims (the sums
of the cases filed in 2020, to the fen); 150 people dissuaded from warning leads — plus the other
outcomes, and a handful of leads live on the morning of 10 December (some past their minutes).

Deterministic and idempotent (nothing is added when 2020's cases exist); written through the import
actions (bulk, one audit entry per batch). The planned figures below are what the generator aims
at; the platform computes its figures from the records, and ``tests/test_demo.py`` checks them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from anmin.core import audit
from anmin.core.actors import SYSTEM
from anmin.core.codes import load_code_tables
from anmin.core.models import OrgUnit, Region, Role
from anmin.core.models.orgs import OrgKind
from anmin.core.protected import make_id_number
from anmin.people.names import person_name, phone_number
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase, PastStep
from anmin.workflow.kit import demo as kit

from .actions import PastFraudCase, PastLead, import_fraud_cases, import_past_leads
from .models import BlacklistEntry, CardKind, EntryKind, FraudCard, FraudCase, LeadOutcome
from .normalize import normalize
from .rules import Grader, Router, ensure_default_grade_rules
from .workflows import CONTACT_MINUTES, LEAD

YEAR = 2020
TODAY = dt.date(2020, 12, 10)
DEMO_NOW = dt.datetime(2020, 12, 10, 9, 0, tzinfo=kit.SHANGHAI)
# The seed's figures (what the records are generated to add up to).
SOLVED, ASSISTED, UNSOLVED = 612, 96, 240
MEASURES, ARRESTED, PROSECUTED, CAUGHT_ONLY = 137, 58, 43, 21
BANK_CARDS_FROZEN, BANK_CARDS_OPEN, PHONE_CARDS = 8316, 380, 1240
INVOLVED, RETURNED = Decimal("89680000.00"), Decimal("2130000.00")
OUTCOMES = {LeadOutcome.DISSUADED: 150, LeadOutcome.DEFRAUDED: 38, LeadOutcome.UNREACHABLE: 27,
            LeadOutcome.FALSE_ALARM: 64}
LIVE = (("critical", "dispatched", 4), ("critical", "dispatched", 25), ("high", "dispatched", 12),
        ("high", "contacting", 40), ("medium", "dispatched", 150), ("low", "dispatched", 300))
TYPE_WEIGHTS = {"01": 26, "02": 18, "03": 14, "04": 8, "05": 12, "06": 10, "07": 7, "99": 5}
GRADE_SHARE = {"critical": 8, "high": 27, "medium": 40, "low": 25}
ASSISTED_FOR = ("许昌市", "郑州市", "平顶山市", "漯河市", "周口市", "洛阳市")
DISSUADED_NOTE = "已告知对方系诈骗，四查看、三询问已完成"
MONTH_WEIGHTS = [7, 5, 8, 9, 9, 9, 9, 9, 9, 10, 10, 3]


def _split(total: Decimal, n: int, rng: random.Random, skew: float = 1.6) -> list[Decimal]:
    """``n`` positive sums in yuan adding up to ``total`` exactly (to the fen), long-tailed."""
    weights = [rng.paretovariate(skew) for _ in range(n)]
    scale = total / Decimal(str(sum(weights)))
    parts = [(Decimal(str(w)) * scale).quantize(Decimal("0.01")) for w in weights]
    parts[-1] += total - sum(parts)
    if parts[-1] <= 0:  # keep every part positive
        biggest = max(range(n), key=parts.__getitem__)
        parts[biggest] += parts[-1] - Decimal("100.00")
        parts[-1] = Decimal("100.00")
    return parts


def _day(rng: random.Random, lo: dt.date | None = None) -> dt.date:
    day = kit.day_in_year(rng, YEAR, TODAY, MONTH_WEIGHTS)
    if lo and day < lo:
        day = lo + dt.timedelta(days=rng.randint(0, max(0, (TODAY - lo).days - 1)))
    return min(day, TODAY - dt.timedelta(days=1))


def _account(rng: random.Random, n: int) -> str:
    return f"62{rng.choice(['2202', '2848', '1700', '2588', '5880'])}{n:012d}"[:19]


def _cases(rng: random.Random, places: list[Region], stations: dict[str, OrgUnit]) -> list[PastFraudCase]:
    n = SOLVED + UNSOLVED
    involved, returned = _split(INVOLVED, n, rng), _split(RETURNED, SOLVED, rng, 1.3)
    items = []
    for i in range(n):
        place = rng.choice(places)
        filed = _day(rng)
        solved = i < SOLVED
        item = PastFraudCase(
            police_case_number=f"A4110815000020{filed:%m}{i + 1:05d}", region_id=place.code,
            fraud_type=kit.pick(rng, TYPE_WEIGHTS), title="", filed_on=filed,
            solved_on=min(TODAY - dt.timedelta(days=1), filed + dt.timedelta(days=rng.randint(3, 90))) if solved
            else None, assisted=solved and i < ASSISTED, amount_involved=involved[i],
            amount_returned=min(returned[i], involved[i]) if solved else Decimal(0),
            handling_org_id=getattr(stations.get(place.code[:9] + "000"), "pk", None))
        if item.assisted:
            item.assisted_for = rng.choice(ASSISTED_FOR)
        victim = person_name(rng, male=rng.random() < 0.45)
        item.title = f"{victim}被骗案（{'带破' if item.assisted else place.name}）"
        item.victims = [{"name": victim, "phone": phone_number(rng), "loss": involved[i]}]
        items.append(item)
    # Returned sums may not exceed a case's involved sum: move any excess onto cases with room.
    excess = sum((r - it.amount_returned for r, it in zip(returned, items[:SOLVED], strict=True)), Decimal(0))
    for it in items[:SOLVED]:
        if excess <= 0:
            break
        room = it.amount_involved - it.amount_returned
        add = min(room, excess)
        it.amount_returned += add
        excess -= add
    _suspects(rng, items[ASSISTED:SOLVED])
    _cards(rng, items)
    return items


def _suspects(rng: random.Random, solved: list[PastFraudCase]) -> None:
    for k in range(MEASURES + CAUGHT_ONLY):
        case = solved[rng.randrange(len(solved))] if k >= len(solved) else solved[k]
        caught = case.solved_on
        s = {"name": person_name(rng, male=rng.random() < 0.8), "caught_on": caught, "status": "caught",
             "id_number": make_id_number(birth_date=dt.date(1975 + rng.randint(0, 27), rng.randint(1, 12),
                                                            rng.randint(1, 28)), sequence=k)}
        if k < MEASURES:
            s["measure_on"] = caught
            s["status"] = rng.choice(["detained", "bail"])
        if k < ARRESTED:
            s["arrested_on"] = min(TODAY - dt.timedelta(days=1), caught + dt.timedelta(days=rng.randint(7, 30)))
            s["status"] = "arrested"
        if k < PROSECUTED:
            s["prosecuted_on"] = min(TODAY - dt.timedelta(days=1), s["arrested_on"] + dt.timedelta(days=20))
            s["status"] = "prosecuted"
        case.suspects.append(s)


def _cards(rng: random.Random, items: list[PastFraudCase]) -> None:
    solved = [it for it in items if it.solved_on]
    for k in range(BANK_CARDS_FROZEN + BANK_CARDS_OPEN):
        case = solved[k % len(solved)] if k < len(solved) else rng.choice(solved)
        serial = k + 1
        frozen = k < BANK_CARDS_FROZEN
        case.cards.append({"kind": "bank", "number": _account(rng, serial), "bank": rng.choice(
            ["中国农业银行", "中国工商银行", "中国建设银行", "中国邮政储蓄银行", "河南农信"]),
            "frozen_on": case.solved_on if frozen else None,
            "amount_frozen": Decimal(rng.randint(0, 200_000)) if frozen else Decimal(0)})
    for k in range(PHONE_CARDS):
        case = rng.choice(solved)
        case.cards.append({"kind": "phone", "number": f"17{rng.randint(0, 9)}{k:08d}", "bank": "虚拟运营商",
                           "frozen_on": case.solved_on, "amount_frozen": Decimal(0)})
    for it in items:
        it.amount_frozen = sum((c["amount_frozen"] for c in it.cards), Decimal(0))


def _lead(rng: random.Random, *, grade: str, outcome: str, status: str, received: dt.datetime, place: Region,
          station, police, router: Router, grader: Grader, n: int) -> PastLead:
    ftype = kit.pick(rng, TYPE_WEIGHTS)
    born = dt.date(1945 + rng.randint(0, 60), rng.randint(1, 12), rng.randint(1, 28))
    age = YEAR - born.year
    amount = Decimal(rng.choice([0, 2000, 8000, 30000, 80000, 200000]))
    graded = grader.grade(fraud_type=ftype, amount=amount or None, age=age)
    name = person_name(rng, male=rng.random() < 0.5)
    _org, why = router.route(place.code)
    steps = [PastStep("dispatch", received, None, reason=why, target_org=station)]
    contacts: list[dict] = []
    limit = CONTACT_MINUTES[grade]
    t = received
    by = str(police) if police else "派出所民警"
    if status != "dispatched":
        late = rng.random() < 0.06
        if rng.random() < 0.25:  # a first call not answered
            t += dt.timedelta(minutes=rng.randint(1, max(1, limit // 3)))
            contacts.append({"at": t, "method": "call", "result": "no_answer", "by": police, "by_name": by[:64]})
        wait = rng.randint(limit + 1, limit * 2) if late else rng.randint(1, max(1, int(limit * 0.7)))
        t = max(t + dt.timedelta(minutes=1), received + dt.timedelta(minutes=wait))
        if status == "contacting":  # live this morning: contacted before "now"
            t = min(t, DEMO_NOW - dt.timedelta(minutes=2))
        if outcome == LeadOutcome.UNREACHABLE:
            contacts.append({"at": t, "method": "visit", "result": "no_answer", "by": police, "by_name": by[:64],
                             "note": "上门无人，已联系村委会"})
        else:
            method = "visit" if contacts else rng.choice(["call", "call", "sms"]) if grade == "low" else "call"
            contacts.append({"at": t, "method": method, "result": "reached", "by": police, "by_name": by[:64],
                             "note": DISSUADED_NOTE if outcome == LeadOutcome.DISSUADED else ""})
            steps.append(PastStep("contact", t, police))
    concluded = None
    if status in ("concluded", "visited"):
        concluded = t + dt.timedelta(minutes=rng.randint(10, 50))
        steps.append(PastStep("conclude", concluded, police, reason=str(LeadOutcome(outcome).label)))
        if status == "visited":
            steps.append(PastStep("revisit", concluded + dt.timedelta(days=7, hours=rng.randint(1, 30)), police,
                                  reason="回访：未再接到可疑电话，已加装国家反诈中心App"))
    return PastLead(
        case=PastCase(kind=LEAD.code, title=f"{name}（{_type_label(ftype)}）预警", region_id=place.code,
                      opened_at=received, steps=steps, priority=grade, source="上级推送"),
        fraud_type=ftype, victim_name=name, received_at=received, victim_phone=phone_number(rng),
        victim_id_number=make_id_number(birth_date=born, sequence=n % 1000), victim_age=age,
        upstream_id=f"GJFZ-{received:%Y%m%d}-{n:06d}",
        suspect_number=f"0{rng.randint(20, 99)}{rng.randint(10**7, 10**8 - 1)}",
        amount_at_risk=amount or None, computed_grade=graded.grade, grade_reason=graded.reason, routed_by=why,
        outcome=outcome if concluded else "", concluded_at=concluded,
        amount_protected=(amount or Decimal(rng.randint(1, 50) * 1000))
        if outcome == LeadOutcome.DISSUADED and concluded else None,
        revisit_due_on=(concluded + dt.timedelta(days=7)).date() if concluded else None,
        revisited_at=steps[-1].at if status == "visited" else None, contacts=contacts)


def _type_label(code: str) -> str:
    from anmin.core.codes import code_name

    return code_name("fraud_type", code)


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    load_code_tables()
    ensure_default_grade_rules()
    rng = random.Random("antifraud-2020")
    if FraudCase.objects.filter(filed_on__year=YEAR).exists():  # built before; the blacklist came later
        return {"fraud_cases": 0, "leads": 0, "blacklisted": _blacklist(rng)}
    places = list(Region.objects.filter(level__gte=3).order_by("code")) or list(Region.objects.order_by("code"))
    stations = kit.units_by_region(OrgKind.POLICE_STATION, order=("-pk",))
    cases = _cases(rng, places, stations)
    created_cases = import_fraud_cases(cases, actor=SYSTEM, note="演示环境：2020年电诈案件台账")

    police = kit.first_by_region(Role.POLICE)
    router, grader = Router(), Grader()
    leads: list[PastLead] = []
    n = 0
    plan = list(OUTCOMES.items())
    for outcome, count in plan:
        for _ in range(count):
            n += 1
            place = rng.choice(places)
            station, _why = router.route(place.code)
            received = kit.at(_day(rng), rng, 0, 24)
            visited = received + dt.timedelta(days=9) < DEMO_NOW and rng.random() < 0.8
            leads.append(_lead(rng, grade=kit.pick(rng, GRADE_SHARE), outcome=outcome,
                               status="visited" if visited else "concluded", received=received, place=place,
                               station=station, police=police.get(getattr(station, "region_id", "")), router=router,
                               grader=grader, n=n))
    for grade, status, minutes_ago in LIVE:
        n += 1
        place = rng.choice(places)
        station, _why = router.route(place.code)
        leads.append(_lead(rng, grade=grade, outcome="", status=status, received=DEMO_NOW - dt.timedelta(
            minutes=minutes_ago), place=place, station=station, police=police.get(getattr(station, "region_id", "")),
            router=router, grader=grader, n=n))
    leads.sort(key=lambda item: item.received_at)
    created_leads = import_past_leads(leads, actor=SYSTEM, note="演示环境：2020年预警线索")
    listed = _blacklist(rng)
    result = case_actions.sweep(now=DEMO_NOW)
    return {"fraud_cases": created_cases, "leads": created_leads, "supervisions": result.supervisions,
            "blacklisted": listed}


#: Links of the kinds the 反诈中心 pushes (fake shops, "refund" pages, investment apps), as a city's list has them.
DEMO_URLS = ("jd-tuikuan.cc", "ccb-vip.top/login", "icbc-etoken.xyz", "quanguo-daikuan.com", "tk-kefu.net",
             "huobi-pro.vip", "xsjz-shuadan.cn", "gov-ybtk.cc/refund", "app-tz99.com/download", "jinrong-dkw.top")


def _blacklist(rng: random.Random) -> int:
    """The 涉诈黑名单 as the police keep it: the phone cards and frozen bank accounts of the year's solved
    cases, listed on the day they were frozen, and the links pushed from above; the portal's 反诈查询
    answers from it."""
    city = Region.objects.filter(level=1).order_by("code").first()
    if city is None or BlacklistEntry.objects.exists():
        return 0
    rows = []
    for card in FraudCard.objects.filter(frozen_on__isnull=False).order_by("pk"):
        kind = EntryKind.PHONE if card.kind == CardKind.PHONE else EntryKind.ACCOUNT
        try:
            value = normalize(kind, card.number)
        except ValueError:
            continue
        rows.append(BlacklistEntry(kind=kind, value=value, source="本市侦办案件", listed_on=card.frozen_on,
                                   region=city, fraud_case_id=card.fraud_case_id))
    for i, url in enumerate(DEMO_URLS):
        rows.append(BlacklistEntry(kind=EntryKind.URL, value=normalize(EntryKind.URL, url), source="许昌市反诈中心推送",
                                   listed_on=TODAY - dt.timedelta(days=7 * i + rng.randint(0, 6)), region=city))
    with transaction.atomic():
        BlacklistEntry.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        audit.record(actor=SYSTEM, action="import", object_type="antifraud.blacklistentry",
                     reason="演示环境：涉诈黑名单", after={"rows": len(rows)})
    return len(rows)
