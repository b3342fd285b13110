"""Savepoints a write request does not need.

Django gives every nested ``transaction.atomic()`` a savepoint, so that code which catches an inner
block's failure can go on with the transaction. A report through the API nests three blocks — the
``Idempotency-Key``'s transaction, the domain's action, the case engine's ``open_case`` — and nothing
between them catches: any failure ends the request and rolls the whole transaction back (the audit
batch already requires that, ``core.audit.batch``). Their savepoints were four of a report's fifteen
statements (``SAVEPOINT`` and ``RELEASE`` twice), each a round trip.

``whole()`` marks such a stretch: inside it, an action's block opened with ``part()`` takes no savepoint
(an error leaving it marks the transaction for rollback, which the enclosing block then does).
Outside it — a form that catches an action's error to show it, a ledger import that goes on after a
bad row — ``part()`` is ``transaction.atomic()`` as before. Code inside ``whole()`` must not catch an
action's failure and go on querying.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_whole: ContextVar[bool] = ContextVar("anmin_whole_transaction", default=False)


@contextmanager
def whole() -> Iterator[None]:
    """A stretch whose failure fails the whole transaction (nothing inside catches and goes on)."""
    token = _whole.set(True)
    try:
        yield
    finally:
        _whole.reset(token)


def part(using: str | None = None):
    """``transaction.atomic()`` for an action's block: without a savepoint inside ``whole()``."""
    return transaction.atomic(using=using, savepoint=not _whole.get())
