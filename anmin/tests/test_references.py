"""Places and units of a page's rows from the process's reference tables (core.references), and the
choice labels every page shows (core.choicelabels)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from anmin.core import references
from anmin.core.models import Region, Role
from anmin.core.tests.factories import build_world
from anmin.grid import actions as grid_actions


def _report(world, n: int, region=None) -> None:
    actor = world.user(Role.TOWNSHIP_CENTER if region else Role.GRID_WORKER)
    for i in range(n):
        grid_actions.report_event(actor=actor, region=region or world.gc_grid,
                                  category="04", description=f"村道垃圾堆放 {i}")


def _page(client, url="/grid/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_a_ledger_shows_every_rows_place_and_unit_with_no_query_per_row(client, world):
    _report(world, 2)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    _page(client)  # the scope's kept figures, the menus
    _html, few = _page(client)
    _report(world, 6, region=world.gc_grid2)
    _page(client)  # after a write the scope's figures are read afresh once
    html, many = _page(client)
    assert many == few
    assert html.count("古城镇 / 古城村委会 / 第1网格") == 2
    assert html.count("古城镇 / 古城村委会 / 第2网格") == 6
    assert "古城镇综治中心" in html  # the unit the events wait at


def test_the_case_ledger_and_the_api_list_show_the_full_place(client, world):
    _report(world, 1)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    html, _n = _page(client, "/workflow/cases/")
    assert "古城镇 / 古城村委会 / 第1网格" in html
    client.logout()
    client.force_login(world.user(Role.GRID_WORKER))
    with CaptureQueriesContext(connection) as queries:
        row = client.get("/api/v1/grid-events/").json()["results"][0]
    assert row["region_name"] == "古城镇 / 古城村委会 / 第1网格"
    assert not [q for q in queries.captured_queries if "core_region" in q["sql"] and "IN (" in q["sql"]][1:]


def test_an_export_still_joins_the_place_for_every_row(client, world):
    import io

    from openpyxl import load_workbook

    _report(world, 3)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    response = client.get("/grid/", {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                         if response.streaming else response.content)).active.values)
    # The ledger's own columns (re-importable): 乡镇(街道), 村(社区), 网格 each in its cell.
    assert sum({"古城镇", "古城村委会", "第1网格"} <= {str(cell) for cell in row} for row in rows) == 3


@pytest.mark.django_db(transaction=True)
def test_a_renamed_village_shows_under_its_new_name_on_the_next_page(client):
    """Committed, as on a server: the table kept between requests is started again by the rename."""
    world = build_world()
    _report(world, 1)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert "古城镇 / 古城村委会 / 第1网格" in _page(client)[0]
    assert references.regions([world.gc_grid.code])  # kept
    village = Region.objects.get(pk=world.gc_village.pk)
    village.name = "古城社区居委会"
    village.save()
    html = _page(client)[0]
    assert "古城镇 / 古城社区居委会 / 第1网格" in html
    assert "古城村委会" not in html


def test_attach_sets_the_objects_select_related_would_and_leaves_a_missing_one_to_django(world):
    _report(world, 1)
    from anmin.grid.models import GridEvent

    event = GridEvent.objects.select_related("case").get()
    references.attach([event], "case.region", "case.center_org")
    with CaptureQueriesContext(connection) as queries:
        assert event.case.region.full_name == "古城镇 / 古城村委会 / 第1网格"
        assert event.case.center_org.name == "古城镇综治中心"
    assert not queries.captured_queries
    with pytest.raises(TypeError):
        references.attach([event], "case.reporter")  # users are not reference data


def test_choice_labels_follow_the_language_and_an_unknown_value_shows_as_it_is(world):
    from anmin.disputes.models import Dispute

    d = Dispute(colour="red")
    assert d.get_colour_display() == "红"
    with translation.override("en"):
        assert d.get_colour_display() == "Red"
    d.colour = "purple"
    assert d.get_colour_display() == "purple"


@pytest.mark.django_db(transaction=True)
def test_the_next_report_goes_to_the_centre_as_the_units_are_now(client):
    """The intake centre is kept per process (CentreFinder.kept); a new centre moves it at once."""
    from anmin.core.models import OrgUnit
    from anmin.core.models.orgs import OrgKind
    from anmin.grid.models import GridEvent

    world = build_world()
    grid_actions.report_event(actor=world.user(Role.TOWNSHIP_CENTER), region=world.gc_grid2.code, category="04",
                              description="第一件")
    centre = OrgUnit.objects.get(pk=world.orgs["gc_center"].pk)
    centre.is_active = False  # closed: the city's office takes the township's reports
    centre.save()
    grid_actions.report_event(actor=world.user(Role.TOWNSHIP_CENTER), region=world.gc_grid2.code, category="04",
                              description="第二件")
    OrgUnit.objects.create(code="gc-centre-2", name="古城镇新综治中心", kind=OrgKind.CENTER, region=world.gucheng)
    grid_actions.report_event(actor=world.user(Role.TOWNSHIP_CENTER), region=world.gc_grid2.code, category="04",
                              description="第三件")
    centres = [e.case.center_org.name for e in GridEvent.objects.select_related("case__center_org").order_by("pk")]
    assert centres == ["古城镇综治中心", "禹州市委政法委(市平安办)", "古城镇新综治中心"]
