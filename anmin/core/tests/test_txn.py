"""An action's block takes a savepoint unless it runs inside ``whole()`` (core.txn): outside, code that
catches an action's failure goes on with the transaction, the failed block's writes undone; inside,
the failure fails the whole transaction."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from anmin.core import txn
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel

pytestmark = pytest.mark.django_db


def _fail_after_writing(name: str) -> None:
    with txn.part():
        Region.objects.create(code=name, name=name, level=RegionLevel.CITY)
        raise ValueError("after the write")


def test_outside_whole_a_caught_failure_is_undone_and_the_transaction_goes_on():
    with transaction.atomic():
        with pytest.raises(ValueError):
            _fail_after_writing("419901000000")
        assert not Region.objects.filter(code="419901000000").exists()  # rolled back to the block's savepoint


def test_inside_whole_a_failure_fails_the_whole_transaction():
    with pytest.raises(ValueError), transaction.atomic(), txn.whole():
        _fail_after_writing("419902000000")
    assert not Region.objects.filter(code="419902000000").exists()
    # Caught inside and carried on, it would not be undone alone: the transaction refuses more queries.
    with transaction.atomic():
        with txn.whole(), pytest.raises(ValueError):
            _fail_after_writing("419903000000")
        with pytest.raises(TransactionManagementError):
            Region.objects.filter(code="419903000000").exists()
        transaction.set_rollback(True)


def test_whole_ends_with_its_block():
    with txn.whole():
        pass
    with transaction.atomic():
        with pytest.raises(ValueError):
            _fail_after_writing("419904000000")
        assert not Region.objects.filter(code="419904000000").exists()
