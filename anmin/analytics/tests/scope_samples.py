"""How the authorization matrix makes a generated report in a region."""

from __future__ import annotations

from anmin.analytics.models import ReportKind, ReportRun
from anmin.core import clock
from anmin.core.models import Role
from anmin.core.testing.expect import ALL, OWN, only


def report_sample(region, world) -> ReportRun:
    return ReportRun.objects.create(kind=ReportKind.ANNUAL, year=2020, region=region, created_at=clock.now(),
                                    title=f"{region.name}年度工作总结")


# Only the city office and leaders (everywhere) and a township centre (its own) see them.
REPORT_SEEN_BY = only({Role.CITY_OFFICE: ALL, Role.LEADER: ALL, Role.TOWNSHIP_CENTER: OWN})

SAMPLES = {ReportRun: (report_sample, REPORT_SEEN_BY)}
