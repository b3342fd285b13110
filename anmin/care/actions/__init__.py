"""Every write of severe-mental-disorder care (each an ``@action``); import them from here."""

from .notes import CareNotes, notes_access, reason_required, reveal_care_notes, reveal_visit_notes
from .patients import (
    VisitPlan,
    add_team_member,
    assess_risk,
    decide_assessment,
    import_patients,
    plan_visit,
    record_visit,
    register_patient,
    remove_team_member,
    team_status,
    update_care_rules,
)
from .subsidy import (
    SweepResult,
    decide_subsidy_award,
    enroll_subsidy,
    record_care_log_check,
    record_incident,
    record_subsidy_payment,
    subsidy_eligibility,
    sweep,
)

__all__ = [
    "CareNotes",
    "SweepResult",
    "VisitPlan",
    "add_team_member",
    "assess_risk",
    "decide_assessment",
    "decide_subsidy_award",
    "enroll_subsidy",
    "import_patients",
    "notes_access",
    "plan_visit",
    "reason_required",
    "record_care_log_check",
    "record_incident",
    "record_subsidy_payment",
    "record_visit",
    "register_patient",
    "remove_team_member",
    "reveal_care_notes",
    "reveal_visit_notes",
    "subsidy_eligibility",
    "sweep",
    "team_status",
    "update_care_rules",
]
