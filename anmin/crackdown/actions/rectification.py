"""Writes of the inspection-feedback rectification list (督导反馈问题整改清单): each problem an
inspection found is a case (kind ZG) handed to the responsible unit; the unit reports its measures
(the domain's step), the 扫黑办 checks and closes it. Overdue items are supervised by the sweep."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.checks import day, place, text
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.i18n import source_text
from anmin.core.models import OrgUnit, Region
from anmin.workflow import actions as case_actions

from ..models import Rectification
from ..workflows import RECTIFICATION
from .common import check_version, office, require_handler

ADD_RECTIFICATION = "crackdown.add_rectification"


@action(perm=ADD_RECTIFICATION, region="region", region_label="所属区域", what="登记整改问题")
def register_rectification(*, actor, inspection: str, problem: str, region: Region | str, to_org: OrgUnit | int,
                           responsible: str, deadline: date | str, title: str = "", now=None) -> Rectification:
    """登记整改问题: opened, taken in and handed to the responsible unit in one action."""
    now = now or clock.now()
    today = timezone.localdate(now)
    where = place(region, label="所属区域")
    inspection = text(inspection, "inspection", "督导批次", 100, required=True)
    problem = text(problem, "problem", "反馈问题", 5000, required=True)
    responsible = text(responsible, "responsible", "责任单位", 100, required=True)
    due = day(deadline, "deadline", "整改时限", date(today.year + 10, 12, 31), latest=f"{today.year + 10}年底")
    if due < today:
        raise invalid("deadline", "「整改时限」不能早于今天")
    title = text(title, "title", "标题", 200) or problem.splitlines()[0][:30]
    if to_org in (None, ""):
        raise invalid("to_org", "「交办单位」为必填项")
    with transaction.atomic(), audit.batch():
        case = case_actions.open_case(kind=RECTIFICATION, title=title, region=where, reporter=actor, now=now,
                                      description=problem, source=source_text(inspection), center_org=office(where))
        item = Rectification.objects.create(case=case, inspection=inspection, problem=problem,
                                            responsible=responsible, deadline=due)
        case = case_actions.transition_case(case=case, actor=actor, transition="accept",
                                            expected_version=case.version, now=now)
        item.case = case_actions.transition_case(case=case, actor=actor, transition="assign",
                                                 expected_version=case.version, target_org=to_org, now=now)
        audit.record(actor=actor, action="create", obj=item, after={"number": case.number, "deadline": str(due)})
    return item


@action(target="item", model=Rectification, what="报送整改情况")
def report_rectification(*, actor, item: Rectification, expected_version: int, measures: str, now=None,
                         ) -> Rectification:
    """报送整改情况: the responsible unit's measures and progress; hands the item back to the 扫黑办 to
    check and close (a late report is recorded as late by the engine's time limits)."""
    now = now or clock.now()
    with transaction.atomic():
        r = Rectification.objects.select_for_update().select_related("case").get(pk=getattr(item, "pk", item))
        check_version(r.case, expected_version)
        require_handler(actor, r.case, "报送整改情况")
        if r.case.status != "in_progress":
            raise invalid("measures", f"当前状态为「{r.case.status_label}」，只有整改中的问题可以报送整改情况")
        r.measures = text(measures, "measures", "整改措施及进展", 5000, required=True)
        r.rectified_on = timezone.localdate(now)
        r.version += 1
        r.save()
        audit.record(actor=actor, action="update", obj=r, after={"rectified_on": str(r.rectified_on)})
        r.case = case_actions.transition_case(case=r.case, actor=actor, transition="feedback",
                                              expected_version=r.case.version, domain="crackdown",
                                              data={"result": r.measures[:500]}, now=now)
    return r
