"""Default permissions of the built-in roles on the disputes domain (applied once by sync_roles)."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

VIEW = ("disputes.view_dispute", "disputes.view_mediationorg", "disputes.view_mediator")
WORK = (*VIEW, "disputes.add_dispute", "disputes.change_dispute")
REGISTRY = (
    "disputes.add_mediationorg",
    "disputes.change_mediationorg",
    "disputes.add_mediator",
    "disputes.change_mediator",
)


def grants() -> RoleGrants:
    return RoleGrants(
        "disputes",
        {
            Role.CITY_OFFICE: (*WORK, *REGISTRY),
            Role.TOWNSHIP_CENTER: (*WORK, *REGISTRY),
            Role.VILLAGE_CENTER: WORK,
            Role.GRID_WORKER: ("disputes.view_dispute", "disputes.add_dispute"),
            Role.MEDIATOR: (*VIEW, "disputes.change_dispute"),
            Role.POLICE: ("disputes.view_dispute",),
            Role.LEADER: VIEW,
        },
    )
