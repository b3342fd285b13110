"""What every page's shell needs: their org and jurisdiction (the menu is ``{% side_menu %}``)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from . import clock


def shell(request) -> dict:
    user = getattr(request, "user", None)
    ctx = {"anmin_site_name": settings.ANMIN_SITE_NAME, "demo_mode": settings.ANMIN_DEMO_RELAXED,
           # A database whose world stands on another date (the demo: 2020-12-10) says so on every page.
           "business_today": clock.today() if clock.is_shifted() else None,
           # The phone's offline recorder adds this to its own clock (docs/offline.md).
           "clock_shift_seconds": round(clock.shift().total_seconds()),
           # ... and shows a moment in the city's time zone, whatever zone the phone is set to.
           "time_zone_name": timezone.get_current_timezone_name(),
           "tz_offset_minutes": round(timezone.localtime().utcoffset().total_seconds() / 60)}
    if user is not None and user.is_authenticated:
        org = user.org_unit
        ctx["user_org"] = org
        ctx["user_region"] = org.region if org else None
        ctx["user_roles"] = user.role_list
        from .models import Notice

        ctx["unread_notices"] = Notice.objects.filter(recipient=user.pk, read_at__isnull=True).count()
    return ctx
