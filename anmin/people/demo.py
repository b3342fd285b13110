"""The people part of the Yuzhou demo world, as of "today" 2020-12-10.

* a sample of residents (about 30 a village at scale 1, some 20,000 across the 678 villages; the full
  1.2 million live only in the benchmark world) with synthetic names, valid synthetic ID numbers
  and phones, their houses and who lives where;
* special populations at plausible county sizes: 刑满释放 ~1,100, 社区矫正 ~520 in force, 吸毒 ~860,
  艾滋病危险 ~120, 重点青少年 ~1,350, and the 2,394 residents care registers as patients with severe
  mental disorders (``care.demo``: exactly 774 at risk level 3 or above).

Deterministic (seeded by fixed strings) and idempotent: a village whose residents exist is skipped.
Volumes are written with bulk inserts (through the models, so every ID number and phone is encrypted
and blind-indexed) and one audit entry, rather than one action and audit entry per record: the
actions' checks are what the generator guarantees by construction, and a hundred thousand audit
entries would say nothing. ``scale`` multiplies every volume.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from anmin.core import audit
from anmin.core.actors import SYSTEM
from anmin.core.models import Region, User
from anmin.core.protected import blind_index_value, make_id_number

from .models import (
    CommunityCorrection,
    DrugUser,
    HivRisk,
    House,
    Person,
    ReleasedPrisoner,
    Residence,
    YouthOfConcern,
    name_initials,
)
from .models.choices import (
    CorrectionType,
    DrugControl,
    HandoverStatus,
    LeftBehindType,
    MigrantReason,
    RecordStatus,
    ResidenceRelation,
    RiskDegree,
)
from .names import person_name, phone_number

TODAY = dt.date(2020, 12, 10)
DEMO_TOWNSHIP = "411081106000"  # 古城镇: its first village's grid 1 is the printed grid worker's

COUNTS = {
    "general_per_village": 30,
    "mental_high": 774,  # risk level 3–5: the seed article's figure
    "mental_0": 620,
    "mental_1": 540,
    "mental_2": 460,
    "released": 1100,
    "correction": 520,
    "correction_closed": 180,
    "drug": 860,
    "hiv": 120,
    "youth": 1350,
    "foreign": 24,
}
OTHER_PREFECTURES = (
    "410102",
    "410105",
    "410302",
    "411002",
    "411023",
    "411102",
    "411403",
    "410523",
    "320102",
    "340104",
    "420106",
    "500103",
)
CHARGES = (
    "盗窃罪",
    "故意伤害罪",
    "诈骗罪",
    "抢劫罪",
    "寻衅滋事罪",
    "危险驾驶罪",
    "交通肇事罪",
    "开设赌场罪",
    "非法拘禁罪",
    "聚众斗殴罪",
    "容留他人吸毒罪",
    "帮助信息网络犯罪活动罪",
)
PRISONS = ("河南省第一监狱", "河南省许昌监狱", "河南省豫南监狱", "河南省周口监狱", "河南省新乡监狱")
DRUGS = ("甲基苯丙胺（冰毒）", "海洛因", "氯胺酮", "大麻", "甲卡西酮")
YOUTH_TYPES = (
    ("01", 0.22, (16, 25)),
    ("02", 0.2, (13, 25)),
    ("03", 0.03, (10, 17)),
    ("04", 0.1, (6, 17)),
    ("05", 0.4, (6, 16)),
    ("99", 0.05, (12, 25)),
)
COUNTRIES = (
    ("韩国", "KIM", "MIN JI"),
    ("越南", "NGUYEN", "VAN AN"),
    ("巴基斯坦", "KHAN", "ALI"),
    ("美国", "SMITH", "JOHN"),
    ("俄罗斯", "IVANOV", "ANNA"),
)


@dataclass
class Planned:
    village: str
    kind: str  # general, mental, released, correction, correction_closed, drug, hiv, youth, foreign
    male: bool
    birth: dt.date
    name: str
    id_number: str | None
    phone: str
    hukou_code: str
    grid: str = ""
    level: int | None = None
    forced_grid: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _counts(scale: float) -> dict[str, int]:
    return {k: max(0, round(v * scale)) for k, v in COUNTS.items()}


def _age_range(kind: str) -> tuple[int, int]:
    return {
        "mental": (20, 75),
        "released": (22, 62),
        "correction": (20, 62),
        "correction_closed": (20, 62),
        "drug": (20, 56),
        "hiv": (20, 62),
        "foreign": (22, 55),
    }.get(kind, (0, 90))


class _Ids:
    """Unique synthetic ID numbers: (address code, birth date, sequence) never repeats."""

    def __init__(self) -> None:
        self.used: set[tuple[str, dt.date, int]] = set()

    def make(self, rng: random.Random, code: str, birth: dt.date, male: bool) -> str:
        seq = rng.randrange(1000)
        if seq % 2 != (1 if male else 0):
            seq = seq + 1 if seq < 999 else seq - 1
        while (code, birth, seq) in self.used:
            seq = (seq + 2) % 1000
        self.used.add((code, birth, seq))
        return make_id_number(birth_date=birth, region_code=code, sequence=seq)


def _birth(rng: random.Random, lo: int, hi: int) -> dt.date:
    year = TODAY.year - rng.randint(lo, hi)
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def plan(villages: list[tuple[str, str, str]], scale: float) -> dict[str, list[Planned]]:
    """Every planned person, per village code (computed for all villages: IDs stay stable)."""
    counts = _counts(scale)
    alloc_rng = random.Random("people-alloc")
    n = len(villages)
    per_village: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    demo_index = next((i for i, (code, _n, t) in enumerate(villages) if t == DEMO_TOWNSHIP), 0)
    for kind in (
        "mental_high",
        "mental_0",
        "mental_1",
        "mental_2",
        "released",
        "correction",
        "correction_closed",
        "drug",
        "hiv",
        "youth",
        "foreign",
    ):
        for i in range(counts[kind]):
            extra: dict[str, Any] = {}
            if kind == "mental_high":
                extra["level"] = alloc_rng.choices((3, 4, 5), weights=(60, 30, 10))[0]
            elif kind.startswith("mental_"):
                extra["level"] = int(kind[-1])
            # The printed grid worker's grid gets a few patients to follow up.
            forced = kind in ("mental_high", "mental_1") and i < 3
            extra["forced"] = forced
            idx = demo_index if forced else alloc_rng.randrange(n)
            per_village[idx].append(("mental" if kind.startswith("mental") else kind, extra))
    ids = _Ids()
    out: dict[str, list[Planned]] = {}
    for idx, (code, _name, _township) in enumerate(villages):
        rng = random.Random(f"people-{code}")
        people: list[Planned] = []
        items = [("general", {}) for _ in range(counts["general_per_village"])] + per_village.get(idx, [])
        for kind, extra in items:
            lo, hi = _age_range(kind)
            if kind == "youth":
                ytype, _w, (lo, hi) = rng.choices(YOUTH_TYPES, weights=[w for _c, w, _a in YOUTH_TYPES])[0]
                extra = {**extra, "youth_type": ytype}
            male = rng.random() < (0.85 if kind in ("released", "correction", "correction_closed", "drug") else 0.5)
            birth = _birth(rng, lo, hi)
            migrant = kind == "general" and rng.random() < 0.06
            hukou = rng.choice(OTHER_PREFECTURES) if migrant else "411081"
            foreign = kind == "foreign"
            p = Planned(
                village=code,
                kind=kind,
                male=male,
                birth=birth,
                name=person_name(rng, male=male),
                id_number=None if foreign else ids.make(rng, hukou, birth, male),
                phone=phone_number(rng),
                hukou_code=hukou,
                level=extra.get("level"),
                forced_grid=extra.get("forced", False),
                extra={**extra, "migrant": migrant},
            )
            people.append(p)
        out[code] = people
    return out


def _existing_villages(planned: dict[str, list[Planned]]) -> set[str]:
    firsts = {}
    for code, people in planned.items():
        first = next((p for p in people if p.id_number), None)
        if first:
            firsts[blind_index_value(Person, "id_number", first.id_number)] = code
    have = set()
    keys = list(firsts)
    for start in range(0, len(keys), 500):
        for key in Person.objects.filter(id_number_index__in=keys[start : start + 500]).values_list(
            "id_number_index", flat=True
        ):
            have.add(firsts[key])
    return have


class Staff:
    """Who serves each place: grid workers, village cadres, township police (from the core demo)."""

    def __init__(self) -> None:
        link = User.grids.through
        self.grid_worker: dict[str, int] = {}
        for user_id, grid in link.objects.order_by("user_id").values_list("user_id", "region_id"):
            self.grid_worker.setdefault(grid, user_id)
        names = dict(
            User.objects.filter(
                Q(username__startswith="cz") | Q(username__startswith="mj") | Q(pk__in=self.grid_worker.values())
            ).values_list("pk", "name")
        )
        self.names = names
        users = dict(
            User.objects.filter(Q(username__startswith="cz") | Q(username__startswith="mj")).values_list(
                "username", "pk"
            )
        )
        self.cadre = {u[2:]: pk for u, pk in users.items() if u.startswith("cz")}
        self.police = {u[2:]: pk for u, pk in users.items() if u.startswith("mj")}


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    villages = list(Region.objects.villages().order_by("code").values_list("code", "name", "parent_id"))
    if not villages:
        return {}
    grids: dict[str, list[str]] = defaultdict(list)
    for code, parent in Region.objects.grids().order_by("code").values_list("code", "parent_id"):
        grids[parent].append(code)
    names = dict(Region.objects.filter(level__in=(2, 3)).values_list("code", "name"))
    planned = plan(villages, scale)
    done = _existing_villages(planned)
    todo = [v for v in villages if v[0] not in done and grids.get(v[0])]
    if not todo:
        return {"persons": 0}
    staff = Staff()
    stats: dict[str, int] = defaultdict(int)
    builder = _Builder(staff, names, grids, stats)
    for code, _name, township in todo:
        builder.village(code, township, planned[code])
    builder.flush()
    audit.record(
        actor=SYSTEM,
        action="demo_build",
        object_type="people.person",
        after={"villages": len(todo), **stats},
    )
    return dict(stats)


class _Builder:
    """Accumulates model objects village by village and writes them in bulk."""

    def __init__(self, staff: Staff, names: dict[str, str], grids: dict[str, list[str]], stats) -> None:
        self.staff, self.names, self.grids, self.stats = staff, names, grids, stats
        self.persons: list[tuple[Person, Planned]] = []
        self.houses: list[tuple[House, list[int]]] = []  # house, indexes into self.persons

    # -- persons and houses ----------------------------------------------------------------------------

    def village(self, code: str, township: str, people: list[Planned]) -> None:
        rng = random.Random(f"people-homes-{code}")
        grids = self.grids[code]
        order = list(range(len(people)))
        rng.shuffle(order)
        village_name, township_name = self.names.get(code, ""), self.names.get(township, "")
        group, number = 1, 0
        i = 0
        while i < len(order):
            size = rng.choice((1, 2, 3, 3, 4, 4, 5))
            members = [people[j] for j in order[i : i + size]]
            i += size
            grid = grids[0] if any(p.forced_grid for p in members) else rng.choice(grids)
            number += 1
            if number > 40:
                group, number = group + 1, 1
            address = f"{township_name}{village_name}{group}组{number}号"
            rented = rng.random() < 0.08
            house = House(
                address=address,
                region_id=grid,
                use="home",
                is_rented=rented,
                rental_use="居住" if rented else "",
                floor_area=Decimal(rng.randrange(60, 260)),
            )
            idxs = []
            for p in members:
                p.grid = grid
                idxs.append(len(self.persons))
                self.persons.append((self._person(p, address, rng), p))
            self.houses.append((house, idxs))

    def _person(self, p: Planned, address: str, rng: random.Random) -> Person:
        age = TODAY.year - p.birth.year
        person = Person(
            name=p.name,
            name_initials=name_initials(p.name),
            id_number=p.id_number,
            phone=p.phone,
            sex="1" if p.male else "2",
            birth_date=p.birth,
            ethnicity="回族" if rng.random() < 0.02 else "汉族",
            hukou_address=(f"禹州市{address}" if p.hukou_code == "411081" else "外省市户籍"),
            current_address=address,
            region_id=p.grid,
            grid_worker_id=self.staff.grid_worker.get(p.grid),
            registered_on=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(2000)),
            marital_status=("未婚" if age < 24 else rng.choice(("已婚", "已婚", "已婚", "离婚", "丧偶"))),
        )
        if p.extra.get("migrant"):
            person.is_migrant = True
            person.migrant_reason = rng.choice(MigrantReason.values)
            person.migrant_since = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(1700))
            person.migrant_residence_kind = rng.choice(("租赁房屋", "单位内部", "借住", "工地现场"))
        elif p.kind == "general" and (age <= 14 or age >= 70) and rng.random() < 0.12:
            person.is_left_behind = True
            person.left_behind_type = LeftBehindType.CHILD if age <= 14 else LeftBehindType.ELDER
            person.left_behind_health = rng.choice(("健康", "一般", "较差"))
            person.left_behind_family = "子女在外务工" if age >= 70 else "父母在外务工"
        if p.kind == "foreign":
            country, surname, given = COUNTRIES[rng.randrange(len(COUNTRIES))]
            person.is_foreign = True
            person.nationality, person.foreign_surname, person.foreign_given_name = country, surname, given
            person.foreign_document_type = "护照"
            person.foreign_document_no = f"M{rng.randrange(10**7, 10**8)}"
            person.visit_purpose = rng.choice(("工作", "学习", "探亲"))
            person.arrived_on = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(600))
            person.sex, person.birth_date = ("1" if p.male else "2"), p.birth
        return person

    # -- writing --------------------------------------------------------------------------------------------

    def flush(self) -> None:
        people = [p for p, _ in self.persons]
        Person.objects.bulk_create(people, batch_size=1000)
        self.stats["persons"] += len(people)
        houses = [h for h, _ in self.houses]
        for h, idxs in self.houses:
            h.owner = people[idxs[0]]
        House.objects.bulk_create(houses, batch_size=1000)
        self.stats["houses"] += len(houses)
        residences = []
        for h, idxs in self.houses:
            for k, idx in enumerate(idxs):
                relation = ResidenceRelation.HEAD if k == 0 else ResidenceRelation.MEMBER
                if h.is_rented:
                    relation = ResidenceRelation.TENANT
                residences.append(
                    Residence(person=people[idx], house=h, relation=relation, since=people[idx].registered_on)
                )
        Residence.objects.bulk_create(residences, batch_size=2000)
        self.stats["residences"] += len(residences)
        self.special()

    def special(self) -> None:
        rng = random.Random("people-special")
        made: dict[type, list] = defaultdict(list)
        for person, p in self.persons:
            if p.kind == "released":
                released = TODAY - dt.timedelta(days=rng.randrange(30, 5 * 365))
                resettled = rng.random() < 0.88
                made[ReleasedPrisoner].append(
                    ReleasedPrisoner(
                        person=person,
                        registered_on=released + dt.timedelta(days=rng.randrange(1, 10)),
                        charge=rng.choice(CHARGES),
                        sentence=f"{rng.randint(1, 8)}年{rng.randint(0, 11)}个月",
                        prison=rng.choice(PRISONS),
                        released_on=released,
                        is_recidivist=rng.random() < 0.12,
                        risk_degree=rng.choices(RiskDegree.values, weights=(70, 25, 5))[0],
                        handover_on=released,
                        handover=rng.choices(HandoverStatus.values, weights=(20, 45, 33, 2))[0],
                        resettled_on=released + dt.timedelta(days=rng.randrange(10, 90)) if resettled else None,
                        is_resettled=resettled,
                        unresettled_reason="" if resettled else "本人在外务工未归",
                        is_helped=rng.random() < 0.93,
                        helper_name=person_name(rng, male=True),
                    )
                )
            elif p.kind in ("correction", "correction_closed"):
                closed = p.kind == "correction_closed"
                start = TODAY - dt.timedelta(days=rng.randrange(60, 900) + (700 if closed else 0))
                end = start + dt.timedelta(days=rng.randrange(365, 4 * 365))
                if closed:
                    end = min(end, TODAY - dt.timedelta(days=rng.randrange(1, 300)))
                elif end <= TODAY:
                    end = TODAY + dt.timedelta(days=rng.randrange(30, 700))
                made[CommunityCorrection].append(
                    CommunityCorrection(
                        person=person,
                        registered_on=start,
                        correction_no=f"411081{start:%Y}{rng.randrange(10**5):05d}",
                        correction_type=rng.choices(CorrectionType.values, weights=(5, 75, 10, 10))[0],
                        charge=rng.choice(CHARGES),
                        sentence=f"{rng.randint(1, 4)}年",
                        starts_on=start,
                        ends_on=end,
                        receive_method="司法所接收",
                        has_group=True,
                        group_members="司法所干警、村干部、家属",
                        status=RecordStatus.CLOSED if closed else RecordStatus.ACTIVE,
                        closed_on=end if closed else None,
                        closed_reason="矫正期满" if closed else "",
                    )
                )
            elif p.kind == "drug":
                made[DrugUser].append(
                    DrugUser(
                        person=person,
                        registered_on=dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(2900)),
                        first_found_on=dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(3600)),
                        control=rng.choices(DrugControl.values, weights=(15, 30, 8, 2, 40, 5))[0],
                        controller_name=person_name(rng, male=True),
                        has_crime_record=rng.random() < 0.3,
                        drug_kind=rng.choice(DRUGS),
                        helper_name=person_name(rng, male=rng.random() < 0.5),
                    )
                )
            elif p.kind == "hiv":
                made[HivRisk].append(
                    HivRisk(
                        person=person,
                        registered_on=dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(2400)),
                        infection_route=rng.choice(("性传播", "血液传播", "母婴传播", "不详")),
                        concern_type=rng.choice(("一般关注", "重点关注")),
                        risk_degree=rng.choices(RiskDegree.values, weights=(60, 30, 10))[0],
                        treatment=rng.choice(("已收治", "已收治", "未收治")),
                        treatment_org="禹州市疾病预防控制中心",
                        medical_notes=rng.choice(("抗病毒治疗中，病情稳定", "定期随访检测", "依从性一般，需督促服药")),
                    )
                )
            elif p.kind == "youth":
                made[YouthOfConcern].append(
                    YouthOfConcern(
                        person=person,
                        registered_on=dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(1400)),
                        youth_type=p.extra["youth_type"],
                        concern_level=rng.choices(("1", "2", "3"), weights=(70, 25, 5))[0],
                        family_situation=rng.choice(("父母在外务工", "单亲家庭", "父母离异", "家庭困难", "父亲服刑")),
                        guardian_name=person_name(rng, male=rng.random() < 0.5),
                        guardian_relation=rng.choice(("祖父", "祖母", "母亲", "父亲")),
                        guardian_phone=phone_number(rng),
                        is_delinquent=p.extra["youth_type"] == "02" and rng.random() < 0.3,
                        help_measures=rng.choice(("结对帮扶", "心理辅导", "复学劝返", "技能培训")),
                        helper_name=person_name(rng, male=rng.random() < 0.5),
                    )
                )
        for model, records in made.items():
            model.objects.bulk_create(records, batch_size=1000)
            self.stats[model._meta.model_name] += sum(1 for r in records if r.status == RecordStatus.ACTIVE)
