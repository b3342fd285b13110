"""The grid-event case kind (WG): the default lifecycle, taken in by the township centre.

"The centre moves the procedure, the handling department solves the substance": a grid worker
reports from the grid, the township 综治中心 accepts and hands the event to a department (派出所,
a bureau) or to the village centre, which feeds back a result the centre checks and closes.
Time limits are the default lifecycle's (urgent: the same day; ordinary: 3 days; hard: 7 days)
and, like the intake level, are data to change here.
"""

from __future__ import annotations

from anmin.core.i18n import pgettext_noop
from anmin.core.models.regions import RegionLevel
from anmin.workflow.definitions import DEFAULT_WORKFLOW
from anmin.workflow.registry import CaseKind, detail_page

GRID_EVENT_WORKFLOW = DEFAULT_WORKFLOW


GRID_EVENT = CaseKind(
    code="WG",
    key="grid_event",
    label=pgettext_noop("case kind", "网格事件"),
    workflow=GRID_EVENT_WORKFLOW,
    view_perm="grid.view_gridevent",
    detail_url=detail_page("grid_gridevent"),
    app="grid",
    intake_level=RegionLevel.TOWNSHIP,
)
