"""Models of the people registers; import them from here."""

from .care import (
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
from .persons import House, Person, Residence, name_initials, region_prefix
from .special import (
    SPECIAL_MODELS,
    SPECIAL_PERM,
    CommunityCorrection,
    DrugUser,
    HivRisk,
    MentalPatient,
    ReleasedPrisoner,
    SpecialRecord,
    YouthOfConcern,
)

__all__ = [
    "SPECIAL_MODELS",
    "SPECIAL_PERM",
    "CareConfig",
    "CareLogCheck",
    "CareTeamMember",
    "CommunityCorrection",
    "DrugUser",
    "FollowUpWarning",
    "GuardianSubsidy",
    "HivRisk",
    "House",
    "Incident",
    "MentalPatient",
    "Person",
    "ReleasedPrisoner",
    "Residence",
    "RiskAssessment",
    "SpecialRecord",
    "SubsidyAward",
    "SubsidyPayment",
    "Visit",
    "YouthOfConcern",
    "name_initials",
    "region_prefix",
]
