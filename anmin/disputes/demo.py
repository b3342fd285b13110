"""The disputes part of the Yuzhou demo world (2020): 684 mediation organisations, 3522 mediators,
3458 disputes with outcomes whose rates come out above 85%, and no 民转刑.

Deterministic and idempotent. Every figure the platform reports is computed from these records.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from anmin.core.actors import SYSTEM
from anmin.core.codes import code_name
from anmin.core.demo import DEMO_TOWNSHIP
from anmin.core.models import Region, Role, User
from anmin.core.models.orgs import OrgKind
from anmin.core.protected import make_id_number
from anmin.people.models import Person
from anmin.workflow.actions import PastCase, PastStep
from anmin.workflow.kit import demo as kit

from .actions import PastDispute, PastSession, ensure_default_risk_flags, import_past_disputes
from .models import (
    Dispute,
    Employment,
    MediationOrg,
    MediationOrgKind,
    Mediator,
    Outcome,
    PartyRole,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

N_ORGS = 684
N_MEDIATORS = 3522
# Named brand rooms from the seed article (village/community code → brand).
BRANDS = {"411081001004": "大伟说事", "411081003001": "三姐矛盾调解之家"}
# Township-level 特色矛盾调解中心 named in the article.
TOWNSHIP_CENTRES = {"411081005000", "411081001000", "411081003000", "411081106000"}
SECTORS = (
    "医疗纠纷",
    "道路交通事故纠纷",
    "劳动争议",
    "物业纠纷",
    "婚姻家庭纠纷",
    "消费纠纷",
    "征地拆迁纠纷",
    "环境污染纠纷",
    "校园纠纷",
    "旅游纠纷",
    "山林土地纠纷",
    "金融借贷纠纷",
    "建筑工程纠纷",
    "农村土地承包纠纷",
    "知识产权纠纷",
    "电子商务纠纷",
    "保险合同纠纷",
    "涉企纠纷",
)
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余"
    "潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂英华建国志红梅玉兰秀兰凤英宏伟海燕春梅建华国强桂兰丽娟"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def build_registries() -> dict[str, int]:
    """684 organisations: 26 township committees, 18 sector committees, 640 village committees."""
    city = Region.objects.get(code="411081000000")
    townships = list(Region.objects.townships().order_by("code"))
    villages = list(Region.objects.villages().order_by("code"))
    n_village = N_ORGS - len(townships) - len(SECTORS)
    rng = random.Random("mediation-orgs")
    # Villages without their own committee share the township's (a few merged 联合调委会).
    with_committee = sorted(rng.sample(villages, n_village), key=lambda v: v.code)
    units = kit.units_by_region(OrgKind.MEDIATION_COMMITTEE)

    wanted: list[MediationOrg] = []
    for t in townships:
        brand = f"{t.name}矛盾纠纷调解中心" if t.code in TOWNSHIP_CENTRES else ""
        wanted.append(
            MediationOrg(
                name=f"{t.name}人民调解委员会",
                kind=MediationOrgKind.TOWNSHIP,
                region=t,
                org_unit=units.get(t.code),
                brand_name=brand,
            )
        )
    for v in with_committee:
        wanted.append(
            MediationOrg(
                name=f"{v.name}人民调解委员会",
                kind=MediationOrgKind.VILLAGE,
                region=v,
                brand_name=BRANDS.get(v.code, ""),
            )
        )
    for s in SECTORS:
        wanted.append(
            MediationOrg(name=f"禹州市{s}人民调解委员会", kind=MediationOrgKind.SECTOR, region=city, sector=s)
        )
    have = set(MediationOrg.objects.values_list("region_id", "name"))
    new = [o for o in wanted if (o.region_id, o.name) not in have]
    MediationOrg.objects.bulk_create(new, batch_size=1000)

    created_mediators = 0
    if not Mediator.objects.exists():
        orgs = list(MediationOrg.objects.order_by("pk"))
        per_kind = {MediationOrgKind.TOWNSHIP: 8, MediationOrgKind.VILLAGE: 5, MediationOrgKind.SECTOR: 6}
        counts = [per_kind[o.kind] for o in orgs]
        # Spread the remainder so the total is exactly N_MEDIATORS.
        i = 0
        while sum(counts) != N_MEDIATORS:
            step = 1 if sum(counts) < N_MEDIATORS else -1
            if counts[i % len(counts)] + step >= 3:
                counts[i % len(counts)] += step
            i += 7
        rng = random.Random("mediators")
        majors = ["01", "02", "04", "05", "06", "07", "08", "09", "11"]
        rows = []
        for org, n in zip(orgs, counts, strict=True):
            for k in range(n):
                rows.append(
                    Mediator(
                        name=person_name(rng),
                        sex=rng.choice("MF"),
                        org=org,
                        region_id=org.region_id,
                        employment=Employment.FULL_TIME
                        if k == 0 and org.kind != MediationOrgKind.VILLAGE
                        else Employment.PART_TIME,
                        specialities=",".join(sorted(rng.sample(majors, 2))),
                    )
                )
        Mediator.objects.bulk_create(rows, batch_size=2000)
        created_mediators = len(rows)
        demo = User.objects.filter(username="tiaojie").first()
        township_committee = MediationOrg.objects.filter(region_id=DEMO_TOWNSHIP, kind=MediationOrgKind.TOWNSHIP)
        if demo is not None:  # the printed mediator login is the first mediator of 古城镇's committee
            Mediator.objects.filter(
                pk=Mediator.objects.filter(org__in=township_committee).order_by("pk").values("pk")[:1]
            ).update(user=demo, name="刘芳")
    return {"mediation_orgs": len(new), "mediators": created_mediators}


# -- The 2020 disputes -----------------------------------------------------------------------------
N_DISPUTES = 3458
YEAR = 2020
TODAY = dt.date(2020, 12, 10)
# Planned outcomes (the KPIs are computed from the records these produce, never from these numbers).
OPEN_PLAN = {"reported": 12, "accepted": 10, "in_progress": 128, "in_progress_mediated": 40, "feedback": 30}
N_FAILED = 250
N_WITHDRAWN = 108
CATEGORY_WEIGHTS = {
    "0101": 9,
    "0102": 7,
    "0103": 5,
    "0201": 10,
    "0202": 9,
    "0203": 4,
    "0902": 12,
    "0901": 7,
    "0903": 2,
    "0804": 6,
    "0601": 2,
    "0602": 3,
    "0503": 5,
    "0507": 2,
    "0701": 4,
    "0703": 2,
    "0401": 3,
    "0402": 2,
    "1103": 2,
    "1201": 1,
    "0302": 1,
    "0303": 2,
}
SOURCE_WEIGHTS = {"sweep": 60, "visit": 15, "call": 8, "police": 7, "online": 4, "court": 3, "assigned": 3}
MONTH_WEIGHTS = [11, 4, 8, 9, 9, 9, 8, 8, 9, 9, 10, 4]  # fewer in February (epidemic) and early December
AGREEMENTS = (
    "双方达成一致，按约定履行",
    "当事人互谅互让，签订调解协议",
    "赔偿款当场结清",
    "重新确认界址，双方签字认可",
    "分期偿还欠款，村委会见证",
    "赡养费按月支付",
)


def _at(day: dt.date, hour: int, rng: random.Random) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), tzinfo=SHANGHAI)


def build_disputes(rng: random.Random) -> int:
    if Dispute.objects.filter(found_on__year=YEAR).exists():
        return 0
    townships = {t.code: t for t in Region.objects.townships()}
    grids = list(Region.objects.grids().order_by("code").values_list("code", flat=True))
    centre_users = {
        u.org_unit.region_id: u
        for u in User.objects.filter(roles__code=Role.TOWNSHIP_CENTER).select_related("org_unit")
    }
    committees = kit.units_by_region(OrgKind.MEDIATION_COMMITTEE)
    mediation_orgs = {o.region_id: o for o in MediationOrg.objects.all()}
    mediators_by_org: dict[int, list[Mediator]] = {}
    for m in Mediator.objects.all():
        mediators_by_org.setdefault(m.org_id, []).append(m)
    demo_mediator = User.objects.filter(username="tiaojie").first()

    # Who ends where: shuffled so every township and month gets a mix.
    fates, open_fates = kit.plan_fates(rng, total=N_DISPUTES, still_open=OPEN_PLAN, rest="success",
                                       settled={"failed": N_FAILED, "withdrawn": N_WITHDRAWN})
    found_dates = sorted(kit.day_in_year(rng, YEAR, TODAY, MONTH_WEIGHTS) for _ in range(len(fates)))
    rng.shuffle(found_dates)
    # Open disputes are the recent ones (found since mid-November).
    open_dates = [TODAY - dt.timedelta(days=rng.randint(1, 25)) for _ in open_fates]
    plan = list(zip(fates + open_fates, found_dates + open_dates, strict=True))

    past: list[PastDispute] = []
    residents = _residents()
    for fate, found in plan:
        grid = rng.choice(grids)
        village, township_code = grid[:12], grid[:9] + "000"
        centre = centre_users.get(township_code)
        committee = committees.get(township_code)
        # The township's 人民调解委员会 registry entry: the committee the centre assigns the dispute to
        # (its 承办), so the page's 调解组织 and its sessions' mediators are the committee's, as a
        # session recorded on the platform makes them (record_session takes the mediators' org).
        morg = mediation_orgs.get(township_code) or mediation_orgs.get(village)
        handler = demo_mediator if township_code == DEMO_TOWNSHIP and demo_mediator else None
        category = kit.pick(rng, CATEGORY_WEIGHTS)
        opened = _at(found, rng.randint(8, 17), rng)
        steps: list[PastStep] = []
        day = found
        state_target = {"reported": 0, "accepted": 1}.get(fate, 9)
        if state_target >= 1:
            steps.append(PastStep("accept", _at(day, 18, rng), centre))
        if state_target >= 2:
            steps.append(PastStep("assign", _at(day, 19, rng), centre, target_org=committee, target_user=handler))
        sessions: list[dt.date] = []
        concluded = None
        if fate in ("success", "failed", "in_progress_mediated", "feedback"):
            end_cap = TODAY - dt.timedelta(days=1)
            first = min(day + dt.timedelta(days=rng.randint(0, 3)), end_cap)
            sessions = [first] + (
                [min(first + dt.timedelta(days=rng.randint(1, 4)), end_cap)] if rng.random() < 0.3 else []
            )
            concluded = sessions[-1]
        elif fate == "withdrawn":
            concluded = min(day + dt.timedelta(days=rng.randint(1, 5)), TODAY - dt.timedelta(days=1))
        if fate in ("success", "failed", "withdrawn", "feedback"):
            result = {"failed": "调解不成", "withdrawn": "撤回"}.get(fate, "调解成功")
            steps.append(PastStep("feedback", _at(concluded, 20, rng), handler or centre, data={"result": result}))
        if fate in ("success", "failed", "withdrawn"):
            checked = min(concluded + dt.timedelta(days=rng.randint(0, 2)), TODAY)
            steps.append(PastStep("verify_pass", _at(checked, 21, rng), centre))
            visit_day = checked + dt.timedelta(days=rng.randint(2, 10))
            if visit_day < TODAY:
                sat = rng.choices(["satisfied", "fair", "unsatisfied"], weights=[85, 13, 2])[0]
                steps.append(
                    PastStep("visit", _at(visit_day, 10, rng), centre, reason="电话回访", data={"satisfaction": sat})
                )
        names, parties = _parties(residents.get(village, []), len(past), village)
        title = f"{names[0]}与{names[1]}{code_name('dispute_category', category)}纠纷"
        outcome = {"success": Outcome.SUCCESS, "feedback": Outcome.SUCCESS, "failed": Outcome.FAILED,
                   "withdrawn": Outcome.WITHDRAWN}.get(fate, "")
        sat = next((st.data.get("satisfaction", "") for st in reversed(steps) if st.transition == "visit"), "")
        visit_at = next((st.at for st in steps if st.transition == "visit"), None)
        success = outcome == Outcome.SUCCESS
        judicial = success and rng.random() < 0.08
        morg_used = morg if sessions or outcome else None
        pool = [m.pk for m in mediators_by_org.get(morg_used.pk, [])[:2]] if morg_used else []
        colour = rng.choices(["blue", "yellow", "orange", "red"], weights=[55, 35, 8, 2])[0]
        past.append(PastDispute(
            case=PastCase(kind="MD", title=title, region_id=grid, opened_at=opened, steps=steps, reporter=None,
                          reporter_name="网格员排查", source=kit.pick(rng, SOURCE_WEIGHTS),
                          description=f"{townships[township_code].name}：{title}，经排查登记。"),
            category=category, found_on=found, parties=parties,
            occurred_on=found - dt.timedelta(days=rng.randint(0, 20)), people_involved=2,
            amount=Decimal(rng.choice([0, 0, 500, 2000, 5000, 20000, 80000])) or None, assessed_colour=colour,
            mediation_org=morg_used, outcome=outcome, concluded_on=concluded if outcome else None,
            agreement=rng.choice(AGREEMENTS) if success else "", judicial_confirmation=judicial,
            confirmed_on=concluded + dt.timedelta(days=3) if judicial else None,
            failed_path="litigation" if outcome == Outcome.FAILED else "",
            withdrawn_reason="双方自行和解" if outcome == Outcome.WITHDRAWN else "",
            satisfaction=sat, followup_on=visit_at.date() if visit_at else None,
            sessions=[PastSession(held, "组织双方当面调解，释法说理。", pool) for held in sessions],
        ))
    return import_past_disputes(past, actor=SYSTEM, note="演示环境：2020年矛盾纠纷台账")


def _residents() -> dict[str, list[tuple[int, str]]]:
    """Adult residents of the person register per village (the people builder ran first), as the
    parties of the village's disputes: a party is a person of the register, not a copy."""
    adult = dt.date(YEAR - 18, 12, 31)
    out: dict[str, list[tuple[int, str]]] = {}
    for pk, name, region in (Person.objects.filter(birth_date__lte=adult, is_foreign=False)
                             .exclude(id_number=None).order_by("pk").values_list("pk", "name", "region_id")):
        out.setdefault(region[:12], []).append((pk, name))
    return out


def _parties(residents: list[tuple[int, str]], n: int, village: str) -> tuple[tuple[str, str], list[dict]]:
    """The applicant and respondent: two residents of the village (synthetic people where the
    register has fewer than two there)."""
    rng = random.Random(f"parties-{n}")
    if len(residents) >= 2:
        chosen = rng.sample(residents, 2)
        numbers = dict(Person.objects.filter(pk__in=[pk for pk, _ in chosen]).values_list("pk", "id_number"))
        parties = [{"role": role, "name": name, "person_id": pk, "id_number": numbers[pk].reveal()}
                   for role, (pk, name) in zip((PartyRole.APPLICANT, PartyRole.RESPONDENT), chosen, strict=True)]
        return (chosen[0][1], chosen[1][1]), parties
    names = (person_name(rng), person_name(rng))
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=(n * 7919) % 20000)
    parties = [{"role": role, "name": name, "phone": f"13{(n * 2 + k) % 10}{(n * 7 + k * 3) % 100000000:08d}",
                "id_number": make_id_number(birth_date=birth + dt.timedelta(days=k), sequence=(n * 2 + k) % 1000)}
               for k, (role, name) in enumerate(zip((PartyRole.APPLICANT, PartyRole.RESPONDENT), names, strict=True))]
    return names, parties


def build(**_kwargs) -> dict[str, int]:
    ensure_default_risk_flags()
    stats = build_registries()
    stats["disputes"] = build_disputes(random.Random("disputes-2020"))
    return stats
