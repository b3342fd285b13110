"""Default permissions of the built-in roles on the anti-fraud domain (applied once by ``sync_roles``).

The police station (派出所民警, core's Role.POLICE) works the leads of its township and keeps the case
ledger; the centres and the grid worker of the victim's grid see the leads in their place and may log
a visit (a grid worker or 劝阻员 at the door); the 市平安办 sees everything and may take in leads."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

LEAD_VIEW = ("antifraud.view_lead",)
LEAD_WORK = (*LEAD_VIEW, "antifraud.change_lead")
LEAD_ADD = (*LEAD_WORK, "antifraud.add_lead")
CASES_VIEW = ("antifraud.view_fraudcase", "antifraud.view_blacklistentry")
CASES_WORK = (*CASES_VIEW, "antifraud.add_fraudcase", "antifraud.change_fraudcase", "antifraud.add_blacklistentry",
              "antifraud.change_blacklistentry")


def grants() -> RoleGrants:
    return RoleGrants("antifraud", {
        Role.POLICE: (*LEAD_ADD, *CASES_WORK),
        Role.CITY_OFFICE: (*LEAD_ADD, *CASES_VIEW),
        Role.TOWNSHIP_CENTER: (*LEAD_WORK, *CASES_VIEW),
        Role.VILLAGE_CENTER: LEAD_WORK,
        Role.GRID_WORKER: LEAD_WORK,
        Role.LEADER: (*LEAD_VIEW, *CASES_VIEW),
    })
