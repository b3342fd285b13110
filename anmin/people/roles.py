"""Default permissions of the built-in roles on the people registers (applied once by sync_roles).

Residents: every business role with a jurisdiction, inside it. The special registers (特殊人群,
重点青少年; care adds 严重精神障碍患者) only with ``people.view_special_population``: grid workers (their grids),
village and township centres and police (their area), the city office (city-wide) — never
department handlers, mediators, leaders, the system administrator or the auditor. Revealing a full
ID number or phone is a permission of its own, and every reveal is audited.
"""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

RESIDENTS = ("people.view_person", "people.view_house", "people.view_residence")
SPECIAL_MODELS = ("releasedprisoner", "communitycorrection", "druguser", "hivrisk", "youthofconcern")
SPECIAL_VIEW = (
    "people.view_special_population",
    *(f"people.view_{m}" for m in SPECIAL_MODELS),
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
                "people.reveal_person",
                "people.import_ledger",
            ),
            Role.VILLAGE_CENTER: (
                *RESIDENTS,
                *SPECIAL_VIEW,
                *REGISTER_WRITE,
                *SPECIAL_WRITE,
                "people.reveal_person",
                "people.import_ledger",
            ),
            Role.GRID_WORKER: (
                *RESIDENTS,
                *SPECIAL_VIEW,
                *REGISTER_WRITE,
                "people.reveal_person",
            ),
            Role.POLICE: (*RESIDENTS, *SPECIAL_VIEW, "people.reveal_person"),
            "crackdown": RESIDENTS,
            Role.LEADER: RESIDENTS,
        },
    )
