"""The grid part of the demo world (at a small scale): plausible, idempotent, supervision showing."""

from __future__ import annotations

from anmin.core.demo import build as build_core
from anmin.core.models import AuditEntry
from anmin.grid import demo, kpis
from anmin.grid.models import GridEvent
from anmin.workflow.models import Case, CaseEvent, Supervision


def test_the_demo_year_of_grid_events(db):
    build_core()
    stats = demo.build(scale=0.02)
    n = GridEvent.objects.count()
    assert stats["grid_events"] == n
    assert 300 < n <= 360
    cases = Case.objects.of_kind("WG")
    # Most are closed; some are open and some of those are overdue today, with an automatic 督办.
    assert kpis.closed(year=2020) > 0.9 * n
    assert cases.filter(is_open=True).exists()
    overdue = cases.filter(is_open=True, overdue_at__isnull=False)
    assert overdue.exists()
    assert Supervision.objects.filter(case__in=overdue, automatic=True).count() == overdue.count()
    assert 90 < kpis.on_time_rate(year=2020) < 100
    # Each event has its timeline (reported, accepted, handed out …) and its number in report order.
    closed = cases.filter(status="visited").order_by("pk").first()
    actions = list(CaseEvent.objects.filter(case=closed).order_by("seq").values_list("action", flat=True))
    assert actions == ["open", "accept", "assign", "feedback", "verify_pass", "visit"]
    numbers = list(cases.order_by("opened_at", "pk").values_list("number", flat=True))
    assert numbers == sorted(numbers)
    # Written in batches, one audit entry per batch.
    assert AuditEntry.objects.filter(action="import", object_type="workflow.case").count() == 1
    # A second run adds nothing.
    assert demo.build(scale=0.02)["grid_events"] == 0
    assert GridEvent.objects.count() == n
