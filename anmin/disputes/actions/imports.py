"""Disputes whose history already happened (a ledger's concluded rows, the demo world), in bulk: the
cases and their timelines through the case engine's ``import_cases``, then the detail rows, parties
(linked to the person register), mediation sessions — one audit entry per batch naming every dispute
and how many parties and sessions it got."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from anmin.core import audit
from anmin.core.guards import action
from anmin.people.risk import signals_of
from anmin.workflow import actions as case_actions

from ..models import COLOUR_RANK, Dispute, DisputeParty, MediationOrg, MediationSession, RiskColour, RiskFlag
from ..workflows import DISPUTE
from .disputes import ADD_PERM, check_category, check_scale, clean_party
from .risk import effective_colour, flag_reasons, record_colour_change


@dataclass
class PastSession:
    held_on: date
    record: str
    mediator_ids: list[int] = field(default_factory=list)


@dataclass
class PastDispute:
    """A dispute with its history: the case (with its steps) and the detail as it stands."""

    case: case_actions.PastCase
    category: str
    found_on: date
    parties: list[dict]  # role, name, id_number, phone, address; "person_id" when already known
    scale: str = "01"
    occurred_on: date | None = None
    address: str = ""
    people_involved: int | None = None
    amount: Decimal | None = None
    assessed_colour: str = RiskColour.BLUE
    risk_flags: list[str] = field(default_factory=list)
    mediation_org: MediationOrg | None = None
    outcome: str = ""
    concluded_on: date | None = None
    agreement: str = ""
    judicial_confirmation: bool = False
    confirmed_on: date | None = None
    failed_path: str = ""
    withdrawn_reason: str = ""
    satisfaction: str = ""
    followup_on: date | None = None
    sessions: list[PastSession] = field(default_factory=list)


def _auto_flags(items: Sequence[PastDispute]) -> list[dict[str, str]]:
    """The flags the parties' risk signals raise, for a whole batch in a few queries."""
    by_signal = dict(RiskFlag.objects.filter(is_active=True).exclude(signal="").values_list("signal", "code"))
    held = signals_of({p["person_id"] for i in items for p in i.parties if p.get("person_id")}, keys=by_signal)
    out = []
    for item in items:
        flags: dict[str, str] = {}
        for p in item.parties:
            for key, reason in sorted(held.get(p.get("person_id"), {}).items()):
                flag = by_signal[key]
                flags[flag] = "；".join(filter(None, [flags.get(flag), f"当事人{p['name']}：{reason}"]))
        out.append(flags)
    return out


def _explain_raised(disputes: Sequence[Dispute], *, actor) -> None:
    """An imported dispute whose risk factors (chosen, or raised by its parties' signals) lift it
    above the colour the ledger assessed gets the reason on its timeline, as a reported one does."""
    table = {f.code: f for f in RiskFlag.objects.filter(is_active=True)}
    for d in disputes:
        if d.colour == (d.assessed_colour or RiskColour.BLUE):
            continue
        raisers = [table[c] for c in sorted({*d.risk_flags, *(d.auto_flags or {})}) if c in table
                   and COLOUR_RANK[table[c].raises_to] > COLOUR_RANK[d.assessed_colour or RiskColour.BLUE]]
        reasons = flag_reasons(raisers)
        reasons += [f"当事人风险信号：{v}" for k, v in sorted((d.auto_flags or {}).items()) if k in table]
        record_colour_change(d, by=actor, before=d.assessed_colour, after=d.colour, automatic=True, reasons=reasons,
                             data={"imported": True})


@action(perm=ADD_PERM, what="导入矛盾纠纷")
def import_past_disputes(items: Sequence[PastDispute], *, actor, note: str = "", batch_size: int = 1000) -> int:
    """Register disputes with their history in bulk (see the module docstring). Every dispute is
    checked as ``report_dispute`` checks it; one bad item refuses its whole batch."""
    from anmin.people.identity import link_person

    total = 0
    for start in range(0, len(items), batch_size):
        batch = list(items[start:start + batch_size])
        cleaned = []
        for item in batch:
            check_category(item.category)
            check_scale(item.scale)
            cleaned.append([{**clean_party(p, i), "person_id": p.get("person_id")} for i, p in enumerate(item.parties)])
        with transaction.atomic(), audit.batch():
            for item, parties in zip(batch, cleaned, strict=True):
                for p in parties:
                    if p["person_id"] is None and p["id_number"]:
                        person = link_person(actor=actor, name=p["name"], id_number=p["id_number"],
                                             region=item.case.region_id, phone=p["phone"], address=p["address"],
                                             source=note or "矛盾纠纷台账")
                        p["person_id"] = person.pk if person else None
                item.parties = parties
            cases = case_actions.import_cases([i.case for i in batch], actor=actor, note=note)
            disputes = []
            for case, item, auto in zip(cases, batch, _auto_flags(batch), strict=True):
                if case.kind != DISPUTE.code:
                    raise ValueError(f"{case.number} is not a dispute")
                disputes.append(Dispute(
                    case=case, category=item.category, scale=item.scale, source=case.source, found_on=item.found_on,
                    occurred_on=item.occurred_on, address=item.address,
                    people_involved=item.people_involved or len(item.parties), amount=item.amount,
                    assessed_colour=item.assessed_colour, risk_flags=item.risk_flags, auto_flags=auto,
                    colour=effective_colour(item.assessed_colour, [*item.risk_flags, *auto]),
                    mediation_org=item.mediation_org, outcome=item.outcome, concluded_on=item.concluded_on,
                    agreement=item.agreement, judicial_confirmation=item.judicial_confirmation,
                    confirmed_on=item.confirmed_on if item.judicial_confirmation else None,
                    failed_path=item.failed_path, withdrawn_reason=item.withdrawn_reason,
                    satisfaction=item.satisfaction, followup_on=item.followup_on,
                ))
            Dispute.objects.bulk_create(disputes, batch_size=1000)
            DisputeParty.objects.bulk_create([DisputeParty(dispute=d, **p) for d, i in zip(disputes, batch, strict=True)
                                              for p in i.parties], batch_size=1000)
            sessions = [(MediationSession(dispute=d, held_on=s.held_on, record=s.record), s.mediator_ids)
                        for d, i in zip(disputes, batch, strict=True) for s in i.sessions]
            MediationSession.objects.bulk_create([s for s, _ in sessions], batch_size=1000)
            through = MediationSession.mediators.through
            through.objects.bulk_create([through(mediationsession_id=s.pk, mediator_id=m) for s, ids in sessions
                                         for m in ids], batch_size=2000)
            _explain_raised(disputes, actor=actor)
            audit.record(actor=actor, action="import", object_type="disputes.dispute", reason=note,
                         after={"count": len(disputes),
                                "disputes": [(d.case.number, len(i.parties), len(i.sessions))
                                             for d, i in zip(disputes, batch, strict=True)]})
        total += len(disputes)
    return total
