"""What every page's shell needs: the menu the user may use, their org and jurisdiction."""

from __future__ import annotations

from django.conf import settings

from .registry import visible_menu


def shell(request) -> dict:
    user = getattr(request, "user", None)
    ctx = {"anmin_site_name": settings.ANMIN_SITE_NAME, "demo_mode": settings.ANMIN_DEMO_RELAXED}
    if user is not None and user.is_authenticated:
        ctx["menu"] = visible_menu(user)
        org = user.org_unit
        ctx["user_org"] = org
        ctx["user_region"] = org.region if org else None
        ctx["user_roles"] = user.role_list
    return ctx
