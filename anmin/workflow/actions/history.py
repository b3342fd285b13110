"""Cases whose history already happened (ledger imports, the demo world), replayed in bulk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from anmin.core.actors import as_user
from anmin.core.bulkcopy import build, copy_create
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.models import OrgUnit, User

from .. import registry
from ..models import Case, CaseEvent, Priority, Supervision
from ..rules import (
    CentreFinder,
)
from .base import (
    InvalidTransition,
    _audit,
    _move,
)
from .numbers import allocate_numbers
from .steps import _apply_effect


# -- Cases whose history already happened (ledger imports, the demo world) ----------------------
@dataclass
class PastStep:
    """One step that was taken on a case: a transition name of its workflow, when and by whom."""

    transition: str
    at: datetime
    actor: User | Any = None  # a user, ``SYSTEM`` (the platform, e.g. routing by rule) or None (unknown)
    reason: str = ""
    target_org: OrgUnit | None = None
    target_user: User | None = None
    data: dict = field(default_factory=dict)


@dataclass
class PastCase:
    kind: str
    title: str
    region_id: str
    opened_at: datetime
    steps: list[PastStep] = field(default_factory=list)
    reporter: User | None = None
    reporter_name: str = ""
    priority: str = Priority.NORMAL
    source: str = ""
    description: str = ""
    center_org: OrgUnit | None = None
    data: dict = field(default_factory=dict)
    # An automatic 督办 the case got when it ran over its handling limit: (issued at, replied at or None).
    supervised: tuple[datetime, datetime | None] | None = None


_REPLAYABLE_EFFECTS = ("", "assign", "transfer", "release", "visit")


@action(open_to="the engine's bulk primitive, called inside a domain's import action that checked the actor")
def import_cases(items: list[PastCase], *, actor, note: str = "", live: bool = False, audit_each: bool = False,
                 finder: CentreFinder | None = None) -> list[Case]:
    """Register cases with their past steps in bulk, replaying each step through the kind's workflow.

    Every step must be a legal transition from the state the case is in at that moment (checked the
    same way as a live step, but without role checks: the importing user vouches for the history),
    and the time-limit clock runs as it would have. Steps needing approval and effects other than
    assign/transfer/release/visit are refused. Numbers come from the same counters as live cases.
    Writes Case and CaseEvent rows set-based (``core.bulkcopy.copy_create``: COPY on PostgreSQL) and one
    audit entry for the whole import.
    Call inside the domain's transaction; the domain then creates its detail rows.

    ``live``: the cases arrive now (a pushed batch, not a ledger of the past) — their timeline
    entries carry what a live ``open_case`` and step write (the number and the intake centre; the
    unit's id beside its name). ``audit_each``: one audit entry per case opened and per step taken,
    shaped as the live actions write them, instead of the one entry for the import. ``finder``: a
    caller's ``CentreFinder`` (e.g. one kept across requests) instead of a fresh one.
    """
    if not items:
        return []
    if finder is None:
        finder = CentreFinder()
        if len({item.region_id for item in items}) > 20:  # many places: every centre in one query
            finder.preload()
    cases: list[Case] = []
    events: list[list[CaseEvent]] = []
    by_kind_year: dict[tuple[str, int], list[int]] = {}
    for idx, item in enumerate(items):
        kind_def = registry.get_kind(item.kind)
        wf = kind_def.workflow
        case = build(
            Case, kind=kind_def.code, number="", title=item.title, description=item.description,
            region_id=item.region_id, priority=item.priority, source=item.source, reporter=item.reporter,
            reporter_name=item.reporter_name,
            opened_at=item.opened_at, data=dict(item.data), updated_at=item.opened_at,
            center_org=item.center_org or finder.intake(item.region_id, kind_def.intake_level),
        )
        case.status = ""
        _move(case, wf, wf.initial, item.opened_at)
        evs = [build(CaseEvent, seq=1, at=item.opened_at, actor=item.reporter, action="open",
                     label=gettext_noop("上报"), from_state="", to_state=case.status, data={})]
        if live:
            evs[0].data = {"center_org": case.center_org.name if case.center_org else ""}
        for step in sorted(item.steps, key=lambda s: s.at):
            t = wf.transition(step.transition)
            if t is None or case.status not in t.sources:
                state = wf.state_label(case.status)
                raise InvalidTransition(
                    f"第{idx + 1}件「{item.title}」：在状态「{state}」不能执行「{step.transition}」", field="steps"
                )
            if t.needs_approval or t.effect not in _REPLAYABLE_EFFECTS:
                raise InvalidTransition(f"历史导入不支持「{t.label}」这类步骤", field="steps")
            inputs = {"target_org": step.target_org, "target_user": step.target_user, **step.data}
            from_state = case.status
            _move(case, wf, t.target, step.at, restart=t.restart_clock)
            _apply_effect(case, t, inputs, step.at)
            if t.takes_over and step.actor is not None and step.actor.org_unit_id:
                case.center_org_id = step.actor.org_unit_id
            data = dict(step.data)
            if step.target_org is not None:
                if live:
                    data["target_org"] = step.target_org.pk
                data["target_org_name"] = step.target_org.name
            if step.target_user is not None:
                data["target_user_name"] = str(step.target_user)
            ev = build(CaseEvent, seq=len(evs) + 1, at=step.at, actor=as_user(step.actor), action=t.name,
                       label=t.label, from_state=from_state, to_state=case.status, reason=step.reason, data=data)
            ev.step_actor = step.actor  # the audit names who took it (``SYSTEM``: 系统)
            evs.append(ev)
            case.version += 1
            case.updated_at = step.at
        case.last_seq = len(evs)
        cases.append(case)
        events.append(evs)
        year = timezone.localtime(item.opened_at).year
        by_kind_year.setdefault((case.kind, year), []).append(idx)
    for (kind_code, year), idxs in by_kind_year.items():
        for idx, number in zip(idxs, allocate_numbers(kind_code, year, len(idxs)), strict=True):
            cases[idx].number = number
            if live:
                events[idx][0].data = {"number": number, **events[idx][0].data}
    copy_create(cases)
    rows = []
    for case, evs in zip(cases, events, strict=True):
        for ev in evs:
            ev.case = case
            rows.append(ev)
    copy_create(rows)
    _past_supervisions(cases, items)
    if audit_each:
        _audit_each(cases, events, actor=actor)
    else:
        _audit(action="import", actor=actor, object_type="workflow.case", reason=note,
               after={"count": len(cases), "first": cases[0].number, "last": cases[-1].number,
                      "kinds": sorted({c.kind for c in cases})})
    return cases


def _audit_each(cases: list[Case], events: list[list[CaseEvent]], *, actor) -> None:
    """The entries a live ``open_case`` and each live step write (see ``steps._finish``)."""
    for case, evs in zip(cases, events, strict=True):
        opened = evs[0]
        _audit(action="create", actor=actor, obj=case,
               after={"number": case.number, "kind": case.kind, "status": opened.to_state,
                      "priority": case.priority, "center_org": case.center_org_id})
        for version, ev in enumerate(evs[1:], start=2):
            _audit(action="transition", actor=ev.step_actor or actor, obj=case, reason=ev.reason,
                   after={"number": case.number, "step": ev.action, "from": ev.from_state, "to": ev.to_state,
                          "version": version, **ev.data})


@action(open_to="the kit's bulk import, called inside a domain's import action that checked the actor")
def import_details(items: Sequence, *, kind, model, actor, note: str = "", check: Callable[[Any], None] | None = None,
                   fields: Callable[[Any], dict] | None = None, batch_size: int = 2000) -> list:
    """Past cases of a domain with their detail rows, in batches of ``batch_size`` (one transaction
    each). Each item is a dataclass with a ``case`` (a ``PastCase`` of ``kind``) and the detail's values
    (its other fields, or ``fields(item)``): every item of a batch is checked first (its kind, then
    ``check(item)``, which raises ``invalid``), then the cases and their steps go through
    ``import_cases`` and the rows ``model(case=case, **values)`` are created in bulk. Returns them."""
    fields = fields or _detail_values
    created: list = []
    for start in range(0, len(items), batch_size):
        batch = list(items[start:start + batch_size])
        for item in batch:
            if item.case.kind != kind.code:
                raise invalid("kind", f"「{item.case.title}」不是{kind.label}")
            if check is not None:
                check(item)
        with transaction.atomic():
            cases = import_cases([item.case for item in batch], actor=actor, note=note)
            rows = [model(case=case, **fields(item)) for case, item in zip(cases, batch, strict=True)]
            for row in rows:  # COPY passes by save() and bulk_create(): the kit's township copy here
                row.fill_township()
            created += copy_create(rows)
    return created


def _detail_values(item) -> dict[str, Any]:
    return {f.name: getattr(item, f.name) for f in dataclass_fields(item) if f.name != "case"}


def _past_supervisions(cases: list[Case], items: list[PastCase]) -> None:
    notices = []
    for case, item in zip(cases, items, strict=True):
        if item.supervised is None or case.handling_org_id is None:
            continue
        issued, replied = item.supervised
        reply_days = registry.get_kind(case.kind).workflow.escalation.reply_days
        notices.append(Supervision(
            case=case, automatic=True, auto_key="overdue:import", issued_at=issued, to_org_id=case.handling_org_id,
            centre_org_id=case.center_org_id,
            reason=f"「{case.number} {case.title}」已超过处置期限，请抓紧办理并回复。",
            reply_due_at=issued + timedelta(days=reply_days), served_at=replied,
            reply="已督促承办人加快办理，现已处置完毕。" if replied else "", replied_at=replied,
        ))
    Supervision.objects.bulk_create(notices, batch_size=1000)
