"""Home-page cards of the disputes domain."""

from __future__ import annotations

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.registry import Widget, widgets

from . import kpis
from .models import Dispute


def _latest_year(user) -> int:
    """The year of the newest dispute the user can see (the demo world lives in 2020)."""
    latest = Dispute.objects.visible_to(user).aggregate(m=Max("found_on"))["m"]
    return latest.year if latest else clock.today().year


def _stats(request) -> dict:
    user = request.user
    year = _latest_year(user)
    # Each count once (the rates are quotients of them, as kpis.mediation_rate/success_rate compute).
    figures = {k: fn(year=year, user=user) for k, fn in (
        ("found", kpis.found), ("mediated", kpis.mediated), ("succeeded", kpis.succeeded),
        ("overdue", kpis.overdue), ("criminal", kpis.criminal))}
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
