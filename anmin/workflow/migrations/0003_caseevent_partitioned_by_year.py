"""The case timeline (``workflow_caseevent``) partitioned by year of ``at`` on PostgreSQL.

Nothing references the timeline, so it can be a partitioned table; the case table cannot yet (every
foreign key to a case references ``workflow_case(id)`` alone: docs/scaling-out.md, decision 0017).

PostgreSQL: the table is rebuilt as ``PARTITION BY RANGE (at)`` — one partition per year present in
the data, the current year and the next, and a DEFAULT one — by copy and swap inside the migration's
transaction: the new table takes the old one's rows, ids and sequence position; then the keys and
indexes are built (the primary key and the unique constraint include ``at``, as a partitioned table
requires). ``anmin partitions`` (run by the scheduler) adds later years. The copy holds the table's
lock for its whole length — measured on the 2-core machine: 6M events (two counties' five years) in
18 s, the way back in 17 s — so run it in a maintenance window. Reversible: back to one plain table.

SQLite: no partitions; the model's changes (the unique constraint with ``at``, no index of its own on
``case_id``) are applied as usual.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

TABLE = "workflow_caseevent"
# Django's names for the constraints and indexes migration 0001 created (kept, so later migrations find them).
CASE_INDEX = "workflow_caseevent_case_id_58d5f6b7"
ACTOR_INDEX = "workflow_caseevent_actor_id_93be07a8"
CASE_FK = "workflow_caseevent_case_id_58d5f6b7_fk_workflow_case_id"
ACTOR_FK = "workflow_caseevent_actor_id_93be07a8_fk_core_user_id"
UNIQUE = "caseevent_unique_seq"


def _year_bound(year: int) -> str:
    return dt.datetime(year, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE)).isoformat()


def _swap_in(cursor, *, partitioned: bool) -> None:
    """Rename the table aside, create its successor (partitioned or plain) with the same columns,
    copy the rows, drop the old table and give its sequence position to the new one."""
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_old")
    cursor.execute(f"SELECT last_value, is_called FROM {TABLE}_id_seq")
    last_value, is_called = cursor.fetchone()
    cursor.execute(
        f"CREATE TABLE {TABLE} (LIKE {TABLE}_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)"
        + (" PARTITION BY RANGE (at)" if partitioned else "")
    )
    if partitioned:
        cursor.execute(f"SELECT min(at), max(at), now() FROM {TABLE}_old")
        first, last, now = cursor.fetchone()
        tz = ZoneInfo(settings.TIME_ZONE)
        this_year = now.astimezone(tz).year
        lo = min(first.astimezone(tz).year, this_year) if first else this_year
        hi = max(last.astimezone(tz).year, this_year + 1) if last else this_year + 1
        for year in range(lo, hi + 1):
            cursor.execute(
                f"CREATE TABLE {TABLE}_{year} PARTITION OF {TABLE}"
                f" FOR VALUES FROM ('{_year_bound(year)}') TO ('{_year_bound(year + 1)}')"
            )
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_old")
    cursor.execute(f"DROP TABLE {TABLE}_old")  # its sequence, keys and indexes with it
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {TABLE}_id_seq")
    cursor.execute(f"SELECT setval('{TABLE}_id_seq', %s, %s)", [last_value, is_called])


def _keys(cursor, *, partitioned: bool) -> None:
    """Keys, indexes and foreign keys, built once the rows are in (faster than row by row)."""
    key = "id, at" if partitioned else "id"
    unique = "case_id, seq, at" if partitioned else "case_id, seq"
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY ({key})")
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {UNIQUE} UNIQUE ({unique})")
    cursor.execute(f"CREATE INDEX {ACTOR_INDEX} ON {TABLE} (actor_id)")
    if not partitioned:
        cursor.execute(f"CREATE INDEX {CASE_INDEX} ON {TABLE} (case_id)")
    cursor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {CASE_FK} FOREIGN KEY (case_id) REFERENCES workflow_case (id)"
        " DEFERRABLE INITIALLY DEFERRED"
    )
    cursor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {ACTOR_FK} FOREIGN KEY (actor_id) REFERENCES core_user (id)"
        " DEFERRABLE INITIALLY DEFERRED"
    )


def partition(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        _swap_in(cursor, partitioned=True)
        _keys(cursor, partitioned=True)
        cursor.execute(f"ANALYZE {TABLE}")


def unpartition(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        _swap_in(cursor, partitioned=False)  # the partitions go with the old table
        _keys(cursor, partitioned=False)
        cursor.execute(f"ANALYZE {TABLE}")


class PostgreSQLOnly(migrations.SeparateDatabaseAndState):
    """``database_operations`` on PostgreSQL; on any other database the state operations are applied
    to it as they are."""

    def _on(self, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            return self
        return migrations.SeparateDatabaseAndState(database_operations=self.state_operations)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        ops = self._on(schema_editor)
        migrations.SeparateDatabaseAndState.database_forwards(ops, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        ops = self._on(schema_editor)
        migrations.SeparateDatabaseAndState.database_backwards(ops, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_holidays_2020_2026"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        PostgreSQLOnly(
            state_operations=[
                migrations.RemoveConstraint(model_name="caseevent", name=UNIQUE),
                migrations.AlterField(
                    model_name="caseevent",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False, on_delete=models.deletion.PROTECT, related_name="events",
                        to="workflow.case", verbose_name="事项",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="caseevent",
                    constraint=models.UniqueConstraint(fields=("case", "seq", "at"), name=UNIQUE),
                ),
            ],
            database_operations=[migrations.RunPython(partition, unpartition)],
        ),
    ]
