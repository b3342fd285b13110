"""How the authorization matrix makes cases, inbox entries and supervision notices in a region.

Cases are 交办事项 (JB, the engine's own kind), opened in the given region through the actions, so the
matrix sees exactly what users see in practice.
"""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.testing.expect import ALL, OWN, only, seen_by
from anmin.workflow import actions
from anmin.workflow.models import Case, CaseTodo, Supervision


def open_task(region, world, title="测试交办事项") -> Case:
    return actions.open_case(kind="JB", title=f"{title}·{region.name}", region=region,
                             reporter=world.user(Role.CITY_OFFICE))


def assigned_case(region, world) -> Case:
    """A case the city office accepted and handed to the education bureau (a department)."""
    city = world.user(Role.CITY_OFFICE)
    case = open_task(region, world, "交办教育局")
    case = actions.transition_case(case=case, actor=city, transition="accept", expected_version=case.version)
    return actions.transition_case(case=case, actor=city, transition="assign", expected_version=case.version,
                                   target_org=world.orgs["education"])


def reported_case(region, world) -> Case:
    """A newly reported case waiting on the nearest centre's desk (村综治中心 / 市平安办)."""
    return open_task(region, world, "待受理")


def supervision(region, world) -> Supervision:
    case = open_task(region, world, "督办")
    return actions.issue_supervision(case=case, actor=world.user(Role.CITY_OFFICE), reason="请加快办理")


# By rule: every business role sees the cases in its jurisdiction; the department handler sees every
# sample case because each is handed to the education bureau, its unit.
CASE_SEEN_BY = seen_by("workflow.view_case", overrides={Role.DEPT_HANDLER: ALL})

# 我的待办 lists a newly reported case only on the desk of the centre that takes it in: the village
# centre for a case in its village, the city office for a city-level case; nobody's for the neighbour
# township's village (no such user in the fixture).
INBOX_LISTS_FOR = only({Role.CITY_OFFICE: {"parent"}, Role.VILLAGE_CENTER: OWN})

SUPERVISION_SEEN_BY = seen_by("workflow.view_case", overrides={Role.DEPT_HANDLER: set()})

SAMPLES = {
    Case: (assigned_case, CASE_SEEN_BY),
    CaseTodo: (reported_case, INBOX_LISTS_FOR),
    Supervision: (supervision, SUPERVISION_SEEN_BY),
}
