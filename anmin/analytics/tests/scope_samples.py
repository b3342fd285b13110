"""How the authorization matrix makes a generated report in a region."""

from __future__ import annotations

from anmin.analytics.models import ReportKind, ReportRun
from anmin.core import clock
from anmin.core.models import Role

ALL = {"own", "neighbour", "parent"}
OWN = {"own"}
NONE: set[str] = set()


def report_sample(region, world) -> ReportRun:
    return ReportRun.objects.create(kind=ReportKind.ANNUAL, year=2020, region=region, created_at=clock.now(),
                                    title=f"{region.name}年度工作总结")


REPORT_SEEN_BY = {
    Role.CITY_OFFICE: ALL, Role.LEADER: ALL, Role.TOWNSHIP_CENTER: OWN,
    Role.VILLAGE_CENTER: NONE, Role.GRID_WORKER: NONE, Role.MEDIATOR: NONE, Role.POLICE: NONE,
    Role.CRACKDOWN: NONE, Role.DEPT_HANDLER: NONE, Role.SYSADMIN: NONE, Role.AUDITOR: NONE,
}

SAMPLES = {ReportRun: (report_sample, REPORT_SEEN_BY)}
