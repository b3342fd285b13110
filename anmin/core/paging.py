"""Counting a scoped list without reading all of it: exact to 1,000 rows, PostgreSQL's estimate beyond.

Used by the ledger pages (``core.views.base.LedgerView``) and the API lists (``core.pagination``); its
own module so that DRF can import it while loading the viewset base classes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection, connections
from django.utils.functional import cached_property

from .branchpage import merged_rows


class LedgerPaginator(Paginator):
    """Exact totals up to ``exact_limit`` rows; above that, PostgreSQL's own estimate (shown as "约").

    Counting every visible row exactly reads one heap page per row scattered over the table: at a
    million cases that is hundreds of milliseconds for a city user on every page view, for a figure
    nobody needs to the last row. Counting to 1,001 and asking the planner beyond keeps a page fast.
    """

    exact_limit = 1000
    # A ledger whose estimate is larger takes it without counting: at a million cases the planner's figure
    # for a township's cases, grid events or disputes was within a factor of two of the count for 24 of
    # 25 townships (the 25th it put too low, so it was counted).
    trust_estimate_over = 2 * exact_limit
    # A page never trusts the estimate for its own rows: it reads one row more than it shows, so a
    # stale or low estimate cannot cut a page short (grid/tests/test_pages.py plants one).
    estimate_beyond_limit = True

    def __init__(self, *args, estimate: int | None = None, exact: bool = False,
                 remember: Callable[[str, Callable[[], Any]], Any] | None = None, **kwargs):
        """``estimate``: the planner's row count, already asked (``planner_rows``) and large — taken as
        the count without counting; ``exact``: count exactly (a scope known to be small);
        ``remember(name, compute)``: where the count is kept between requests (``core.scopecache``:
        until a write in the viewer's scope) — a user paging through a ledger, or coming back to it,
        does not count it again."""
        super().__init__(*args, **kwargs)
        self.exact = True
        self.known_estimate = estimate
        self.count_exactly = exact
        self.remember = remember

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        exact_only = connection.vendor != "postgresql" or not self.estimate_beyond_limit or self.count_exactly
        if not exact_only and self.known_estimate is not None and self.known_estimate > self.exact_limit:
            self.exact = False
            return self.known_estimate
        if not exact_only and self.remember is not None:
            # A scope the planner puts far beyond the limit (a township's 30,000 cases) is not counted to
            # 1,001 to learn that it is large: under load those counts were most of the database's CPU
            # (each user's condition names the user, so each user's count is its own and kept only a
            # minute). Near the limit the count decides, as before.
            estimate = planner_rows(qs)
            if estimate > self.trust_estimate_over:
                self.exact = False
                return estimate
        n, self.exact = self._remembered(qs, exact_only)
        return n

    def _capped(self, qs, exact_only: bool) -> tuple[int, bool]:
        if exact_only:
            return qs.count(), True
        n = qs.order_by()[: self.exact_limit + 1].count()
        if n <= self.exact_limit:
            return n, True
        return max(n, planner_rows(qs)), False

    def _remembered(self, qs, exact_only: bool) -> tuple[int, bool]:
        if self.remember is None:
            return self._capped(qs, exact_only)
        try:
            sql, params = qs.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return 0, True
        limit = "exact" if exact_only else self.exact_limit
        name = f"ledger-count:{limit}:{sql}:{params!r}"
        # Over the limit the total is an estimate ("约"): kept ESTIMATE_SECONDS whatever is written
        # meanwhile, as the planner's own estimate is. Kept only until a write in the scope, a township's
        # total was counted again on nearly every view while its grid workers reported — to 1,001 rows
        # through the visibility condition, 100–130 ms of the database's CPU each, most of it under load.
        wide = _local_key("pe", qs.db, name)
        if not exact_only and (n := caches["default"].get(wide)) is not None:
            return n, False
        n, exact = self.remember(name, lambda: self._capped(qs, exact_only))
        if not exact:
            caches["default"].set(wide, n, ESTIMATE_SECONDS)
        return n, exact

    # With an estimate, a page is never cut short by the count, and whether there is a next page is
    # known from the rows themselves; the estimate is corrected by what a page shows.
    def validate_number(self, number):
        self.count  # noqa: B018 - decides whether the count is exact
        if self.exact and self.remember is None:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("page number is not an integer") from exc
        if number < 1:
            raise EmptyPage("page number is less than 1")
        return number

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:  # past the end (?page=999, a page kept from before rows went): the last page,
            try:              # as Django's own paginator answers, or the first if an estimate put it too far
                return self.page(max(1, self.num_pages))
            except EmptyPage:
                return self.page(1)

    def page(self, number):
        """A page's rows. A count kept from an earlier request (``remember``) may lag a write outside
        what moves its generations: such a page, like one under an estimate, reads one row more than
        it shows and corrects the total from what it finds."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.exact and self.remember is None:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(page_rows(self.object_list, bottom, top), number, self)
        rows = page_rows(self.object_list, bottom, bottom + self.per_page + 1)
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not rows and number > 1:
            raise EmptyPage("that page contains no results")
        seen = bottom + len(rows)
        if more:
            if seen + 1 > self.count:  # more rows than counted (a kept total that lags): not exact
                self.exact = False
            self.count = max(self.count, seen + 1)
        else:
            self.count, self.exact = seen, True  # the last page: now the total is known exactly
        self.__dict__.pop("num_pages", None)
        return self._get_page(rows, number, self)


def page_rows(qs, bottom: int, top: int) -> list:
    """``list(qs[bottom:top])``, read branch by branch when ``qs`` is scoped (``core.branchpage``)."""
    rows = merged_rows(qs, bottom, top)
    return list(qs[bottom:top]) if rows is None else rows


#: How long the planner's estimate of a query is reused (statistics change with ANALYZE, not per row).
ESTIMATE_SECONDS = 60


def planner_rows(qs) -> int:
    """PostgreSQL's estimate of the rows of ``qs`` (one EXPLAIN: planning only, no rows read), reused
    for ``ESTIMATE_SECONDS`` by every request of this process that asks for the same statement: the
    estimate follows the table's statistics, which move with ANALYZE, and planning the statement of a
    list under its visibility condition cost about 2 ms of the database's CPU on every API list."""
    try:
        sql, params = qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope that sees nothing (qs.none(), an empty IN): no rows, no query
        return 0
    key = _local_key("pr", qs.db, f"{sql}|{params!r}")
    cache = caches["default"]
    rows = cache.get(key)
    if rows is not None:
        return rows
    with connections[qs.db].cursor() as cursor:  # the database the list is read from (a replica too)
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    rows = int(plan[0]["Plan"]["Plan Rows"])
    cache.set(key, rows, ESTIMATE_SECONDS)
    return rows


def _local_key(kind: str, db: str, text: str) -> str:
    """A short key of the process's cache for a statement's figure (``text``: the statement and its
    parameters), per database."""
    return f"{kind}:" + hashlib.blake2b(f"{db}|{text}".encode(), digest_size=16).hexdigest()
