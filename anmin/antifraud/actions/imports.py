"""Leads whose history already happened (a ledger, the demo world), in bulk: the cases and their
timelines through the case engine's ``import_cases`` (分派, 联系, 处置, 回访 replayed through the
workflow), then the lead rows and their contact attempts; one audit entry per batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from anmin.core import audit
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.people.identity import link_person
from anmin.workflow import actions as case_actions

from ..models import ContactAttempt, Lead
from ..workflows import LEAD
from .intake import ADD_PERM


@dataclass
class PastLead:
    case: case_actions.PastCase
    fraud_type: str
    victim_name: str
    received_at: dt.datetime
    victim_phone: str = ""
    victim_id_number: str = ""
    victim_age: int | None = None
    upstream_id: str | None = None
    source: str = "pushed"
    suspect_number: str = ""
    amount_at_risk: Decimal | None = None
    computed_grade: str = "low"
    grade_reason: str = ""
    routed_by: str = ""
    outcome: str = ""
    amount_protected: Decimal | None = None
    concluded_at: dt.datetime | None = None
    revisit_due_on: dt.date | None = None
    revisited_at: dt.datetime | None = None
    revisit_note: str = ""
    contacts: list[dict] = field(default_factory=list)  # at, method, result, by, by_name, note


@action(perm=ADD_PERM, what="导入预警线索")
def import_past_leads(items: Sequence[PastLead], *, actor, note: str = "", batch_size: int = 1000) -> int:
    total = 0
    for start in range(0, len(items), batch_size):
        batch = list(items[start:start + batch_size])
        for item in batch:
            if item.case.kind != LEAD.code:
                raise invalid("kind", f"「{item.case.title}」不是预警线索")
        with transaction.atomic(), audit.batch():
            people = {}
            for i in batch:  # the victims into the person register (found by the blind index, else added)
                if i.victim_id_number and i.victim_id_number not in people:
                    people[i.victim_id_number] = link_person(
                        actor=actor, name=i.victim_name, id_number=i.victim_id_number, region=i.case.region_id,
                        phone=i.victim_phone, source=note or "预警线索台账")
            cases = case_actions.import_cases([i.case for i in batch], actor=actor, note=note)
            leads = []
            for case, i in zip(cases, batch, strict=True):
                reached = [c["at"] for c in i.contacts if c["result"] == "reached"]
                first = min(reached) if reached else None
                leads.append(Lead(
                    case=case, upstream_id=i.upstream_id, source=i.source, fraud_type=i.fraud_type,
                    victim_name=i.victim_name, victim_phone=i.victim_phone, victim_id_number=i.victim_id_number,
                    victim_age=i.victim_age, person=people.get(i.victim_id_number),
                    suspect_number=i.suspect_number, amount_at_risk=i.amount_at_risk,
                    computed_grade=i.computed_grade, grade_reason=i.grade_reason, received_at=i.received_at,
                    routed_by=i.routed_by, first_contact_at=first,
                    contact_minutes=int((first - i.received_at).total_seconds() // 60) if first else None,
                    contacted_in_time=None if first is None else _in_time(case, i, first),
                    attempts=len(i.contacts), outcome=i.outcome, amount_protected=i.amount_protected,
                    concluded_at=i.concluded_at, revisit_due_on=i.revisit_due_on, revisited_at=i.revisited_at,
                    revisit_note=i.revisit_note))
            Lead.objects.bulk_create(leads, batch_size=1000)
            ContactAttempt.objects.bulk_create(
                [ContactAttempt(lead=lead, **c)
                 for lead, i in zip(leads, batch, strict=True) for c in i.contacts],
                batch_size=2000)
            audit.record(actor=actor, action="import", object_type="antifraud.lead", reason=note,
                         after={"count": len(leads), "first": cases[0].number, "last": cases[-1].number})
        total += len(leads)
    return total


def _in_time(case, item: PastLead, first: dt.datetime) -> bool:
    limit = LEAD.workflow.limit_for("dispatched")
    minutes = limit.minutes_for(case.priority) if limit else None
    return minutes is None or first <= item.received_at + dt.timedelta(minutes=minutes)
