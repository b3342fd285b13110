"""A scoped page read branch by branch (core.branchpage) shows the same rows as the one query would."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anmin.core.branchpage import merged_rows
from anmin.core.models import Role
from anmin.core.paging import page_rows
from anmin.grid import actions as grid_actions
from anmin.workflow.models import Case


def _scattered_world(world):
    """Cases in the township centre's own township, and some of the neighbour's that it handles (by
    its unit or by its own user), with equal times among them so that the order leans on the key."""
    centre = world.user(Role.TOWNSHIP_CENTER)
    reporter = world.user(Role.GRID_WORKER)
    ids = [grid_actions.report_event(actor=reporter, region=world.gc_grid, category="04",
                                     description=f"古城村道垃圾 {i}").case_id for i in range(9)]
    elsewhere = world.user(Role.CITY_OFFICE)
    outside = [grid_actions.report_event(actor=elsewhere, region=world.wl_grid, category="04",
                                         description=f"无梁村道垃圾 {i}").case_id for i in range(6)]
    base = timezone.make_aware(dt.datetime(2026, 3, 1, 9))
    for i, pk in enumerate(ids + outside):
        Case.objects.filter(pk=pk).update(opened_at=base + dt.timedelta(hours=i // 3), handler=None, handling_org=None)
    Case.objects.filter(pk__in=outside[:2]).update(handler=centre)
    Case.objects.filter(pk__in=outside[2:4]).update(handling_org=centre.org_unit)
    Case.objects.filter(pk=ids[4]).update(handler=centre)  # in two branches: listed once
    return centre, ids, outside


def test_every_page_has_the_rows_of_the_single_query_in_its_order(world):
    centre, ids, outside = _scattered_world(world)
    qs = Case.objects.visible_to(centre).order_by("-opened_at", "-pk")
    assert qs.branches is not None
    assert len(qs.branches) >= 3  # region, handler, handling unit
    expected = [c.pk for c in qs]
    assert sorted(expected) == sorted(ids + outside[:4])  # the neighbour's unassigned two stay out
    for size in (1, 2, 4, 5, 13, 50):
        for bottom in range(0, len(expected) + 1, size):
            rows = [c.pk for c in page_rows(qs, bottom, bottom + size)]
            assert rows == expected[bottom:bottom + size], (size, bottom)
    # The statement kept from the first pages serves them again, and another user's parts are their own.
    assert [c.pk for c in page_rows(qs, 0, 5)] == expected[:5]
    city = world.user(Role.CITY_OFFICE)
    everyone = Case.objects.visible_to(city).order_by("-opened_at", "-pk")
    assert [c.pk for c in page_rows(everyone, 0, 50)] == [c.pk for c in everyone[:50]]
    assert set(ids + outside) <= {c.pk for c in page_rows(everyone, 0, 50)}
    narrowed = qs.filter(region__code__startswith=world.wl_village.code[:9])  # 无梁镇: read as one query
    assert merged_rows(narrowed, 0, 10) is None
    assert [c.pk for c in page_rows(narrowed, 0, 10)] == [pk for pk in expected if pk in outside]


def test_the_case_ledger_reads_its_page_by_branch_on_postgresql(client, world):
    centre, ids, outside = _scattered_world(world)
    client.force_login(centre)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/workflow/cases/", {"per_page": 10}).content.decode()
    unions = [q["sql"] for q in queries.captured_queries if " UNION " in q["sql"]]
    assert bool(unions) == (connection.vendor == "postgresql")
    shown = Case.objects.filter(pk__in=ids + outside).order_by("-opened_at", "-pk")
    visible = [c for c in shown if c.pk in set(ids + outside[:4])]
    for case in visible[:10]:
        assert case.number in html
    for case in visible[10:]:
        assert case.number not in html
    html2 = client.get("/workflow/cases/", {"per_page": 10, "page": 2}).content.decode()
    assert all(case.number in html2 for case in visible[10:])


def test_a_queryset_ored_with_another_forgets_its_branches(world):
    centre, _ids, outside = _scattered_world(world)
    qs = Case.objects.visible_to(centre)
    other = Case.objects.filter(pk=outside[-1])
    combined = qs | other
    assert combined.branches is None
    assert qs.branches is not None
    assert outside[-1] in [c.pk for c in page_rows(combined.order_by("-opened_at", "-pk"), 0, 50)]
    assert qs.filter(kind="WG").branches == qs.branches  # a filter keeps them (the page is then one query)


def test_a_domain_records_page_by_its_cases_columns_is_the_single_querys(world):
    """Grid events ordered by their case's time (the kit's API lists: ``-case__opened_at``) read part by
    part give the rows and order of the one query, on every page; the API's first page for a narrow
    scope is read so on PostgreSQL, and the rest of the list by cursor as one query."""
    from anmin.core.branchpage import applies
    from anmin.grid.models import GridEvent
    from anmin.workflow.kit.api import NEWEST_FIRST

    centre, ids, outside = _scattered_world(world)
    qs = GridEvent.objects.visible_to(centre, by_branch=True).order_by(*NEWEST_FIRST)
    assert applies(qs) == (connection.vendor == "postgresql")
    assert GridEvent.objects.visible_to(centre).order_by(*NEWEST_FIRST).branches is None  # asked for only
    expected = [e.pk for e in qs]
    assert sorted(e.case_id for e in qs) == sorted(ids + outside[:4])
    for size in (1, 2, 5, 13, 50):
        for bottom in range(0, len(expected) + 1, size):
            assert [e.pk for e in page_rows(qs, bottom, bottom + size)] == expected[bottom:bottom + size]

    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(centre)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/grid-events/", {"page_size": 4, "cursor": ""})
    assert first.status_code == 200, first.content
    unions = [q["sql"] for q in queries.captured_queries if " UNION " in q["sql"]]
    assert bool(unions) == (connection.vendor == "postgresql")
    seen = [row["id"] for row in first.json()["results"]]
    nxt = first.json()["next"]
    while nxt:
        page = client.get(nxt)
        assert page.status_code == 200
        seen += [row["id"] for row in page.json()["results"]]
        nxt = page.json()["next"]
    assert seen == expected


def test_a_townships_part_is_read_by_its_township_and_finds_the_prefixs_rows(world):
    """The region part of a township user's page tests the code's first nine digits (an index holds them
    ahead of ``opened_at``), which selects exactly the cases the prefix does; the query's own condition
    keeps the prefix (the planner's estimates, which totals and plans read, stay the prefix's)."""
    centre, ids, outside = _scattered_world(world)
    township = centre.org_unit.region_id[:9]
    qs = Case.objects.visible_to(centre).order_by("-opened_at", "-pk")
    parts = " ".join(map(str, qs.branches))
    assert f"('region__code__township', '{township}')" in parts
    assert "region__code__startswith" not in parts
    assert "township" not in str(qs.query)
    by_township = set(Case.objects.filter(region__code__township=township).values_list("pk", flat=True))
    assert by_township == set(Case.objects.filter(region__code__startswith=township).values_list("pk", flat=True))
    assert set(ids) <= by_township
    assert not set(outside) & by_township
    if connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as queries:
            page_rows(qs, 0, 5)
        assert f"LEFT(\"workflow_case\".\"region_id\", 9) = '{township}'" in queries.captured_queries[-1]["sql"]
    # A village's or the city's prefix is not a township's: left as it is.
    city = Case.objects.visible_to(world.user(Role.CITY_OFFICE))
    assert city.branches is None or "township" not in " ".join(map(str, city.branches))


def test_a_domain_ledger_newest_first_reads_its_page_by_branch_and_one_in_its_own_order_does_not(client, world):
    centre, ids, outside = _scattered_world(world)
    client.force_login(centre)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/grid/", {"per_page": 10}).content.decode()
    assert bool([q for q in queries.captured_queries if " UNION " in q["sql"]]) == (connection.vendor == "postgresql")
    visible = list(Case.objects.filter(pk__in=ids + outside[:4]).order_by("-opened_at", "-pk"))
    assert all(c.number in html for c in visible[:10])
    assert not any(c.number in html for c in visible[10:])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/disputes/", {"colour": "red"}).status_code == 200
    assert not [q for q in queries.captured_queries if " UNION " in q["sql"]]  # filtered: one query


def _scattered_disputes(world):
    """Disputes found on days out of step with their cases' opening (the ledger's order is the day found,
    several on one day), in the centre's township, and in the neighbour's: two handled by the centre's
    user or unit, one not. Two are imported (set-based), the rest registered one by one."""
    from anmin.disputes import actions as dispute_actions
    from anmin.disputes.models import Dispute
    from anmin.workflow import actions as case_actions

    centre, city = world.user(Role.TOWNSHIP_CENTER), world.user(Role.CITY_OFFICE)
    parties = [{"name": "张某"}, {"name": "李某", "role": "respondent"}]
    day = dt.date(2026, 3, 1)
    mine = [dispute_actions.report_dispute(actor=centre, title=f"古城宅基地纠纷 {i}", region=world.gc_grid,
                                           category="0902", found_on=day - dt.timedelta(days=(i * 5) % 7 // 2),
                                           parties=parties).pk for i in range(7)]
    theirs = [dispute_actions.report_dispute(actor=city, title=f"无梁借贷纠纷 {i}", region=world.wl_grid,
                                             category="0902", found_on=day - dt.timedelta(days=i % 3),
                                             parties=parties).pk for i in range(3)]
    past = [dispute_actions.PastDispute(
        case=case_actions.PastCase(kind="MD", title=f"古城旧纠纷 {i}", region_id=world.gc_grid.code,
                                   opened_at=timezone.make_aware(dt.datetime(2026, 1, 5 + i, 9)), reporter=centre),
        category="0902", found_on=day - dt.timedelta(days=1), parties=parties) for i in range(2)]
    dispute_actions.import_past_disputes(past, actor=centre)
    mine += list(Dispute.objects.filter(case__title__startswith="古城旧纠纷").values_list("pk", flat=True))
    cases = dict(Dispute.objects.filter(pk__in=theirs).values_list("pk", "case_id"))
    Case.objects.filter(pk=cases[theirs[0]]).update(handler=centre)
    Case.objects.filter(pk=cases[theirs[1]]).update(handling_org=centre.org_unit)
    return centre, mine, theirs


def test_a_detail_keeps_its_cases_township_however_it_was_written(world):
    from anmin.disputes.models import Dispute

    _centre, mine, theirs = _scattered_disputes(world)
    township = dict(Dispute.objects.values_list("pk", "township"))
    assert {township[pk] for pk in mine} == {world.gc_grid.code[:9]}  # registered and imported alike
    assert {township[pk] for pk in theirs} == {world.wl_grid.code[:9]}


def test_the_dispute_ledger_in_its_own_order_is_read_by_branch_from_its_township_copy(client, world):
    """The ledger by the day found, read part by part: the township's part tests the dispute's own copy of
    its township (one range of ``dispute_township_found``), and every page has the single query's rows."""
    from anmin.disputes.models import Dispute

    centre, mine, theirs = _scattered_disputes(world)
    qs = Dispute.objects.visible_to(centre, by_branch=True).order_by("-found_on", "-pk")
    expected = [d.pk for d in qs]
    assert sorted(expected) == sorted(mine + theirs[:2])  # the neighbour's unassigned one stays out
    for size in (1, 2, 3, 5, 50):
        for bottom in range(0, len(expected) + 1, size):
            rows = [d.pk for d in page_rows(qs, bottom, bottom + size)]
            assert rows == expected[bottom:bottom + size], (size, bottom)
    client.force_login(centre)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/disputes/", {"per_page": 10}).content.decode()
    unions = [q["sql"] for q in queries.captured_queries if " UNION " in q["sql"]]
    assert bool(unions) == (connection.vendor == "postgresql")
    if unions:
        assert f"\"disputes_dispute\".\"township\" = '{world.gc_grid.code[:9]}'" in unions[0]
    numbers = dict(Dispute.objects.values_list("pk", "case__number"))
    shown = [re.search(rf"{numbers[pk]}(?!\d)", html) is not None for pk in expected]
    assert len(expected) == 11
    assert shown == [True] * 10 + [False]
    # In the case's order (the kit's API lists) the part stays on the case's township index.
    by_case = Dispute.objects.visible_to(centre, by_branch=True).order_by("-case__opened_at", "-case_id")
    with CaptureQueriesContext(connection) as queries:
        assert [d.pk for d in page_rows(by_case, 0, 3)] == [d.pk for d in by_case[:3]]
    assert "\"township\" =" not in queries.captured_queries[-1]["sql"]
    # A grid worker's part (a grid's prefix) is sorted, by the day too.
    worker = world.user(Role.GRID_WORKER)
    theirs_qs = Dispute.objects.visible_to(worker, by_branch=True).order_by("-found_on", "-pk")
    assert [d.pk for d in page_rows(theirs_qs, 0, 50)] == [d.pk for d in theirs_qs]


def test_a_wide_scopes_first_api_page_is_read_by_branch_with_the_single_querys_rows(world):
    from rest_framework.test import APIClient

    from anmin.grid.models import GridEvent
    from anmin.workflow.kit.api import NEWEST_FIRST

    _scattered_world(world)
    city = world.user(Role.CITY_OFFICE)
    client = APIClient()
    client.force_authenticate(city)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/grid-events/", {"page_size": 7})
    assert first.status_code == 200, first.content
    everyone = GridEvent.objects.visible_to(city).order_by(*NEWEST_FIRST)
    assert [row["id"] for row in first.json()["results"]] == [e.pk for e in everyone[:7]]
    if GridEvent.objects.visible_to(city, by_branch=True).branches:
        assert bool([q for q in queries.captured_queries if " UNION " in q["sql"]]) == (
            connection.vendor == "postgresql")


def test_a_grid_workers_part_walks_the_grid_and_a_villages_is_sorted_with_the_single_querys_rows(world):
    """A grid is the last level: newest first, its part tests the grid's code for equality, and
    ``case_region_opened`` (region, opened_at) holds its cases in that order, read backwards until the
    page is full. A village's cases lie grid by grid in the prefix's range, none in order of time: that
    part orders by a value of the time (read the range, sort it) rather than walk the whole table newest
    first (287 ms at a million cases for a grid without recent reports)."""
    _centre, ids, _outside = _scattered_world(world)
    worker = world.user(Role.GRID_WORKER)
    cadre = world.user(Role.VILLAGE_CENTER)  # 古城村's centre: the worker's grid is one of its village's
    assert cadre.org_unit.region_id == world.gc_grid.parent_id
    for user in (worker, cadre):
        qs = Case.objects.visible_to(user).order_by("-opened_at", "-pk")
        expected = [c.pk for c in qs]
        assert set(ids) <= set(expected)
        for size in (1, 4, 50):
            for bottom in range(0, len(expected) + 1, size):
                assert [c.pk for c in page_rows(qs, bottom, bottom + size)] == expected[bottom:bottom + size]
    if connection.vendor != "postgresql":
        return
    grid_part = _region_part(Case.objects.visible_to(worker).order_by("-opened_at", "-pk"))
    assert f"\"workflow_case\".\"region_id\" = '{world.gc_grid.code}'" in grid_part
    assert "LIKE" not in grid_part
    assert "interval" not in grid_part.lower()
    village_part = _region_part(Case.objects.visible_to(cadre).order_by("-opened_at", "-pk"))
    assert f"LIKE '{world.gc_grid.parent_id}%'" in village_part
    assert "interval" in village_part.lower()
    # A domain record's page in its case's order walks the grid the same way.
    from anmin.grid.models import GridEvent

    events = GridEvent.objects.visible_to(worker, by_branch=True).order_by("-case__opened_at", "-case_id")
    assert f"\"workflow_case\".\"region_id\" = '{world.gc_grid.code}'" in _region_part(events)
    assert [e.pk for e in page_rows(events, 0, 4)] == [e.pk for e in events[:4]]


def _region_part(qs) -> str:
    """The text of the region's part of ``qs``'s first page as read branch by branch."""
    with CaptureQueriesContext(connection) as queries:
        page_rows(qs, 0, 5)
    sql = queries.captured_queries[-1]["sql"]
    assert "SELECT c0 FROM (" in sql, sql
    return next(p for p in sql.split("SELECT c0 FROM (", 1)[1].split(" UNION ") if "\"region_id\"" in p)


def test_counts_part_by_part_are_the_single_statements(world):
    """The year's disputes counted part by part of the user's condition — each part without the rows of
    the parts before it, a region part on the dispute's own township copy too — are the counts of the
    one statement: a dispute handled by the centre and lying in its township counts once."""
    from django.db.models import Count, Q

    from anmin.core import branchpage
    from anmin.disputes import kpis
    from anmin.disputes.models import Dispute

    centre, mine, theirs = _scattered_disputes(world)
    Dispute.objects.filter(pk=mine[0]).update(outcome="success")
    Dispute.objects.filter(pk=theirs[0]).update(outcome="success", criminal_case_number="豫公刑字2026-1")
    Case.objects.filter(pk=Dispute.objects.get(pk=mine[1]).case_id).update(handler=centre)  # in two parts
    city = world.user(Role.CITY_OFFICE)
    for user in (centre, city, world.user(Role.GRID_WORKER)):
        single = Dispute.objects.visible_to(user).found_in(2026)
        figures = kpis.year_figures(year=2026, user=user)
        assert figures == single.aggregate(found=Count("pk"), mediated=Count("pk", filter=Q(outcome="success")),
                                           succeeded=Count("pk", filter=Q(outcome="success")),
                                           criminal=Count("pk", filter=~Q(criminal_case_number="")))
        county = world.gc_grid.code[:6] + "000000"
        assert kpis.found(year=2026, region=county, user=user) == single.inside(county[:6]).count()
    assert kpis.found(year=2026, user=centre) == len(mine) + 2
    assert kpis.found(year=2026, user=city) == len(mine) + len(theirs)
    # The parts' statements, on PostgreSQL: the township's part on the copy; the county's on its range.
    parts = Dispute.objects.visible_to(city, by_branch=True).found_in(2026)
    with CaptureQueriesContext(connection) as queries:
        assert branchpage.aggregate(parts, n=Count("pk"))["n"] == len(mine) + len(theirs)
    if connection.vendor == "postgresql":
        county = world.gc_grid.code[:6]
        assert f"\"disputes_dispute\".\"township\" >= '{county}'" in queries.captured_queries[0]["sql"]
        assert f"\"disputes_dispute\".\"township\" < '{int(county) + 1}'" in queries.captured_queries[0]["sql"]
        with CaptureQueriesContext(connection) as queries:
            kpis.found(year=2026, user=centre)
        first = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"])
        assert f"\"disputes_dispute\".\"township\" = '{world.gc_grid.code[:9]}'" in first


def test_a_detail_with_a_township_copy_is_placed_by_it(world):
    """``inside(prefix)`` of disputes tests the dispute's own copy of its township (a county's range, a
    township's code; a village's or a grid's prefix on the case as well): the rows of the case's prefix."""
    from django.db import IntegrityError, transaction

    from anmin.disputes.models import Dispute

    _scattered_disputes(world)
    for prefix in ("41", "411081", world.gc_grid.code[:9], world.wl_grid.code[:9], world.gc_grid.code[:12],
                   world.gc_grid.code, "411082", "999999"):
        assert set(Dispute.objects.inside(prefix).values_list("pk", flat=True)) == set(
            Dispute.objects.filter(case__region__code__startswith=prefix).values_list("pk", flat=True)), prefix
    assert "township" in str(Dispute.objects.inside("411081").query)
    one = Dispute.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():  # a write that did not fill it is refused
        Dispute.objects.filter(pk=one.pk).update(township="")


def test_the_dispute_ledger_filtered_by_township_is_placed_by_the_copy(client, world):
    from anmin.disputes.models import Dispute

    _centre, mine, theirs = _scattered_disputes(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    township = world.wl_grid.code[:9] + "000"
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/disputes/", {"township": township}).content.decode()
    numbers = dict(Dispute.objects.values_list("pk", "case__number"))
    assert [re.search(rf"{numbers[pk]}(?!\d)", html) is not None for pk in mine + theirs] == \
        [False] * len(mine) + [True] * len(theirs)
    page = next(q["sql"] for q in queries.captured_queries if "FROM \"disputes_dispute\"" in q["sql"])
    assert f"\"disputes_dispute\".\"township\" = '{township[:9]}'" in page
