"""Authentication backend: permissions come from the user's roles (no per-user grants, no superuser)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            perms = Permission.objects.filter(role__users=user_obj).values_list("content_type__app_label", "codename")
            user_obj._role_perm_cache = {f"{app}.{code}" for app, code in perms}
        return user_obj._role_perm_cache

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()
