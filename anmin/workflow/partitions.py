"""Year partitions of the tables partitioned by time on PostgreSQL (today the case timeline,
``workflow_caseevent``, by ``at``; migration 0003).

A partitioned table has one partition per year, ``<table>_<year>``, bounded by the first moment of the
year in ``settings.TIME_ZONE``, and a ``<table>_default`` partition that takes rows of a year with no
partition of its own (an event dated in a year nobody prepared for, a demo world dated in the past).
``ensure(ahead=N)`` — ``anmin partitions`` and the scheduler's ``workflow.partitions`` task — creates
the partitions of the business clock's year and the N years after it, and of every year that has rows
in DEFAULT, moving those rows into their new partition. It is idempotent and cheap when there is
nothing to do (one catalogue query and one probe of DEFAULT per table), so the scheduler enqueues it
every round and it acts about once a year.

SQLite has no partitions: everything here reports ``partitioned=False`` and does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from anmin.core import clock

# (table, partition key): every table partitioned by year. The case table joins when it can
# (docs/scaling-out.md, decision 0017).
PARTITIONED: tuple[tuple[str, str], ...] = (("workflow_caseevent", "at"),)
LOCK_KEY = 0x616E6D696E5F7061  # pg_advisory_xact_lock: one partition maintenance at a time
# Creating a partition locks the whole table for a moment; rather than queue every reader behind a
# long query, give up after this and try again at the next round.
LOCK_TIMEOUT = "10s"


def year_bound(year: int) -> dt.datetime:
    return dt.datetime(year, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass
class TableState:
    table: str
    column: str
    partitioned: bool = False
    years: set[int] = field(default_factory=set)
    has_default: bool = False
    default_years: dict[int, int] = field(default_factory=dict)  # year → rows waiting in DEFAULT


@dataclass
class Plan:
    """What ``ensure`` would do for one table: the years to create (and rows to move into them)."""

    state: TableState
    create: list[int] = field(default_factory=list)

    @property
    def moves(self) -> dict[int, int]:
        return {y: n for y, n in self.state.default_years.items() if y in self.create}


def inspect(table: str, column: str) -> TableState:
    """The table's partitions as the catalogue has them, and the rows waiting in DEFAULT by year."""
    state = TableState(table, column)
    if connection.vendor != "postgresql":
        return state
    with connection.cursor() as cur:
        cur.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cur.fetchone()
        if row is None or row[0] != "p":
            return state
        state.partitioned = True
        cur.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
            [table],
        )
        for name, bound in cur.fetchall():
            if bound == "DEFAULT":
                state.has_default = True
            elif name.removeprefix(f"{table}_").isdigit():
                state.years.add(int(name.removeprefix(f"{table}_")))
        if state.has_default:
            qn = connection.ops.quote_name
            default = qn(f"{table}_default")
            cur.execute(f"SELECT EXISTS (SELECT 1 FROM {default})")  # noqa: S608  (names from PARTITIONED)
            if cur.fetchone()[0]:
                year = f"EXTRACT(YEAR FROM {qn(column)} AT TIME ZONE %s)::int"
                sql = f"SELECT {year}, count(*) FROM {default} GROUP BY 1"  # noqa: S608  (names from PARTITIONED)
                cur.execute(sql, [settings.TIME_ZONE])
                state.default_years = dict(cur.fetchall())
    return state


def plan(ahead: int = 1, *, year: int | None = None) -> list[Plan]:
    """For each partitioned table: the years from the business clock's to ``ahead`` years after it,
    and the years with rows in DEFAULT, that have no partition yet."""
    year = year if year is not None else clock.today().year
    plans = []
    for table, column in PARTITIONED:
        state = inspect(table, column)
        wanted = set(range(year, year + ahead + 1)) | set(state.default_years) if state.partitioned else set()
        plans.append(Plan(state, sorted(wanted - state.years)))
    return plans


def _create_year(state: TableState, year: int) -> int:
    """Create the year's partition; rows of that year waiting in DEFAULT move into it (PostgreSQL
    refuses a partition whose rows DEFAULT still holds). Returns the rows moved."""
    qn = connection.ops.quote_name
    table, part, default = qn(state.table), qn(f"{state.table}_{year}"), qn(f"{state.table}_default")
    lo, hi = year_bound(year).isoformat(), year_bound(year + 1).isoformat()
    moved = 0
    with connection.cursor() as cur:
        if state.has_default:  # also rows that arrived since ``inspect``
            cur.execute(
                "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                " WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
                [state.table],
            )
            cols = cur.fetchone()[0]
            cur.execute(f"LOCK TABLE {default} IN EXCLUSIVE MODE")  # no new rows in DEFAULT meanwhile
            cur.execute(f"CREATE TEMPORARY TABLE anmin_moving (LIKE {table})")
            key = qn(state.column)
            cur.execute(
                f"WITH gone AS (DELETE FROM {default} WHERE {key} >= %s AND {key} < %s"  # noqa: S608  (names)
                f" RETURNING {cols}) INSERT INTO anmin_moving ({cols}) SELECT {cols} FROM gone",
                [lo, hi],
            )
            moved = cur.rowcount
        cur.execute(f"CREATE TABLE IF NOT EXISTS {part} PARTITION OF {table} FOR VALUES FROM ('{lo}') TO ('{hi}')")
        if state.has_default:
            cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM anmin_moving")  # noqa: S608  (as above)
            cur.execute("DROP TABLE anmin_moving")
    return moved


def ensure(ahead: int = 1, *, year: int | None = None) -> list[Plan]:
    """Carry out ``plan(ahead)``: each year's partition in a transaction of its own, rows moved out of
    DEFAULT with it. Returns the plans carried out."""
    plans = plan(ahead, year=year)
    for p in plans:
        for y in p.create:
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
                    cur.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                _create_year(p.state, y)
        if p.create:
            with connection.cursor() as cur:
                cur.execute(f"ANALYZE {connection.ops.quote_name(p.state.table)}")
    return plans


def sizes(table: str) -> list[tuple[str, int, int]]:
    """(partition, estimated rows, bytes with indexes) of each partition, for the report."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, GREATEST(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid) FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [table],
        )
        return cur.fetchall()
