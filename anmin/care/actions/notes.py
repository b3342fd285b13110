"""Reading a patient's diagnosis and follow-up notes (诊断、随访观察记录).

They are stored encrypted and shown masked ("患***") to everyone except those who need them:

* the patient's care team (五位一体管理小组) — a member in office whose platform account is linked;
  the worker who wrote a follow-up note also reads that note;
* whoever holds ``care.read_care_notes`` and sees the patient: by default the township centre of the
  patient's place (``visible_to`` keeps it to its township).

Whether a reason must be given is a rule (``notes.reason_required`` in ``care.rules``, by default
no for the care team, yes for the township centre). Every read is a reveal in the audit log, with the
reason given or the rule's standing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from anmin.core import audit
from anmin.core.actors import is_system
from anmin.core.errors import Forbidden, invalid
from anmin.core.guards import action

from .. import rules
from ..models import CareTeamMember, MentalPatient, Visit

NOTES_PERM = "care.read_care_notes"
TEAM, OFFICE, AUTHOR = "team", "office", "author"
#: The reason written to the audit log when the rules ask for none.
STANDING_REASONS = {TEAM: "管理小组成员随访工作（规则无需填写事由）", AUTHOR: "查看本人记录的随访情况",
                    OFFICE: "乡镇综治中心工作（规则无需填写事由）"}
MIN_REASON = 2


def notes_access(user, patient: MentalPatient | None, *, visit: Visit | None = None) -> str | None:
    """How ``user`` may read the notes of ``patient`` (or of one ``visit``): ``"team"``, ``"author"``,
    ``"office"`` or None (the mask). The caller has already found the record through ``visible_to``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if is_system(user):
        return OFFICE
    if not user.is_active:
        return None
    if patient is not None and CareTeamMember.objects.filter(
            patient=patient, user_id=user.pk, until__isnull=True).exists():
        return TEAM
    if visit is not None and visit.recorded_by_id == user.pk:
        return AUTHOR
    if user.has_perm(NOTES_PERM):
        return OFFICE
    return None


def reason_required(access: str | None) -> bool:
    if access is None:
        return True
    if access == AUTHOR:
        return False
    return bool(rules.current_rules()["notes"]["reason_required"].get(access, True))


@dataclass
class CareNotes:
    """What a reveal returns: the plaintext diagnosis and follow-up observations by visit id."""

    diagnosis: str = ""
    observations: dict[int, str] = field(default_factory=dict)


def _check(actor, access: str | None, reason: str) -> str:
    if access is None:
        raise Forbidden("诊断和随访记录只有该患者的管理小组成员和所在乡镇综治中心可以查看")
    reason = (reason or "").strip()
    if reason_required(access) and len(reason) < MIN_REASON:
        raise invalid("reason", "查看事由：必填，请写明为何需要查看诊断和随访记录（至少2个字）")
    return reason or STANDING_REASONS[access]


@action(target="patient", model=MentalPatient, what="查看诊断和随访记录")
def reveal_care_notes(*, actor, patient: MentalPatient, reason: str = "", request=None,
                      limit: int = 100) -> CareNotes:
    """The patient's diagnosis and the observations of their latest follow-ups, in the clear; one
    reveal entry in the audit log."""
    access = notes_access(actor, patient)
    reason = _check(actor, access, reason)
    visits = list(Visit.objects.filter(patient=patient).order_by("-visited_at", "-pk")[:limit])
    notes = CareNotes(
        diagnosis=patient.diagnosis.reveal() if patient.diagnosis else "",
        observations={v.pk: v.observations.reveal() for v in visits if v.observations},
    )
    with transaction.atomic():
        audit.record_reveal(actor=actor, obj=patient, fields=["diagnosis", "observations"], reason=reason,
                            request=request)
    return notes


@action(target="visit", model=Visit, what="查看随访记录")
def reveal_visit_notes(*, actor, visit: Visit, reason: str = "", request=None) -> str:
    """One visit's observations in the clear; one reveal entry in the audit log."""
    access = notes_access(actor, visit.patient if visit.patient_id else None, visit=visit)
    reason = _check(actor, access, reason)
    with transaction.atomic():
        audit.record_reveal(actor=actor, obj=visit, fields=["observations"], reason=reason, request=request)
    return visit.observations.reveal() if visit.observations else ""
