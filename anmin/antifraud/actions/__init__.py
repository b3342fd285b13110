"""Every write of the anti-fraud domain (``anmin.core.guards.action``)."""

from .blacklist import (
    add_blacklist_entry,
    guess_kind,
    import_blacklist,
    public_check,
    withdraw_blacklist_entry,
)
from .cases import (
    PastFraudCase,
    add_card,
    add_suspect,
    freeze_card,
    import_fraud_cases,
    register_fraud_case,
    set_suspect_status,
    update_fraud_case,
)
from .imports import PastLead, import_past_leads
from .intake import ADD_PERM, BatchResult, intake_leads, report_lead
from .leads import CHANGE_PERM, conclude_lead, override_grade, record_contact, revisit_lead

__all__ = [
    "ADD_PERM", "CHANGE_PERM", "BatchResult", "PastFraudCase", "PastLead", "add_blacklist_entry",
    "add_card", "add_suspect", "conclude_lead", "freeze_card", "guess_kind", "import_blacklist",
    "import_fraud_cases", "import_past_leads", "intake_leads", "override_grade", "public_check",
    "record_contact", "register_fraud_case", "report_lead", "revisit_lead", "set_suspect_status",
    "update_fraud_case", "withdraw_blacklist_entry",
]
