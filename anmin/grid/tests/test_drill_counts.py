"""The report's and dashboard's 办结网格事件 links to the grid ledger filtered 已办结: the ledger lists
what the figure counts (the demo's 2020 report said 17101 and the ledger it linked to 17281 — the 180
events 不予受理 were counted as 已办结 by the ledger and not by the figure)."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import drill_links
from anmin.grid import kpis

from .test_kpis import DAY, close, report, step


def test_the_closed_figure_and_its_ledger_agree(client, world):
    done, refused, _open = report(world), report(world), report(world)
    close(world, done)
    step(world, refused.case, "reject", DAY, reason="不属于受理范围")
    assert kpis.closed(year=2020) == 1
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get(drill_links.get("grid.closed").url(year=2020)).content.decode()
    assert "共 1 条" in page
    assert done.case.number in page
    assert refused.case.number not in page
    page = client.get("/grid/?status=rejected").content.decode()
    assert refused.case.number in page  # a refused event is still found by its state
