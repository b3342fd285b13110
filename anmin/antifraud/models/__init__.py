"""Models of the anti-fraud domain: warning leads (the detail of a case of kind YJ) with their contact
attempts, the rules that grade and route them, fraud cases with victims, suspects and the "两卡", and
the blacklist the public check reads."""

from .blacklist import BlacklistEntry, EntryKind
from .cases import (
    CardKind,
    FraudCard,
    FraudCase,
    FraudCaseQuerySet,
    FraudVictim,
    Suspect,
    SuspectStatus,
)
from .leads import (
    GRADE_RANK,
    ContactAttempt,
    ContactMethod,
    ContactResult,
    Grade,
    GradeRule,
    Lead,
    LeadOutcome,
    LeadQuerySet,
    LeadSource,
    RoutingRule,
    VictimProfile,
)

__all__ = [
    "GRADE_RANK", "BlacklistEntry", "CardKind", "ContactAttempt", "ContactMethod", "ContactResult", "EntryKind",
    "FraudCard",
    "FraudCase", "FraudCaseQuerySet", "FraudVictim", "Grade", "GradeRule", "Lead", "LeadOutcome", "LeadQuerySet",
    "LeadSource", "RoutingRule", "Suspect", "SuspectStatus", "VictimProfile",
]
