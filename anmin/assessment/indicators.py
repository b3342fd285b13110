"""Indicators offered to assessment schemes for the KPIs of today's domains (a domain may register
its own ``AssessmentIndicator`` for its KPIs; these are added only where the KPI exists and the key
is free). The demo's schemes are built from them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import AssessmentIndicator, assessment_indicators, kpis

A = AssessmentIndicator
OFFERED = (
    A("disputes.mediation_rate", _("矛盾纠纷调解率"), "disputes.mediation_rate", "score",
      {"type": "proportional", "full_at": 85}),
    A("disputes.success_rate", _("矛盾纠纷调成率"), "disputes.success_rate", "score",
      {"type": "thresholds", "steps": [[90, 1.0], [85, 0.8], [75, 0.5]]}),
    A("grid.on_time_rate", _("网格事件按期办结率"), "grid.on_time_rate", "score", {"type": "ranking", "floor": 0.6}),
    A("followup", _("严重精神障碍患者随访完成率"), "care.followup_completion_rate,people.followup_completion_rate", "score",
      {"type": "proportional", "full_at": 95}),
    A("cases.overdue", _("超期未办结事项"), "cases.supervised", "deduction", {"type": "per_item", "points": 0.1}),
    A("veto.criminal", _("矛盾纠纷“民转刑”命案"), "disputes.criminal", "veto", {"above": 0}),
    A("veto.mental", _("严重精神障碍患者肇祸重大案件"), "care.major_incidents,people.major_incidents", "veto", {"above": 0}),
)


def register() -> None:
    for item in OFFERED:
        if item.key in assessment_indicators:
            continue
        if any(k in kpis for k in item.kpi.split(",")):
            assessment_indicators.register(item.key, item)
