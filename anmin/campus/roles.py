"""Default permissions of the built-in roles on campuses (applied once by ``sync_roles``)."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants


def _perms(*pairs: tuple[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(f"campus.{a}_{m}" for m, actions in pairs for a in actions)


VIEW = _perms(("school", ("view",)), ("safetycheck", ("view",)), ("guardpost", ("view",)),
              ("guardcheckin", ("view",)), ("campusincident", ("view",)))
EDIT = (*VIEW, *_perms(("school", ("add", "change")), ("safetycheck", ("add", "change")),
                       ("guardpost", ("add", "change")), ("guardcheckin", ("add",)),
                       ("campusincident", ("add", "change"))))
FIELD = (*VIEW, *_perms(("guardcheckin", ("add",)), ("campusincident", ("add",))))


def grants() -> RoleGrants:
    return RoleGrants("campus", {
        Role.CITY_OFFICE: EDIT,
        Role.TOWNSHIP_CENTER: EDIT,
        Role.VILLAGE_CENTER: FIELD,
        Role.GRID_WORKER: FIELD,
        Role.POLICE: (*FIELD, *_perms(("guardpost", ("add", "change")))),
        Role.LEADER: VIEW,
    })
