"""Home-page cards of the disputes domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.registry import Widget, widgets

from . import kpis
from .models import Dispute


def _latest_year(user) -> int:
    """The year of the newest dispute the user can see (the demo world lives in 2020)."""
    # Newest first through the date's index, stopping at the first visible one (an aggregate MAX
    # joins every visible dispute's case).
    latest = Dispute.objects.visible_to(user).order_by("-found_on").values_list("found_on", flat=True).first()
    return latest.year if latest else clock.today().year


def _stats(request) -> dict:
    user = request.user
    year = _latest_year(user)
    # The year's counts in one statement (the rates are quotients of them, as kpis.mediation_rate and
    # success_rate compute); "overdue now" from the open cases' index.
    figures = kpis.year_figures(year=year, user=user)
    figures["overdue"] = kpis.overdue(year=year, user=user)
    figures["mediation_rate"] = kpis.rate(figures["mediated"], figures["found"])
    figures["success_rate"] = kpis.rate(figures["succeeded"], figures["mediated"])
    return {
        "stats": [
            (_("%(y)s年排查纠纷") % {"y": year}, figures["found"]),
            (_("调解率"), f"{figures['mediation_rate']}%"),
            (_("调成率"), f"{figures['success_rate']}%"),
            (_("超期未办结"), figures["overdue"]),
            (_("民转刑"), figures["criminal"]),
        ],
        "link": ("disputes:dispute_list", _("矛盾纠纷台账")),
    }


def register() -> None:
    widgets.register("disputes", Widget("disputes", _("矛盾纠纷排查化解"), "core/widgets/stats.html", _stats,
                                        "disputes.view_dispute", order=20, cache_seconds=600))
