"""A real streaming replica (docs/scaling-out.md): a throw-away primary and its hot standby are started
in a temporary directory (core.testing.pgcluster), the test database's schema is copied to the
primary, and the application runs in a process of its own against both (anmin.tests.replica_probe).

What a user would notice: the lists are served by the replica; a user who just reported an event sees
it in the very next list even while the replica is behind; another user sees it once the replica has
replayed it; a replica too far behind is not read from.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connections

from anmin.core.testing import pgcluster

# django_db: so that the test database is set up (and migrated) for the copy.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    if not os.environ.get("ANMIN_REPLICA_TEST"):
        pytest.skip("starts two PostgreSQL clusters (about a minute): run by `make replica-test` "
                    "(ANMIN_REPLICA_TEST=1)")
    if connections["default"].vendor != "postgresql":
        pytest.skip("the replica test copies the PostgreSQL test database: it runs in the PostgreSQL pass")
    reason = pgcluster.unavailable()
    if reason:
        pytest.skip(f"cannot start a local PostgreSQL cluster: {reason}")
    root = Path(tempfile.mkdtemp(prefix="anmin-replica-"))
    primary, replica = pgcluster.start_pair(root)
    try:
        # The migrated test database (nothing of a test is committed) becomes the primary's "anmin".
        source = connections["default"].settings_dict
        primary.psql("CREATE DATABASE anmin")
        dump = subprocess.run(
            [primary.pg("pg_dump"), "--no-owner", "--no-privileges", "-h", source["HOST"] or "127.0.0.1",
             "-p", str(source["PORT"] or 5432), "-U", source["USER"] or "postgres", source["NAME"]],
            capture_output=True, check=True, timeout=120)
        subprocess.run([primary.pg("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                        str(primary.port), "-U", "postgres", "-d", "anmin"], input=dump.stdout,
                       capture_output=True, check=True, timeout=120)
        pgcluster.wait_replayed(primary, replica, "anmin")
        yield primary, replica
    finally:
        pgcluster.stop_pair(primary, replica)


@pytest.fixture(scope="module")
def probe(pair, tmp_path_factory):
    primary, replica = pair
    env = {**os.environ, "DATABASE_URL": primary.url("anmin"), "ANMIN_REPLICA_URLS": replica.url("anmin"),
           "ANMIN_REPLICA_PIN_SECONDS": "1", "ANMIN_REPLICA_MAX_LAG_SECONDS": "3600",
           "ANMIN_REPLICA_CHECK_SECONDS": "0", "ANMIN_VAR_DIR": str(tmp_path_factory.mktemp("replica-var")),
           "ANMIN_ENV": "dev"}
    env.pop("DATABASE_REPLICA_URL", None)
    done = subprocess.run([sys.executable, "-m", "anmin.tests.replica_probe"], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("REPLICA-PROBE ")), None)
    assert done.returncode == 0, done.stderr[-3000:]
    assert line, done.stdout[-3000:]
    return json.loads(line.removeprefix("REPLICA-PROBE "))


def test_the_replica_is_a_streaming_standby_that_refuses_writes(probe):
    assert probe["replicas"] == ["replica1"]
    assert (probe["primary_in_recovery"], probe["replica_in_recovery"]) == (False, True)
    assert probe["replica_refuses_writes"] is True


def test_lists_are_read_from_the_replica(probe):
    assert probe["before_write"]["status"] == 200
    assert probe["before_write"]["served_by"] == ["replica1"]


def test_the_writer_sees_their_own_report_at_once_while_the_replica_is_behind(probe):
    assert probe["write_status"] == 201
    assert probe["pin_cookie"] is True
    assert probe["writer_right_after"] == {"status": 200, "served_by": ["default"], "sees_event": True, "rows": 1}
    # Another user reads the replica, which has not replayed the report yet.
    assert probe["other_while_paused"]["served_by"] == ["replica1"]
    assert probe["other_while_paused"]["sees_event"] is False


def test_a_replica_too_far_behind_is_not_read_from(probe):
    fact = probe["other_when_replica_too_far_behind"]
    assert (fact["served_by"], fact["sees_event"]) == (["default"], True)


def test_once_caught_up_everyone_reads_the_report_from_the_replica(probe):
    for label in ("writer_after_pin", "other_after_catch_up"):
        fact = probe[label]
        assert (fact["served_by"], fact["sees_event"]) == (["replica1"], True), label
