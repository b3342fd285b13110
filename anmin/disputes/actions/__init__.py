"""Every write of the disputes domain: registries, reporting a dispute, mediation, outcome, 回访,
民转刑, documents, and the risk colour kept in step with the parties' risk signals.

Keyword-only arguments; one transaction each; the dispute's case row is locked and its version
checked where two people may act at once; every write leaves an audit record; every function checks
permission and jurisdiction itself (``@action``).
"""

from .disputes import (
    check_category,
    check_scale,
    clean_party,
    link_criminal_case,
    outcome_content_errors,
    record_followup,
    record_outcome,
    record_session,
    report_dispute,
    update_risk,
)
from .documents import attach_document, may_attach_document
from .imports import PastDispute, PastSession, import_past_disputes
from .registries import create_mediation_org, create_mediator, update_mediation_org
from .risk import effective_colour, ensure_default_risk_flags, refresh_party_signals

__all__ = [
    "PastDispute",
    "PastSession",
    "attach_document",
    "check_category",
    "check_scale",
    "clean_party",
    "create_mediation_org",
    "create_mediator",
    "effective_colour",
    "ensure_default_risk_flags",
    "import_past_disputes",
    "link_criminal_case",
    "may_attach_document",
    "outcome_content_errors",
    "record_followup",
    "record_outcome",
    "record_session",
    "refresh_party_signals",
    "report_dispute",
    "update_mediation_org",
    "update_risk",
]
