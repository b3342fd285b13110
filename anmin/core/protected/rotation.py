"""Finding every protected column, counting values per key, and re-encrypting under the active key.

Used by ``anmin keys``. Re-encryption walks each column in primary-key order, a batch at a time; each
batch is one short transaction that locks just its rows (``select_for_update``), so the platform keeps
serving while it runs. Only values not yet under the active key are touched, so an interrupted run
simply continues where it stopped when run again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Case, Value, When

from .crypto import DecryptionError, encrypt
from .fields import ProtectedField
from .keys import KeyRing, get_keyring
from .values import Protected

UNKNOWN_KEY = "?"


@dataclass(frozen=True)
class ProtectedColumn:
    model: type[models.Model]
    field: ProtectedField

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    def queryset(self, using: str) -> models.QuerySet:
        return self.model._base_manager.using(using)

    def stored(self, using: str) -> models.QuerySet:
        """Rows holding a sealed value (neither NULL nor empty)."""
        name = self.field.name
        return self.queryset(using).filter(**{f"{name}__isnull": False}).exclude(**{name: ""})


def protected_columns(models_: Iterable[type[models.Model]] | None = None) -> list[ProtectedColumn]:
    """Every concrete protected column, each once (inherited columns belong to the parent's table)."""
    columns = []
    for model in apps.get_models() if models_ is None else models_:
        opts = model._meta
        if opts.proxy or opts.swapped or not opts.managed:
            continue
        columns.extend(ProtectedColumn(model, f) for f in opts.local_concrete_fields if isinstance(f, ProtectedField))
    return columns


def key_usage(
    columns: Iterable[ProtectedColumn] | None = None, *, using: str = DEFAULT_DB_ALIAS, ring: KeyRing | None = None
) -> dict[str, Counter]:
    """``{"app.Model.field": Counter({"k1": 10, "k2": 990})}``; tokens of keys the ring does not know count as "?"."""
    ring = ring or get_keyring()
    key_ids = [*ring.keys, *ring.retired]
    usage = {}
    for column in protected_columns() if columns is None else columns:
        stored = column.stored(using)
        counts = Counter({kid: stored.filter(**{f"{column.field.name}__key_id": kid}).count() for kid in key_ids})
        other = stored.count() - sum(counts.values())
        if other:
            counts[UNKNOWN_KEY] = other
        usage[column.label] = counts
    return usage


def values_under(key_id: str, usage: dict[str, Counter]) -> int:
    return sum(counts[key_id] for counts in usage.values())


def values_behind(usage: dict[str, Counter], active_id: str) -> int:
    """How many values an older key of the ring still holds (values under unknown keys cannot be re-sealed)."""
    return sum(n for counts in usage.values() for key_id, n in counts.items() if key_id not in (active_id, UNKNOWN_KEY))


@dataclass
class ReencryptReport:
    rewritten: int = 0
    unreadable: list[tuple[str, object]] = field(default_factory=list)  # (column label, primary key)


def reencrypt(
    columns: Iterable[ProtectedColumn] | None = None,
    *,
    using: str = DEFAULT_DB_ALIAS,
    batch_size: int = 500,
    progress: Callable[[str, int], None] | None = None,
) -> ReencryptReport:
    """Re-seal every value not under the active key. Safe to interrupt and to run again."""
    ring = get_keyring()
    report = ReencryptReport()
    for column in protected_columns() if columns is None else columns:
        name = column.field.name
        pending = column.stored(using).exclude(**{f"{name}__key_id": ring.active_id}).order_by("pk")
        last_pk = None
        while True:
            page = pending if last_pk is None else pending.filter(pk__gt=last_pk)
            pks = list(page.values_list("pk", flat=True)[:batch_size])
            if not pks:
                break
            last_pk = pks[-1]
            report.rewritten += _reencrypt_batch(column, pks, ring, using, report)
            if progress:
                progress(column.label, report.rewritten)
    return report


def _reencrypt_batch(column: ProtectedColumn, pks: list, ring: KeyRing, using: str, report: ReencryptReport) -> int:
    f = column.field
    with transaction.atomic(using=using):
        # Lock the rows and read them again: a concurrent save may have re-sealed one meanwhile.
        rows = column.queryset(using).select_for_update().filter(pk__in=pks).values_list("pk", f.attname)
        resealed = []
        for pk, value in rows:
            if not isinstance(value, Protected) or value.key_id == ring.active_id:
                continue
            try:
                plaintext = value.reveal()
            except DecryptionError:
                report.unreadable.append((column.label, pk))
                continue
            token = encrypt(plaintext, context=f.context, ring=ring)
            resealed.append((pk, Protected(plaintext, kind=f.kind_name, token=token, context=f.context)))
        if resealed:
            column.queryset(using).filter(pk__in=[pk for pk, _ in resealed]).update(
                **{f.attname: Case(*(When(pk=pk, then=Value(v, output_field=f)) for pk, v in resealed), output_field=f)}
            )
    return len(resealed)
