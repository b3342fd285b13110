"""Patrol check-ins with no network (docs/offline.md): the open patrols the user may check in on, kept
encrypted on the phone as the choices of the offline check-in form, and that form on the offline
workbench (its HTML names no patrol; the phone fills the choice list). A check-in kept offline goes to
the check-in API (``/api/v1/prevention/checkins/``) under the Idempotency-Key made on the phone."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anmin.core.offline import OfflineForm, OfflineSource, offline_forms, offline_sources

from .actions import PATROL_PERM
from .models import PatrolLog


def open_patrols(user, *, limit: int) -> list[dict]:
    """The patrols under way that the user may see (their own first)."""
    qs = (PatrolLog.objects.visible_to(user).filter(ended_at__isnull=True).select_related("team")
          .order_by("-started_at", "-pk")[: limit + 1])
    rows = sorted(qs, key=lambda log: log.patroller_id != user.pk)
    return [{"title": log.team.name, "value": log.pk,
             "subtitle": gettext("%(t)s 开始") % {"t": f"{timezone.localtime(log.started_at):%m-%d %H:%M}"}}
            for log in rows]


def checkin_form_context(user) -> dict:
    from .views import CheckInForm

    return {"checkin_form": CheckInForm(auto_id="offline-checkin-%s"),
            "checkin_api": reverse("prevention-checkin-list")}


def register() -> None:
    offline_sources.register("patrols", OfflineSource(
        "patrols", _("进行中的巡逻"), open_patrols, perm=PATROL_PERM, order=40, pick=True))
    offline_forms.register("patrol_checkin", OfflineForm(
        "patrol_checkin", _("巡逻打卡"), "prevention/offline_checkin.html", checkin_form_context,
        perm=PATROL_PERM, order=40))
