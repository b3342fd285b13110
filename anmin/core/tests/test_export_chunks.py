"""An export walks its queryset in chunks: on SQLite, Django 5.2 writes a prefetch of n related rows as
n ORed terms, refused past a depth of 1,000 — the city's 网格事件台账 (17,884 events, over a thousand
reporters) answered 导出 Excel with 503 (``Expression tree is too large``)."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from anmin.core import notices
from anmin.core.ledgers.export import in_chunks
from anmin.core.models import Notice, User

pytestmark = pytest.mark.django_db


def test_a_queryset_prefetching_over_a_thousand_related_rows_is_read_in_chunks(world):
    users = User.objects.bulk_create(User(username=f"export-chunk-{i}", name=f"用户{i}") for i in range(1100))
    notices.notify(kind="other", title="导出测试", key="export-chunks", users=users, now=timezone.now())
    qs = Notice.objects.filter(key="export-chunks").prefetch_related("recipient").order_by("pk")
    if not connection.features.supports_tuple_lookups:  # what the export met, read in one piece
        with pytest.raises(OperationalError, match="too large"):
            list(qs.all())
    rows = list(in_chunks(qs))
    assert len(rows) == 1100
    assert {n.recipient.username for n in rows} == {u.username for u in users}
    assert in_chunks([1, 2]) == [1, 2]  # a list is written as it is
