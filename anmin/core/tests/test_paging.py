"""The ledgers' paginator: a page past the end is the last page, as Django's own paginator answers
(browser pass 3: ?page=999 of a ledger showed page 1)."""

from __future__ import annotations

from anmin.core.models import Region
from anmin.core.paging import LedgerPaginator


def test_a_page_past_the_end_is_the_last_page_whether_or_not_the_count_is_kept(world):
    rows = Region.objects.order_by("code")
    total = rows.count()
    assert total > 4
    kept = {}

    def remember(name, compute):
        return kept.setdefault(name, compute())

    for paginator in (LedgerPaginator(rows, 2), LedgerPaginator(rows, 2, remember=remember)):
        last = (total + 1) // 2
        page = paginator.get_page(999)
        assert page.number == last
        assert list(page.object_list) == list(rows[(last - 1) * 2:])
        assert paginator.get_page("x").number == 1
