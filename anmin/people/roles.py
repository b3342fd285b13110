"""Default permissions of the built-in roles on the people registers (applied once by sync_roles).

Residents: every business role with a jurisdiction, inside it. The special registers (特殊人群,
重点青少年, 严重精神障碍患者) only with ``people.view_special_population``: grid workers (their grids),
village and township centres and police (their area), the city office (city-wide) — never
department handlers, mediators, leaders, the system administrator or the auditor. Revealing a full
ID number or phone is a permission of its own, and every reveal is audited.
"""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

RESIDENTS = ("people.view_person", "people.view_house", "people.view_residence")
SPECIAL_MODELS = ("releasedprisoner", "communitycorrection", "druguser", "hivrisk", "youthofconcern", "mentalpatient")
CARE_VIEW = (
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
SPECIAL_VIEW = (
    "people.view_special_population",
    *(f"people.view_{m}" for m in (*SPECIAL_MODELS, *CARE_VIEW)),
)
REGISTER_WRITE = (
    "people.add_person",
    "people.change_person",
    "people.add_house",
    "people.change_house",
    "people.add_residence",
    "people.change_residence",
)
SPECIAL_WRITE = tuple(f"people.{a}_{m}" for m in SPECIAL_MODELS for a in ("add", "change"))
CARE_FIELD = ("people.add_visit", "people.add_riskassessment", "people.add_incident")
CARE_TEAM = ("people.add_careteammember", "people.change_careteammember")


def grants() -> RoleGrants:
    return RoleGrants(
        "people",
        {
            Role.CITY_OFFICE: (
                *RESIDENTS,
                *SPECIAL_VIEW,
                *REGISTER_WRITE,
                *SPECIAL_WRITE,
                "people.reveal_person",
                "people.import_ledger",
            ),
            Role.TOWNSHIP_CENTER: (
                *RESIDENTS,
                *SPECIAL_VIEW,
                *REGISTER_WRITE,
                *SPECIAL_WRITE,
                *CARE_FIELD,
                *CARE_TEAM,
                "people.reveal_person",
                "people.import_ledger",
                "people.approve_risk_level",
                "people.add_guardiansubsidy",
                "people.approve_subsidy",
                "people.add_subsidypayment",
            ),
            Role.VILLAGE_CENTER: (
                *RESIDENTS,
                *SPECIAL_VIEW,
                *REGISTER_WRITE,
                *SPECIAL_WRITE,
                *CARE_FIELD,
                *CARE_TEAM,
                "people.reveal_person",
                "people.import_ledger",
                "people.add_guardiansubsidy",
                "people.add_carelogcheck",
            ),
            Role.GRID_WORKER: (
                *RESIDENTS,
                *SPECIAL_VIEW,
                *REGISTER_WRITE,
                *CARE_FIELD,
                "people.reveal_person",
                "people.add_mentalpatient",
            ),
            Role.POLICE: (*RESIDENTS, *SPECIAL_VIEW, "people.add_visit", "people.add_incident", "people.reveal_person"),
            "crackdown": RESIDENTS,
            Role.LEADER: RESIDENTS,
            Role.SYSADMIN: ("people.view_careconfig", "people.change_careconfig"),
        },
    )
