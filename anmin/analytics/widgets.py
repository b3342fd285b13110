"""The home page's way in to the dashboards: a card of links (no figure computed on the home page)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Widget, widgets

from .roles import DASHBOARD


class _Link:
    def __init__(self, url: str):
        self.url = url

    def get_absolute_url(self) -> str:
        return self.url


def _links(request) -> dict:
    items = [(_Link(reverse("analytics:dashboard")), _("统计分析")),
             (_Link(reverse("analytics:bigscreen")), _("指挥大屏")),
             (_Link(reverse("analytics:map")), _("态势地图"))]
    if request.user.has_perm("analytics.view_reportrun"):
        items.append((_Link(reverse("analytics:report_list")), _("报告与通报")))
    return {"items": items}


def register() -> None:
    widgets.register("analytics", Widget("analytics", _("统计分析与大屏"), "core/widgets/links.html", _links,
                                         DASHBOARD, order=15))
