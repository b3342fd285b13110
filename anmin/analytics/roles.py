"""Default grants of analytics: dashboards for every business role with an area; reports for the
city office (generate) and leaders (read)."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

DASHBOARD = "analytics.view_dashboard"


def grants() -> RoleGrants:
    view = (DASHBOARD,)
    reports = ("analytics.view_reportrun",)
    return RoleGrants("analytics", {
        Role.CITY_OFFICE: (*view, *reports, "analytics.add_reportrun"),
        Role.LEADER: (*view, *reports),
        Role.TOWNSHIP_CENTER: (*view, *reports, "analytics.add_reportrun"),
        Role.VILLAGE_CENTER: view,
        Role.GRID_WORKER: view,
        Role.POLICE: view,
        "crackdown": view,
    })
