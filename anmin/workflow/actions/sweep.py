"""The periodic sweep: warnings, overdue marks and automatic 督办."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from anmin.core import clock
from anmin.core.actors import SYSTEM

from .. import notify
from ..definitions import Workflow
from ..models import Case, CaseEvent, Supervision
from ..rules import (
    CentreFinder,
    owner_org_id,
)
from .base import (
    _audit,
    log,
)


# -- The sweep: warnings, overdue marks, automatic 督办 ----------------------------------------------
@dataclass
class SweepResult:
    now: datetime
    warned: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    supervisions: int = 0

    def as_dict(self) -> dict:
        return {"now": self.now.isoformat(), "warned": len(self.warned), "overdue": len(self.overdue),
                "supervisions": self.supervisions, "warned_numbers": self.warned[:100],
                "overdue_numbers": self.overdue[:100]}

    def __str__(self) -> str:
        return (f"临期预警 {len(self.warned)} 件，逾期 {len(self.overdue)} 件，"
                f"自动督办 {self.supervisions} 件（{timezone.localtime(self.now):%Y-%m-%d %H:%M}）")


def _chunks(ids: list[int], size: int):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def sweep(*, now: datetime | None = None, batch: int = 2000) -> SweepResult:
    """One pass over open cases: mark those past the warning point and those past their deadline,
    and send every newly overdue case an automatic 督办 (to the unit whose move it is, copied to the
    centre above). Idempotent: a second pass at the same time changes nothing."""
    now = now or clock.now()
    result = SweepResult(now)
    finder = CentreFinder()
    finder.preload()
    overdue_ids = list(Case.objects.overdue(now).filter(overdue_at__isnull=True).order_by("pk")
                       .values_list("pk", flat=True))
    for chunk in _chunks(overdue_ids, batch):
        _sweep_overdue(chunk, now, result, finder)
    warn_ids = list(Case.objects.warning(now).filter(warned_at__isnull=True).order_by("pk")
                    .values_list("pk", flat=True))
    for chunk in _chunks(warn_ids, batch):
        _sweep_warning(chunk, now, result)
    if result.warned or result.overdue:
        log.info("workflow.sweep warned=%s overdue=%s supervisions=%s", len(result.warned), len(result.overdue),
                 result.supervisions)
    return result


def _kind_workflow(case: Case) -> Workflow | None:
    try:
        return case.workflow
    except LookupError:
        log.warning("workflow.sweep.unknown_kind case=%s kind=%s", case.pk, case.kind)
        return None


def _sweep_overdue(ids: list[int], now: datetime, result: SweepResult, finder: CentreFinder) -> None:
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, is_open=True, paused_since__isnull=True, overdue_at__isnull=True, due_at__lte=now)
            .order_by("pk")
        )
        if not cases:
            return
        existing = set(
            Supervision.objects.filter(case__in=cases, automatic=True).values_list("case_id", "auto_key")
        )
        events, notices, changed = [], [], []
        for case in cases:
            wf = _kind_workflow(case)
            if wf is None:
                continue
            case.overdue_at = now
            case.warned_at = case.warned_at or now
            limit = wf.limit_for(case.status)
            stage_label = limit.label if limit else ""
            due_text = f"{timezone.localtime(case.due_at):%Y-%m-%d %H:%M}"
            to_id = owner_org_id(case)
            to_org = finder.org(to_id) if to_id else None
            centre = finder.above(case.region_id, to_org) if to_org else None
            key = f"overdue:{case.stage_no}"
            reason = f"已超过{stage_label}期限（{due_text}）"
            if wf.escalation.supervise_when_overdue and to_org is not None and (case.pk, key) not in existing:
                notices.append(Supervision(
                    case=case, automatic=True, auto_key=key, issued_at=now, to_org=to_org, centre_org=centre,
                    reason=f"「{case.number} {case.title}」{reason}，请抓紧办理并回复。",
                    reply_due_at=now + timedelta(days=wf.escalation.reply_days),
                ))
                reason += f"，已自动督办{to_org.name}" + (f"并抄送{centre.name}" if centre else "")
            case.last_seq += 1
            events.append(CaseEvent(
                case=case, seq=case.last_seq, at=now, actor=None, action="overdue", label=gettext_noop("逾期"),
                from_state=case.status, to_state=case.status, reason=reason,
                data={"due_at": case.due_at.isoformat(), "stage": case.stage,
                      "to_org": to_id, "centre_org": centre.pk if centre else None},
            ))
            changed.append(case)
            result.overdue.append(case.number)
            notify.on_overdue(case, now, to_org if (case.pk, key) not in existing else None, centre)
        Supervision.objects.bulk_create(notices)
        CaseEvent.objects.bulk_create(events)
        # One set-based UPDATE (every changed case got exactly one event): far cheaper than
        # bulk_update's CASE WHEN per row.
        Case.objects.filter(pk__in=[c.pk for c in changed]).update(
            overdue_at=now, warned_at=Coalesce("warned_at", Value(now)), last_seq=F("last_seq") + 1)
        result.supervisions += len(notices)
        if changed:
            _audit(action="update", actor=SYSTEM, object_type="workflow.case",
                   after={"step": "sweep:overdue", "at": now.isoformat(), "numbers": [c.number for c in changed],
                          "supervisions": len(notices)})


def _sweep_warning(ids: list[int], now: datetime, result: SweepResult) -> None:
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, is_open=True, paused_since__isnull=True, warned_at__isnull=True,
                    warn_at__lte=now, due_at__gt=now)
            .order_by("pk")
        )
        events = []
        for case in cases:
            case.warned_at = now
            case.last_seq += 1
            events.append(CaseEvent(
                case=case, seq=case.last_seq, at=now, actor=None, action="warning", label=gettext_noop("临期预警"),
                from_state=case.status, to_state=case.status,
                reason=f"办理期限 {timezone.localtime(case.due_at):%Y-%m-%d %H:%M}，请抓紧办理",
                data={"due_at": case.due_at.isoformat(), "stage": case.stage},
            ))
            result.warned.append(case.number)
            notify.on_warning(case, now)
        if cases:
            CaseEvent.objects.bulk_create(events)
            Case.objects.filter(pk__in=[c.pk for c in cases]).update(warned_at=now, last_seq=F("last_seq") + 1)
            _audit(action="update", actor=SYSTEM, object_type="workflow.case",
                   after={"step": "sweep:warning", "at": now.isoformat(), "numbers": [c.number for c in cases]})
