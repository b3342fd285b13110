"""Home-page cards are cached for the user's scope and right at once after a write (core.scopecache)."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from anmin.core.models import Role

TODO = re.compile(r"<dt>我的待办</dt><dd>([\d,]+)</dd>")


def todo_figure(client) -> tuple[int, int]:
    """(the centre's 我的待办 figure, queries the page took)."""
    with CaptureQueriesContext(connection) as queries:
        resp = client.get("/")
    assert resp.status_code == 200
    return int(TODO.search(resp.content.decode()).group(1).replace(",", "")), len(queries)


def report(world) -> None:
    api = APIClient()
    api.force_authenticate(world.user(Role.GRID_WORKER))
    resp = api.post("/api/v1/grid-events/", {"region": world.gc_grid.code, "category": "04",
                                             "description": "村道垃圾堆放"}, format="json")
    assert resp.status_code == 201, resp.content


def _commit_the_world() -> None:
    """As if the test world had been committed before the pages are read (as on a server, where each
    request is its own transaction): run what its writes left to run on commit, and forget it, so the
    test's transaction does not count as one that wrote."""
    from django.db import transaction

    conn = transaction.get_connection()
    pending, conn.run_on_commit = list(conn.run_on_commit), []
    for _sids, func, _robust in pending:
        func()


def test_the_todo_card_is_cached_and_moves_with_the_first_read_after_a_report(client, world,
                                                                              django_capture_on_commit_callbacks):
    _commit_the_world()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    before, first_queries = todo_figure(client)
    again, cached_queries = todo_figure(client)
    assert again == before
    # The cards' counts come from the cache (the first page may also renew the session, which moves
    # nothing scoped; the third page is the steady state).
    third, steady_queries = todo_figure(client)
    assert third == before
    assert min(cached_queries, steady_queries) < first_queries
    # A grid worker reports an event (committed: the generations move on commit) …
    with django_capture_on_commit_callbacks(execute=True):
        report(world)
    after, _ = todo_figure(client)
    assert after == before + 1  # … and the centre's next page shows it
    # Inside a transaction that wrote, the writer's own reads are computed afresh (before the commit).
    report(world)
    assert todo_figure(client)[0] == before + 2


def test_a_renamed_village_shows_in_the_filter_bar_at_once(client, world, django_capture_on_commit_callbacks):
    from anmin.core.models import Region

    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    village = Region.objects.villages().filter(code__startswith=world.gc_grid.code[:9]).first()
    option = re.compile(rf'<option value="{village.code}"[^>]*>([^<]*)</option>')
    for _ in range(2):  # drawn, then from the cache
        assert village.name in option.search(client.get("/workflow/cases/").content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        village.name = "新改名村"
        village.save()
    label = option.search(client.get("/workflow/cases/").content.decode()).group(1)
    assert "新改名村" in label  # the drop-down's options were drawn again at once
