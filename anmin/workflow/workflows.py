"""The case engine's own kind: 交办事项 (JB), tasks the city office or a township centre hands to a
unit, using the default lifecycle. Domains declare their kinds in their own ``workflows.py``."""

from __future__ import annotations

from anmin.core.i18n import pgettext_noop
from anmin.core.models.regions import RegionLevel

from .definitions import DEFAULT_WORKFLOW
from .registry import CaseKind

TASK_WORKFLOW = DEFAULT_WORKFLOW

TASK = CaseKind(
    code="JB",
    key="task",
    label=pgettext_noop("case kind", "交办事项"),
    workflow=TASK_WORKFLOW,
    view_perm="workflow.view_case",
    app="workflow",
    intake_level=RegionLevel.VILLAGE,
    creatable=True,
)
