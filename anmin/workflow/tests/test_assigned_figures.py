"""A case assigned across townships moves the figures of whom it is assigned to, at once.

A township's figures (ledger totals, home-page cards) are kept until a write in its township
(``core.scopecache``); a case of another township handed to one of its units, or to one of its people,
or taken from them again, must show in their figures on their next page, not ten minutes later."""

from __future__ import annotations

from anmin.core.models import Role

from .conftest import open_task, step


def _commit() -> None:
    """What the writes so far left to run on commit, run and forgotten — as on a server, where each
    request is its own transaction (the test's one transaction otherwise counts as one that wrote)."""
    from django.db import transaction

    conn = transaction.get_connection()
    pending, conn.run_on_commit = list(conn.run_on_commit), []
    for _sids, func, _robust in pending:
        func()


def _total(client) -> int:
    """The total of the user's case list, as the API states it on a page of one (a page that reads all
    its rows would count them itself; the ledger pages keep their totals the same way)."""
    resp = client.get("/api/v1/cases/?page_size=1")
    assert resp.status_code == 200, resp.content
    return resp.json()["count"]


def _kept_total(client) -> int:
    first = _total(client)
    assert _total(client) == first  # from the cache the second time
    return first


def test_a_case_of_another_township_handed_to_a_unit_and_taken_back(client, world):
    city = world.user(Role.CITY_OFFICE)
    for _ in range(3):
        open_task(world)  # 古城镇's own
    case = open_task(world, region=world.wl_grid)  # 无梁镇
    case = step(case, city, "accept")
    _commit()
    centre = world.user(Role.TOWNSHIP_CENTER)  # 古城镇综治中心: 古城镇's cases, and what is handed to it
    client.force_login(centre)
    before = _kept_total(client)
    case = step(case, city, "assign", target_org=world.orgs["gc_center"])
    _commit()
    assert _kept_total(client) == before + 1
    case = step(case, city, "transfer", reason="属无梁镇", target_org=world.orgs["wl_center"])
    _commit()
    assert _kept_total(client) == before


def test_a_case_of_another_township_given_a_township_unit_to_co_handle(client, world):
    city = world.user(Role.CITY_OFFICE)
    for _ in range(3):
        open_task(world)
    case = step(step(open_task(world, region=world.wl_grid), city, "accept"), city, "assign",
                target_org=world.orgs["wl_center"])
    _commit()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    before = _kept_total(client)
    step(case, city, "cohandle", target_org=world.orgs["gc_center"])  # 协办: 古城镇综治中心
    _commit()
    assert _kept_total(client) == before + 1


def test_a_case_of_another_township_given_to_a_person(client, world):
    city = world.user(Role.CITY_OFFICE)
    worker = world.user(Role.GRID_WORKER)  # 古城镇's 第1网格
    for _ in range(3):
        open_task(world)  # in the worker's grid
    case = step(open_task(world, region=world.wl_grid), city, "accept")
    _commit()
    client.force_login(worker)
    before = _kept_total(client)
    step(case, city, "assign", target_user=worker)
    _commit()
    assert _kept_total(client) == before + 1
