"""Care's part of the Yuzhou demo world, as of "today" 2020-12-10 (after people's part).

People's builder registers the residents its plan marks as patients (``Planned.kind == "mental"``);
this one puts those residents on the register: 2,394 patients of whom exactly 774 are at risk level 3
or above, every one of those with a complete "五位一体" care team and a guardian under "以奖代补"
(checked quarterly, approved and paid for 2018 and 2019), incidents only before 2018; follow-ups through
2020 on the rules' schedule (a few patients left overdue, which the sweep then warns); a few level
changes waiting for 古城镇's approval.

Deterministic (the same plan and seeds) and idempotent: a resident already on the register is skipped.
Bulk inserts and one audit entry, as people's part.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from anmin.core import audit
from anmin.core.actors import SYSTEM
from anmin.core.models import Region
from anmin.core.protected import blind_index_value
from anmin.people.demo import DEMO_TOWNSHIP, TODAY, Planned, Staff, plan
from anmin.people.models import Person
from anmin.people.models.choices import (
    AssessmentSource,
    AssessmentStatus,
    AwardStatus,
    Condition,
    IncidentSeverity,
    TeamRole,
    TreatmentStatus,
    VisitKind,
    VisitMethod,
    VisitOutcome,
)
from anmin.people.names import person_name, phone_number

from . import actions, rules
from .models import (
    CareLogCheck,
    CareTeamMember,
    GuardianSubsidy,
    Incident,
    MentalPatient,
    RiskAssessment,
    SubsidyAward,
    SubsidyPayment,
    Visit,
)

DIAGNOSES = (
    "精神分裂症",
    "双相情感障碍",
    "偏执性精神病",
    "分裂情感性障碍",
    "癫痫所致精神障碍",
    "精神发育迟滞伴发精神障碍",
)


def _planned_patients(scale: float) -> list[tuple[Person, Planned]]:
    """The residents people's plan marks as patients, in plan order, not yet on the register."""
    villages = list(Region.objects.villages().order_by("code").values_list("code", "name", "parent_id"))
    wanted = [p for people in plan(villages, scale).values() for p in people if p.kind == "mental" and p.id_number]
    keys = [blind_index_value(Person, "id_number", p.id_number) for p in wanted]
    found: dict[str, Person] = {}
    for start in range(0, len(keys), 500):
        for person in Person.objects.filter(id_number_index__in=keys[start : start + 500]):
            found[person.id_number_index] = person
    registered = set(MentalPatient.objects.filter(person__in=found.values()).values_list("person_id", flat=True))
    out = []
    for key, p in zip(keys, wanted, strict=True):
        person = found.get(key)
        if person is not None and person.pk not in registered:
            p.grid = person.region_id
            out.append((person, p))
    return out


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    persons = _planned_patients(scale)
    if not persons:
        return {"mental_patients": 0}
    names = dict(Region.objects.filter(level__in=(2, 3)).values_list("code", "name"))
    stats: dict[str, int] = defaultdict(int)
    builder = _Builder(Staff(), names, persons, stats)
    builder.mental()
    result = actions.sweep(today=TODAY)
    stats["warnings"] = len(result.due_soon) + len(result.overdue)
    audit.record(actor=SYSTEM, action="demo_build", object_type="care.mentalpatient", after=dict(stats))
    return dict(stats)


class _Builder:
    """The patients of the planned residents, with their records, written in bulk."""

    def __init__(self, staff: Staff, names: dict[str, str], persons, stats) -> None:
        self.staff, self.names, self.persons, self.stats = staff, names, persons, stats
        self.rules = rules.current_rules()

    def mental(self) -> None:
        rng = random.Random("people-mental")
        patients: list[tuple[MentalPatient, Planned]] = []
        for person, p in self.persons:
            if p.kind != "mental":
                continue
            high = p.level >= 3
            registered = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(2900))
            guardian_male = rng.random() < 0.5
            patients.append(
                (
                    MentalPatient(
                        person=person,
                        registered_on=registered,
                        risk_level=p.level,
                        risk_level_since=dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(500)),
                        condition=rules.condition_for_level(p.level, self.rules),
                        diagnosis=rng.choice(DIAGNOSES),
                        guardian_name=person_name(rng, male=guardian_male),
                        guardian_relation=rng.choice(
                            ("父亲", "兄弟", "儿子") if guardian_male else ("母亲", "姐妹", "女儿", "妻子")
                        ),
                        guardian_phone=phone_number(rng),
                        has_incident_history=high or rng.random() < 0.1,
                        treatment=rng.choices(TreatmentStatus.values, weights=(5, 35, 50, 10))[0],
                        hospital="禹州市精神卫生中心",
                        economic_status=rng.choice(("贫困", "一般", "一般", "较好")),
                    ),
                    p,
                )
            )
        visits: list[Visit] = []
        for k, (m, p) in enumerate(patients):
            # The schedule first, so the patient rows go in with their follow-up dates.
            self._followups(rng, m, p, visits, overdue=(k % 67 == 13 and not p.forced_grid))
        MentalPatient.objects.bulk_create([m for m, _ in patients], batch_size=1000)
        self.stats["mental_patients"] += len(patients)
        self.stats["mental_level_3_up"] += sum(1 for m, _ in patients if m.risk_level >= 3)
        assessments, members, incidents = [], [], []
        subsidies: list[GuardianSubsidy] = []
        for m, p in patients:
            assessments.append(
                RiskAssessment(
                    patient=m,
                    level=m.risk_level,
                    assessed_on=m.registered_on,
                    source=AssessmentSource.REGISTRATION,
                    status=AssessmentStatus.APPROVED,
                )
            )
            assessments.append(
                RiskAssessment(
                    patient=m,
                    level=m.risk_level,
                    previous_level=m.risk_level,
                    assessed_on=m.risk_level_since,
                    source=AssessmentSource.REVIEW,
                    status=AssessmentStatus.RECORDED,
                )
            )
            complete = m.risk_level >= 3 or rng.random() < 0.9
            members.extend(self._team(rng, m, p, complete))
            if m.has_incident_history:
                enrolled = (dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(700))) if m.risk_level >= 3 else None
                latest = (enrolled or dt.date(2018, 1, 1)) - dt.timedelta(days=rng.randrange(30, 2000))
                for _ in range(1 + (rng.random() < 0.3)):
                    day = max(dt.date(2005, 1, 1), latest - dt.timedelta(days=rng.randrange(0, 1500)))
                    incidents.append(
                        Incident(
                            patient=m,
                            occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0))),
                            severity=rng.choices(IncidentSeverity.values, weights=(85, 15))[0],
                            place=rng.choice(("家中", "村内", "集市", "村委会门口")),
                            handling="送医治疗，纳入重点管理",
                        )
                    )
                if enrolled is not None:
                    subsidies.append(
                        GuardianSubsidy(
                            patient=m,
                            guardian_name=m.guardian_name,
                            guardian_relation=m.guardian_relation,
                            guardian_phone=m.guardian_phone,
                            enrolled_on=enrolled,
                            period_start=enrolled,
                            annual_amount=Decimal(str(self.rules["subsidy"]["annual_amount"])),
                        )
                    )
        # A few level changes wait for the township centre (shown on its approval page).
        chosen = [pt for pt in patients if pt[0].person.region_id.startswith(DEMO_TOWNSHIP[:9])][:3]
        chosen += [pt for pt in patients[5:300:60] if pt not in chosen]
        for m, _p in chosen:
            target = m.risk_level + 1 if m.risk_level < 5 else 4
            assessments.append(
                RiskAssessment(
                    patient=m,
                    level=target,
                    previous_level=m.risk_level,
                    assessed_on=TODAY - dt.timedelta(days=rng.randrange(1, 10)),
                    source=AssessmentSource.FOLLOW_UP,
                    status=AssessmentStatus.PENDING,
                    note="随访时观察到病情波动",
                )
            )
        Visit.objects.bulk_create(visits, batch_size=2000)
        RiskAssessment.objects.bulk_create(assessments, batch_size=2000)
        CareTeamMember.objects.bulk_create(members, batch_size=2000)
        Incident.objects.bulk_create(incidents, batch_size=2000)
        GuardianSubsidy.objects.bulk_create(subsidies, batch_size=1000)
        self._subsidy_years(rng, subsidies)
        self.stats.update(
            followups=self.stats["followups"] + len(visits),
            team_members=len(members),
            incidents_before_2018=len(incidents),
            subsidies=len(subsidies),
        )

    def _followups(self, rng: random.Random, m: MentalPatient, p: Planned, visits: list, *, overdue: bool) -> None:
        worker = self.staff.grid_worker.get(m.person.region_id)
        day = dt.date(2019, 12, 1) + dt.timedelta(days=rng.randrange(20))
        condition = rules.condition_for_level(m.risk_level, self.rules)
        previous = condition
        history = []
        while True:
            improved = condition == Condition.BASIC and rng.random() < 0.6
            due = rules.next_followup(
                level=m.risk_level, on=day, observed=condition, previous=previous, improved=improved, rules=self.rules
            )
            history.append((day, condition, improved, due.on))
            if due.on > TODAY:
                break
            previous = condition
            day = max(due.on - dt.timedelta(days=rng.randrange(0, 4)), day + dt.timedelta(days=1))
        if overdue:
            while len(history) > 1 and history[-2][3] >= TODAY:
                history.pop()
            history.pop()
        for day, cond, improved, next_on in history:
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 15, 30)))))
            visits.append(
                Visit(
                    person=m.person,
                    patient=m,
                    kind=VisitKind.FOLLOW_UP,
                    visited_at=at,
                    method=rng.choices(VisitMethod.values, weights=(80, 18, 2))[0],
                    outcome=VisitOutcome.SEEN,
                    risk_level=m.risk_level,
                    condition=cond,
                    improved=improved,
                    medication=rng.choices(("regular", "irregular", "none"), weights=(80, 17, 3))[0],
                    next_on=next_on,
                    recorded_by_id=worker,
                )
            )
        last_day, last_cond, _imp, last_next = history[-1]
        m.last_followup_on, m.last_condition, m.next_followup_on = last_day, last_cond, last_next

    def _team(self, rng: random.Random, m: MentalPatient, p: Planned, complete: bool) -> list[CareTeamMember]:
        village, township = p.village, p.village[:9] + "000"
        worker = self.staff.grid_worker.get(p.grid)
        cadre, police = self.staff.cadre.get(village), self.staff.police.get(township[:9])
        since = m.registered_on
        team = [
            CareTeamMember(
                patient=m,
                role=TeamRole.CADRE,
                name=self.staff.names.get(cadre, "村干部"),
                user_id=cadre,
                org_name=f"{self.names.get(village, '')}村(居)委会",
                since=since,
            ),
            CareTeamMember(
                patient=m,
                role=TeamRole.GRID_WORKER,
                name=self.staff.names.get(worker, "网格员"),
                user_id=worker,
                since=since,
            ),
            CareTeamMember(
                patient=m,
                role=TeamRole.POLICE,
                name=self.staff.names.get(police, "社区民警"),
                user_id=police,
                org_name=f"{self.names.get(township, '')}派出所",
                since=since,
            ),
            CareTeamMember(
                patient=m,
                role=rng.choice((TeamRole.VILLAGE_DOCTOR, TeamRole.VILLAGE_DOCTOR, TeamRole.PSYCHIATRIST)),
                name=person_name(rng, male=rng.random() < 0.5),
                phone=phone_number(rng),
                org_name="村卫生室",
                since=since,
            ),
            CareTeamMember(
                patient=m, role=TeamRole.GUARDIAN, name=m.guardian_name, phone=m.guardian_phone, since=since
            ),
        ]
        if not complete:
            team.pop(rng.choice((2, 3)))
        return team

    def _subsidy_years(self, rng: random.Random, subsidies: list[GuardianSubsidy]) -> None:
        checks, awards = [], []
        for s in subsidies:
            for year in (2018, 2019, 2020):
                for q in (1, 2, 3, 4):
                    checked = dt.date(year, 3 * q, 1) + dt.timedelta(days=rng.randrange(20))
                    if checked > TODAY:
                        continue
                    checks.append(
                        CareLogCheck(
                            subsidy=s, year=year, quarter=q, checked_on=checked, passed=True, note="看护记录完整"
                        )
                    )
            for year in (2018, 2019):
                awards.append(
                    SubsidyAward(
                        subsidy=s,
                        year=year,
                        amount=s.annual_amount,
                        status=AwardStatus.APPROVED,
                        note="全年无肇事肇祸，看护记录检查合格",
                        decided_at=timezone.make_aware(dt.datetime(year + 1, 1, 8, 10, 0)),
                    )
                )
        CareLogCheck.objects.bulk_create(checks, batch_size=2000)
        SubsidyAward.objects.bulk_create(awards, batch_size=2000)
        payments = [
            SubsidyPayment(
                award=a,
                amount=a.amount,
                voucher_no=f"YJDB{a.year + 1}{k:05d}",
                paid_on=dt.date(a.year + 1, 1, 20) + dt.timedelta(days=rng.randrange(25)),
            )
            for k, a in enumerate(awards)
        ]
        SubsidyPayment.objects.bulk_create(payments, batch_size=2000)
        self.stats.update(care_log_checks=len(checks), subsidy_awards=len(awards), subsidy_payments=len(payments))
