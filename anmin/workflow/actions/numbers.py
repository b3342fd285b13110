"""Case numbers per kind and year (``MD-2020-000123``), from sequences on PostgreSQL."""

from __future__ import annotations

from django.db import IntegrityError, ProgrammingError, connection, transaction

from ..models import CaseCounter


# -- Numbers -----------------------------------------------------------------------------------
def allocate_number(kind_code: str, year: int) -> str:
    """The next number of a kind in a year, e.g. ``MD-2020-000123``; safe under concurrency."""
    return allocate_numbers(kind_code, year, 1)[0]


_known_sequences: set[str] = set()  # number sequences this process has used in a committed transaction


def _sequence_name(kind_code: str, year: int) -> str:
    if not (kind_code.isalnum() and kind_code.isascii()):
        raise ValueError(f"case kind code must be ASCII letters or digits: {kind_code!r}")
    return f"workflow_caseno_{kind_code.lower()}_{int(year)}"


def _numbers_from_sequence(kind_code: str, year: int, n: int) -> list[int]:
    """PostgreSQL: numbers from a sequence per kind and year, so concurrent intakes never wait for
    each other (a counter row would stay locked until each intake commits). A number taken by a
    transaction that then rolls back is not reused (decision 0008). The sequence starts above the
    kind's counter row, which keeps the floor for numbers written by bulk loads."""
    name = _sequence_name(kind_code, year)
    sql = "SELECT nextval(%s::regclass) FROM generate_series(1, %s)"
    if name in _known_sequences:  # seen in this process: no savepoint needed around the call
        # to_regclass answers NULL (and nextval of NULL is NULL) when the sequence is gone — a restore,
        # a rebuilt database, a transaction that created it rolled back — instead of an error that
        # would abort the caller's transaction: then it is created again below.
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(to_regclass(%s)) FROM generate_series(1, %s)", [name, n])
            numbers = [row[0] for row in cursor.fetchall()]
        if all(v is not None for v in numbers):
            return numbers
        _known_sequences.discard(name)
    for attempt in range(3):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [name, n])
                numbers = [row[0] for row in cursor.fetchall()]
            if not connection.in_atomic_block:
                _known_sequences.add(name)
            else:  # known once the transaction that may have created it commits
                transaction.on_commit(lambda: _known_sequences.add(name))
            return numbers
        except ProgrammingError:  # the sequence does not exist yet: create it (once, whoever is first)
            if attempt:
                raise
        floor = CaseCounter.objects.filter(kind=kind_code, year=year).values_list("last", flat=True).first() or 0
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {int(floor) + 1}")
        except (IntegrityError, ProgrammingError):  # created concurrently by another writer
            pass
    raise RuntimeError(f"could not allocate numbers from {name}")  # pragma: no cover


def sync_number_sequences() -> int:
    """PostgreSQL: raise every number sequence to at least its counter row. Run it after a bulk load
    that wrote numbers and counters directly (the counters are the floor; the sequences only read
    them when they are created). Returns how many sequences it looked at."""
    if connection.vendor != "postgresql":
        return 0
    done = 0
    for kind, year, last in CaseCounter.objects.values_list("kind", "year", "last"):
        name = _sequence_name(kind, year)
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM pg_sequences WHERE schemaname = current_schema() "
                           "AND sequencename = %s", [name])
            row = cursor.fetchone()
            if row is None:  # not created yet: it will start above the counter
                continue
            if last > (row[0] or 0):
                cursor.execute("SELECT setval(%s::regclass, %s)", [name, int(last)])
        done += 1
    return done


def allocate_numbers(kind_code: str, year: int, n: int) -> list[str]:
    """``n`` numbers of a kind in a year (consecutive on SQLite, from the kind's sequence on
    PostgreSQL)."""
    if connection.vendor == "postgresql":
        numbers = _numbers_from_sequence(kind_code, year, n)
    else:
        with transaction.atomic():
            counter, _ = CaseCounter.objects.select_for_update().get_or_create(kind=kind_code, year=year,
                                                                               defaults={"last": 0})
            first = counter.last + 1
            counter.last += n
            counter.save(update_fields=["last"])
        numbers = list(range(first, first + n))
    return [f"{kind_code}-{year}-{i:06d}" for i in numbers]
