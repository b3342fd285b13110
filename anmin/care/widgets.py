"""Home-page cards of severe-mental-disorder care."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Widget, widgets
from anmin.people.models import SPECIAL_PERM
from anmin.people.models.choices import AssessmentStatus

from . import rules
from .models import MentalPatient, RiskAssessment


def _care(request) -> dict:
    user = request.user
    today = rules.today()
    soon = today + dt.timedelta(days=rules.current_rules()["due_soon_days"])
    patients = MentalPatient.objects.visible_to(user).active()
    stats = [
        (_("在册患者"), patients.count()),
        (_("3级及以上"), patients.filter(risk_level__gte=3).count()),
        (_("随访逾期"), patients.filter(next_followup_on__lt=today).count()),
        (_("即将到期"), patients.filter(next_followup_on__gte=today, next_followup_on__lte=soon).count()),
    ]
    if user.has_perm("care.approve_risk_level"):
        pending = RiskAssessment.objects.visible_to(user).filter(status=AssessmentStatus.PENDING).count()
        stats.append((_("等级变更待审批"), pending))
    return {"stats": stats, "link": ("care:overdue_list", _("查看随访逾期"))}


def register() -> None:
    widgets.register(
        "people_care",
        Widget("people_care", _("严重精神障碍患者随访"), "core/widgets/stats.html", _care, SPECIAL_PERM, order=20,
               cache_seconds=600),
    )
