"""Models of severe-mental-disorder care; import them from here."""

from .patients import MentalPatient
from .records import (
    CareConfig,
    CareLogCheck,
    CareTeamMember,
    FollowUpWarning,
    GuardianSubsidy,
    Incident,
    RiskAssessment,
    SubsidyAward,
    SubsidyPayment,
    Visit,
)

__all__ = [
    "CareConfig",
    "CareLogCheck",
    "CareTeamMember",
    "FollowUpWarning",
    "GuardianSubsidy",
    "Incident",
    "MentalPatient",
    "RiskAssessment",
    "SubsidyAward",
    "SubsidyPayment",
    "Visit",
]
