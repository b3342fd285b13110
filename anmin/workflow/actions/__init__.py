"""Every write of the case engine: open a case, take a step, supervise, reply, link a duplicate, and
the periodic sweep (warnings, overdue marks, automatic 督办).

Each function runs in one transaction; a step locks the case row and checks the version the user
saw, so of two people acting on the same case exactly one succeeds and the other gets
``CaseConflict`` carrying the newer state.
"""
from anmin.workflow.rules import in_jurisdiction

from .base import CENTRE_KINDS, CaseConflict, InvalidTransition, TransitionNotAllowed, WorkflowError
from .history import PastCase, PastStep, import_cases, import_details
from .levels import Level, record_level_change
from .numbers import _known_sequences, allocate_number, allocate_numbers, sync_number_sequences
from .steps import link_duplicate, open_case, open_task, record_case_event, transition_case
from .supervision import issue_supervision, reply_supervision, serve_supervision
from .sweep import SweepResult, sweep

__all__ = [
    "CENTRE_KINDS", "CaseConflict", "InvalidTransition", "Level", "PastCase", "PastStep", "SweepResult",
    "TransitionNotAllowed", "WorkflowError", "_known_sequences", "allocate_number", "allocate_numbers",
    "import_cases", "import_details", "in_jurisdiction", "issue_supervision", "link_duplicate", "open_case",
    "open_task", "record_case_event", "record_level_change", "reply_supervision", "serve_supervision", "sweep",
    "sync_number_sequences", "transition_case",
]
