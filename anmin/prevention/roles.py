"""Default permissions of every role on the prevention registries (applied once by ``sync_roles``)."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

MODELS = ("camera", "platform", "plannedpoint", "patrolteam", "patrolmember", "liaison", "patrollog",
          "liaisonactivity", "policeactivity", "camerarepair")
VIEW = tuple(f"prevention.view_{m}" for m in MODELS)
EDIT = (*VIEW, *(f"prevention.{verb}_{m}" for m in MODELS for verb in ("add", "change")))
PATROL = (*VIEW, "prevention.add_patrollog", "prevention.change_patrollog")


def grants() -> RoleGrants:
    return RoleGrants(
        "prevention",
        {
            Role.CITY_OFFICE: EDIT,
            Role.TOWNSHIP_CENTER: EDIT,
            Role.POLICE: EDIT,
            Role.VILLAGE_CENTER: PATROL,
            Role.GRID_WORKER: PATROL,
            Role.LEADER: VIEW,
        },
    )
