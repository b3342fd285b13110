"""Default permissions of the built-in roles on hazards (applied once by ``sync_roles``).

The township and village centres keep the waters and railway hazards; the police keep the
drunk-driving register (criminal records: not shown to village staff or grid workers)."""

from __future__ import annotations

from anmin.core.models import Role


def _perms(model: str, *actions: str) -> tuple[str, ...]:
    return tuple(f"hazards.{a}_{model}" for a in actions)


WATERS = (*_perms("water", "view", "add", "change"), *_perms("waterinspection", "view", "add"),
          *_perms("drowningincident", "view", "add", "change"))
WATERS_VIEW = (*_perms("water", "view"), *_perms("waterinspection", "view"), *_perms("drowningincident", "view"))
RAILWAY = _perms("railwayhazard", "view", "add")
RAILWAY_VIEW = _perms("railwayhazard", "view")
DRUNK = _perms("drunkdriving", "view", "add", "change")
DRUNK_VIEW = _perms("drunkdriving", "view")


GRANTS = {
    Role.CITY_OFFICE: (*WATERS, *RAILWAY, *DRUNK_VIEW),
    Role.TOWNSHIP_CENTER: (*WATERS, *RAILWAY),
    Role.VILLAGE_CENTER: (*WATERS, *RAILWAY),
    Role.GRID_WORKER: (*WATERS_VIEW, *_perms("waterinspection", "add"), *RAILWAY),
    Role.POLICE: (*WATERS_VIEW, *RAILWAY_VIEW, *DRUNK),
    Role.DEPT_HANDLER: RAILWAY_VIEW,
    Role.LEADER: (*WATERS_VIEW, *RAILWAY_VIEW, *DRUNK_VIEW),
}
