"""Who acts: a user, or the platform itself (``SYSTEM``) — always said explicitly.

Every action takes ``actor=``. A user is checked for permission and jurisdiction; ``SYSTEM`` (the
demo builder, a sweep, a hook reacting to another registry's change, a bulk load run by an
administrator's command) passes those checks and is written down as 系统 in the audit log and on a
case's timeline. ``actor=None`` is a programming error, never a silent bypass: ``check_actor``
raises.
"""

from __future__ import annotations

from typing import Any

from .models.accounts import UserScope


class SystemActor:
    """The platform acting on its own. Not a database row: fields that name a user get None
    (``as_user``)."""

    is_system = True
    is_authenticated = True
    is_active = True
    is_anonymous = False
    pk = None
    id = None
    username = "system"
    name = "系统"
    org_unit = None
    org_unit_id = None
    scope = UserScope(prefixes=("",), reference_prefixes=("",), region_code=None)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True

    def has_perms(self, perms, obj: Any = None) -> bool:
        return True

    def has_role(self, *codes: str) -> bool:
        return True

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return "<SYSTEM>"

    def __reduce__(self):
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def check_actor(actor: Any) -> Any:
    """The actor, or a TypeError for a missing one (``actor=None`` must never skip the checks)."""
    if actor is None:
        raise TypeError("an action needs actor=: a user, or anmin.core.actors.SYSTEM for the platform itself")
    return actor


def as_user(actor: Any):
    """The user to store in a field that names one (None for the platform itself)."""
    return None if actor is None or is_system(actor) else actor
