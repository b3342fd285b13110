"""我的待办 on the phone (docs/offline.md): the cases waiting for the user, from ``visible_to``."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core.offline import OfflineSource, offline_sources

from .models import Case


def tasks(user, *, limit: int) -> list[dict]:
    qs = Case.objects.visible_to(user).inbox_for_user(user).select_related("region")[: limit + 1]
    items = []
    for case in qs:
        due = f" · 期限 {timezone.localtime(case.due_at):%Y-%m-%d %H:%M}" if case.due_at else ""
        items.append({"title": f"{case.number} {case.title}", "subtitle": f"{case.status_label}{due}",
                      "url": case.domain_url or "", "value": case.pk})
    return items


def register() -> None:
    offline_sources.register("tasks", OfflineSource("tasks", _("我的待办"), tasks, order=10))
