"""Default permissions of the built-in roles on severe-mental-disorder care (applied once by sync_roles).

Care records are seen with ``people.view_special_population`` (like every register on a person): grid
workers (their grids), village and township centres and police (their area), the city office
(city-wide). The field work — follow-ups, assessments, incidents — is the grid worker's, the village's,
the township's and (visits, incidents) the police's; the township centre approves level changes and
the yearly subsidy and reads diagnoses and follow-up notes (with a reason; the care team reads them
without); the village checks the care logs; the system administrator edits the rules.
"""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

CARE_MODELS = (
    "mentalpatient",
    "riskassessment",
    "visit",
    "careteammember",
    "incident",
    "guardiansubsidy",
    "carelogcheck",
    "subsidyaward",
    "subsidypayment",
    "followupwarning",
)
VIEW = tuple(f"care.view_{m}" for m in CARE_MODELS)
REGISTER = ("care.add_mentalpatient", "care.change_mentalpatient")
FIELD = ("care.add_visit", "care.add_riskassessment", "care.add_incident")
TEAM = ("care.add_careteammember", "care.change_careteammember")


def grants() -> RoleGrants:
    return RoleGrants(
        "care",
        {
            Role.CITY_OFFICE: (*VIEW, *REGISTER),
            Role.TOWNSHIP_CENTER: (
                *VIEW,
                *REGISTER,
                *FIELD,
                *TEAM,
                "care.approve_risk_level",
                "care.read_care_notes",  # diagnoses and follow-up notes, with a reason (care.actions.notes)
                "care.add_guardiansubsidy",
                "care.approve_subsidy",
                "care.add_subsidypayment",
            ),
            Role.VILLAGE_CENTER: (*VIEW, *REGISTER, *FIELD, *TEAM, "care.add_guardiansubsidy", "care.add_carelogcheck"),
            Role.GRID_WORKER: (*VIEW, *FIELD, "care.add_mentalpatient"),
            Role.POLICE: (*VIEW, "care.add_visit", "care.add_incident"),
            Role.SYSADMIN: ("care.view_careconfig", "care.change_careconfig"),
        },
    )
