"""Default permissions of the built-in roles on campaigns and designations (``sync_roles``)."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

MODELS = ("designation", "publicitycampaign", "publicitymaterial", "insuredhousehold", "counsellor",
          "counsellingsession", "practicereport")
VIEW = tuple(f"campaigns.view_{m}" for m in MODELS)
EDIT = (*VIEW, *(f"campaigns.{a}_{m}" for m in MODELS for a in ("add", "change")))
TOWNSHIP = (*VIEW, *(f"campaigns.{a}_{m}" for m in ("designation", "publicitycampaign", "publicitymaterial",
                                                       "insuredhousehold", "counsellingsession")
                     for a in ("add", "change")))


def grants() -> RoleGrants:
    return RoleGrants("campaigns", {
        Role.CITY_OFFICE: EDIT,
        Role.TOWNSHIP_CENTER: TOWNSHIP,
        Role.VILLAGE_CENTER: VIEW,
        Role.LEADER: VIEW,
    })
