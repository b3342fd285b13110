"""A ledger's 筛选 panel says 已筛选 — and opens, pushing the list down a phone's screen — only when the
bar narrows the list. Turning to page 2 (?page=2) used to do both with nothing filtered."""

from __future__ import annotations

import re

from django.core.cache import caches

from anmin.core.models import Role


def _fold(page: str) -> tuple[bool, bool]:
    details = re.search(r'<details class="filter-fold"[^>]*>\s*<summary>[^<]*</summary>', page).group(0)
    return " open" in details.split(">")[0], "已筛选" in details


def test_turning_the_page_is_not_filtering(client, world):
    caches["default"].clear()
    client.force_login(world.user(Role.CITY_OFFICE))
    assert _fold(client.get("/regions/").content.decode()) == (False, False)
    assert _fold(client.get("/regions/?page=2").content.decode()) == (False, False)
    assert _fold(client.get("/regions/?page=2&q=").content.decode()) == (False, False)
    assert _fold(client.get("/regions/?q=古城").content.decode()) == (True, True)
