"""Authentication backend: permissions come from the user's roles (no per-user grants, no superuser);
a (account, address) pair locked out after repeated failures cannot authenticate at all."""

from __future__ import annotations

import functools

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import audit, logins
from .keptquery import KeptGet


@functools.cache
def _signed_in() -> KeptGet:
    from django.contrib.auth import get_user_model

    return KeptGet(get_user_model(), "pk", related=("org_unit__region",))


class AccountLocked(PermissionDenied):
    """Raised inside ``authenticate``: Django then reports a failed login and tries no other backend."""


class RoleBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username if username is not None else kwargs.get(self._username_field())
        if name and logins.locked_until(username=name, address=audit.client_address(request)):
            raise AccountLocked
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD

    def get_user(self, user_id):
        """The signed-in user of a request, with their unit and its region in the same query (every
        request that checks jurisdiction reads them: ``User.scope``)."""
        user = _signed_in()(user_id)  # read on every request, its statement compiled once (core.keptquery)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            from .principal import facts

            user_obj._role_perm_cache = set(facts(user_obj).perms)
        return user_obj._role_perm_cache

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()
