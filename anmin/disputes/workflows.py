"""The dispute case kind (MD): the default lifecycle with mediation's longer handling limits.

Limits are configurable data; these defaults follow one county's practice: an urgent dispute is
handled within a day, an ordinary one within 7 days, a hard one within 15.

The domain owns two steps: 反馈 is taken by registering the mediation's outcome (``record_outcome``)
and 回访 by registering the follow-up (``record_followup``), each with the dispute's own fields; the
generic case page does not offer them. 核查通过 is refused while the dispute has no outcome.
"""

from __future__ import annotations

from anmin.core.i18n import pgettext_noop
from anmin.core.models.regions import RegionLevel
from anmin.workflow.definitions import DEFAULT_WORKFLOW
from anmin.workflow.registry import CaseKind, detail_page

DISPUTE_WORKFLOW = DEFAULT_WORKFLOW.with_time_limits(handling={"urgent": 1, "normal": 7, "hard": 15})


def _needs_outcome(*, case, **_) -> str | None:
    from .models import Dispute

    if not Dispute.objects.filter(case=case).exclude(outcome="").exists():
        return "纠纷尚未登记调解结果，须先在纠纷页面「登记调解结果」"
    return None


DISPUTE = CaseKind(
    code="MD",
    key="dispute",
    label=pgettext_noop("case kind", "矛盾纠纷"),
    workflow=DISPUTE_WORKFLOW,
    view_perm="disputes.view_dispute",
    detail_url=detail_page("disputes_dispute"),
    app="disputes",
    intake_level=RegionLevel.VILLAGE,
    guards={"verify_pass": _needs_outcome},
    domain_steps=frozenset({"feedback", "visit"}),
    domain_step_labels={"feedback": "登记调解结果", "visit": "回访"},
)
