"""Models of the people registers; import them from here."""

from .persons import House, Person, Residence, name_initials, region_prefix
from .special import (
    SPECIAL_MODELS,
    SPECIAL_PERM,
    CommunityCorrection,
    DrugUser,
    HivRisk,
    ReleasedPrisoner,
    SpecialRecord,
    YouthOfConcern,
)

__all__ = [
    "SPECIAL_MODELS",
    "SPECIAL_PERM",
    "CommunityCorrection",
    "DrugUser",
    "HivRisk",
    "House",
    "Person",
    "ReleasedPrisoner",
    "Residence",
    "SpecialRecord",
    "YouthOfConcern",
    "name_initials",
    "region_prefix",
]
