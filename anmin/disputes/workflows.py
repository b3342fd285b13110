"""The dispute case kind (MD): the default lifecycle with mediation's longer handling limits.

Limits are configurable data; these defaults follow one county's practice: an urgent dispute is
handled within a day, an ordinary one within 7 days, a hard one within 15.
"""

from __future__ import annotations

from django.urls import reverse

from anmin.core.i18n import pgettext_noop
from anmin.core.models.regions import RegionLevel
from anmin.workflow.definitions import DEFAULT_WORKFLOW
from anmin.workflow.registry import CaseKind

DISPUTE_WORKFLOW = DEFAULT_WORKFLOW.with_time_limits(handling={"urgent": 1, "normal": 7, "hard": 15})


def _detail_url(case) -> str | None:
    dispute_id = getattr(getattr(case, "disputes_dispute", None), "pk", None)
    return reverse("disputes:dispute_detail", args=[dispute_id]) if dispute_id else None


def _on_transition(*, case, event, transition, actor, data, **_):
    """Keep the dispute's 回访 fields in step with the case's visit step."""
    if transition.name != "visit":
        return
    from .actions import sync_followup

    sync_followup(case=case, at=event.at, satisfaction=(data or {}).get("satisfaction", ""), note=event.reason)


DISPUTE = CaseKind(
    code="MD",
    key="dispute",
    label=pgettext_noop("case kind", "矛盾纠纷"),
    workflow=DISPUTE_WORKFLOW,
    view_perm="disputes.view_dispute",
    detail_url=_detail_url,
    on_transition=_on_transition,
    app="disputes",
    intake_level=RegionLevel.VILLAGE,
)
