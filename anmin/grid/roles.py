"""Default permissions of the built-in roles on grid events (applied once by ``sync_roles``).

Where a role sees events is its scope: a grid worker its own grids, a centre its jurisdiction, a
department handler (scope "assigned") only what is handed to its unit or to them.
"""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

VIEW = ("grid.view_gridevent",)
REPORT = (*VIEW, "grid.add_gridevent")


def grants() -> RoleGrants:
    return RoleGrants("grid", {
        Role.CITY_OFFICE: REPORT,
        Role.TOWNSHIP_CENTER: REPORT,
        Role.VILLAGE_CENTER: REPORT,
        Role.GRID_WORKER: REPORT,
        Role.POLICE: VIEW,
        Role.DEPT_HANDLER: VIEW,
        "mediator": VIEW,
        Role.LEADER: VIEW,
    })
