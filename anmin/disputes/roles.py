"""The disputes domain's role (调解员) and the default permissions of every role on it (applied once by
``sync_roles``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from anmin.core.models import Role
from anmin.core.models.accounts import ScopeKind
from anmin.core.models.orgs import OrgKind
from anmin.core.registry import RoleDef, RoleGrants

MEDIATOR = "mediator"

ROLES = (
    RoleDef(MEDIATOR, gettext_noop("调解员"),
            ScopeKind.ASSIGNED, "人民调解员：本调委会的纠纷、调解记录与协议", order=50,
            org_kinds=(OrgKind.MEDIATION_COMMITTEE,), app="disputes"),
)

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
            MEDIATOR: (*VIEW, "disputes.change_dispute"),
            Role.POLICE: ("disputes.view_dispute",),
            Role.LEADER: VIEW,
        },
    )
