"""Several schedulers (one per app server) enqueue the periodic tasks once per interval between them,
not once each (core/taskqueue.py ``claim_round``); when the one that had the rounds stops, another
takes them over."""

from __future__ import annotations

import io
import itertools
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from anmin.core import taskqueue
from anmin.core.management.commands import scheduler as scheduler_cmd


@pytest.mark.django_db
def test_a_round_is_claimed_once_per_interval_whoever_asks():
    t0 = timezone.now()
    at = [t0 + timedelta(seconds=s) for s in (0, 0.5, 120, 299.9, 300.0, 300.2, 650, 651)]
    # Scheduler A wakes at 0, 300, 650 …; B wakes a little after A each time.
    claims = [taskqueue.claim_round(300, now=t) for t in at]
    assert claims == [True, False, False, False, True, False, True, False]


@pytest.mark.django_db
def test_when_the_scheduler_that_had_the_rounds_stops_another_takes_the_next(monkeypatch):
    t0 = timezone.now()
    assert taskqueue.claim_round(60, now=t0)  # A
    assert not taskqueue.claim_round(60, now=t0 + timedelta(seconds=30))  # B
    # A is gone: B, waking every 60 s, has the next round when it falls due.
    assert taskqueue.claim_round(60, now=t0 + timedelta(seconds=90))


@pytest.mark.django_db(transaction=True)
def test_schedulers_racing_for_the_same_round_enqueue_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("racing threads need a database with concurrent writers (the PostgreSQL pass)")
    taskqueue.claim_round(3600, now=timezone.now() - timedelta(hours=2))  # the slot exists, due
    n = 6
    barrier = threading.Barrier(n)
    won: list[bool] = []

    def scheduler():
        try:
            barrier.wait()
            won.append(taskqueue.claim_round(3600))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == [False] * (n - 1) + [True]


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_share_the_rounds_of_the_sweep(monkeypatch):
    """Two ``anmin scheduler`` loops at once, each asked for two rounds: the periodic tasks are
    enqueued at most once per interval, never by both in the same one."""
    if connection.vendor != "postgresql":
        pytest.skip("two scheduler loops at once need a database with concurrent writers (the PostgreSQL pass)")
    rounds: list = []
    lock = threading.Lock()

    def one_round(jobs):
        with lock:
            rounds.append(timezone.now())
        return []

    monkeypatch.setattr(scheduler_cmd, "one_round", one_round)

    def run():
        try:
            call_command("scheduler", interval=1, max_runs=2, no_heartbeat=True, stdout=io.StringIO())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(rounds) == 4
    rounds.sort()
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(rounds)]
    assert min(gaps) >= 0.99, gaps  # one round per interval (1 s), whichever scheduler ran it
