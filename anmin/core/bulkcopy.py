"""Set-based inserts through PostgreSQL's ``COPY`` — ``copy_create(objs)`` does what
``QuerySet.bulk_create(objs)`` does (the ids set on the objects, the scoped caches told), at a fraction
of the CPU for large batches.

Why: ``bulk_create`` prepares every value of every row through the field's full chain (``pre_save``,
``get_db_prep_save``) and, on PostgreSQL, binds the rows as arrays that psycopg quotes in Python. For
a batch of 500 warning leads (500 cases, 1,000 timeline entries, 500 leads: ~42,000 values) that was
most of the batch's CPU. Here the ids come from the table's sequence in one statement, each value of a
plain field (text, numbers, dates, booleans, foreign keys) goes as it is, and the rest — JSON,
protected values and their blind indexes, ``auto_now`` dates, any field of another class — through
the field's own ``pre_save``/``get_db_prep_save`` as Django would; psycopg writes the rows in C.

A few rows (fewer than ``COPY_MIN_ROWS``: a lead pushed alone, its case and two timeline entries)
go as one ``INSERT … VALUES … RETURNING`` whose text is built once per table and row count — the
same values, without the ORM compiling a statement for every call (about a millisecond of CPU each).

Inside the caller's transaction. Constraint violations raise Django's ``IntegrityError`` as
``bulk_create`` does. No signals are sent (as with ``bulk_create``). The statements are logged in
``connection.queries`` when queries are logged (tests count them). On other databases (the SQLite
development setup) it is ``bulk_create``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import Any

from django.db import connection, connections, models
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, post_save, pre_init, pre_save
from django.utils.functional import Promise

# Field classes whose attribute value is already what the database takes (exact classes only: a
# subclass may change how values are stored).
_PLAIN = frozenset({
    models.AutoField, models.BigAutoField, models.SmallAutoField, models.CharField, models.TextField,
    models.SlugField, models.EmailField, models.URLField, models.IntegerField, models.BigIntegerField,
    models.SmallIntegerField, models.PositiveIntegerField, models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField, models.BooleanField, models.DateTimeField, models.DateField,
    models.DecimalField, models.FloatField, models.UUIDField, models.ForeignKey, models.OneToOneField,
})


_TEXT = (models.CharField, models.TextField)


def _is_plain(field: models.Field) -> bool:
    if type(field) not in _PLAIN:
        return False
    if isinstance(field, models.DateField | models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return False
    return not (isinstance(field, models.ForeignKey) and type(field.target_field) not in _PLAIN)


def _log(sql: str, started: float) -> None:
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


COPY_MIN_ROWS = 20  # fewer: one INSERT … RETURNING is one round trip, COPY two (ids, then rows)


_PLAIN_ATTRIBUTES = (DeferredAttribute, ForeignKeyDeferredAttribute)  # on a new object: the value as it is


@functools.cache
def _blueprint(model: type[models.Model]) -> tuple[tuple, ...]:
    out = []
    for field in model._meta.concrete_fields:
        if field.generated:
            continue
        plain = type(model.__dict__.get(field.attname)) in _PLAIN_ATTRIBUTES
        related = field if field.many_to_one or field.one_to_one else None
        out.append((field.name, field.attname, plain, related, field.get_default))
    return tuple(out)


def build(model: type[models.Model], **values: Any) -> models.Model:
    """``model(**values)`` for a row about to be written set-based (``copy_create``), without the
    generic work of ``Model.__init__`` — a third to half of a batch's CPU went there. The same object:
    every concrete field from ``values`` (by name, a related object, or by its ``attname``, an id)
    or its default; a value whose attribute transforms what is assigned (protected personal data)
    goes through it; a related object is cached on both sides as its descriptor would (type-checked).
    A model with ``pre_init``/``post_init`` receivers, or a keyword that is not a field, is built by
    ``model(**values)`` itself."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(**values)
    obj = model.__new__(model)
    obj._state = ModelState()
    attrs = obj.__dict__
    used = 0
    for name, attname, plain, related, default in _blueprint(model):
        if related is not None and name in values:
            used += 1
            rel = values[name]
            if rel is None:
                attrs[attname] = None
            else:
                if not isinstance(rel, related.remote_field.model._meta.concrete_model):
                    raise ValueError(f"{model._meta.object_name}.{name} must be a "
                                     f"{related.remote_field.model._meta.object_name}, not {rel!r}")
                attrs[attname] = getattr(rel, related.target_field.attname)
                if not related.remote_field.multiple:
                    related.remote_field.set_cached_value(rel, obj)
            related.set_cached_value(obj, rel)
            continue
        if attname in values:
            used += 1
            value = values[attname]
        elif name in values:
            used += 1
            value = values[name]
        else:
            value = default()
        if plain:
            attrs[attname] = value
        else:
            setattr(obj, attname, value)
    if used != len(values):  # a property or a mistake: as Django would take (or refuse) it
        return model(**values)
    return obj


@functools.cache
def _plan(fields: tuple[models.Field, ...]) -> tuple[tuple[str | None, Any], ...]:
    """Per field: (its attname, whether text) when its value goes as it is, else (None, the field)."""
    return tuple((f.attname, isinstance(f, _TEXT)) if _is_plain(f) else (None, f) for f in fields)


def row_values(objs: Sequence[models.Model], fields: Sequence[models.Field]) -> list[list[Any]]:
    """Each object's values for ``fields``, as the database takes them (see the module's note)."""
    plain = _plan(tuple(fields))
    conn = connections[connection.alias]  # the connection itself: each look-up through the proxy costs
    rows = []
    for obj in objs:
        values = obj.__dict__
        row: list[Any] = []
        for attname, how in plain:
            if attname is not None:
                value = values[attname] if attname in values else getattr(obj, attname)
                if how and isinstance(value, Promise):  # a lazy translation: its text, as Django would
                    value = str(value)
                row.append(value)
            else:
                row.append(how.get_db_prep_save(how.pre_save(obj, True), conn))
        rows.append(row)
    return rows


_INSERTS: dict[tuple[str, int, bool, bool], str] = {}


@functools.cache
def _forward_relations(model: type[models.Model]) -> dict[str, models.Field] | None:
    """The forward relations by the name their object is cached under (None: a generic relation,
    which Django's own check handles)."""
    meta = model._meta
    if any(f.is_relation for f in meta.private_fields):
        return None
    return {f.cache_name: f for f in meta.concrete_fields if f.is_relation}


def _check_related(objs: list[models.Model], meta) -> None:
    """What ``save`` checks of related objects, as Django does it — a related object still unsaved is
    refused, one saved after it was assigned gives its id now — but only for the objects whose cached
    related objects are not already consistent (Django's check walks every field of every object)."""
    relations = _forward_relations(meta.model)
    for obj in objs:
        if relations is None:
            obj._prepare_related_fields_for_save(operation_name="copy_create")
            continue
        for name, rel in obj._state.fields_cache.items():
            field = relations.get(name)
            if field is None or rel is None:
                continue
            if rel.pk is None or obj.__dict__.get(field.attname) != getattr(rel, field.target_field.attname):
                obj._prepare_related_fields_for_save(operation_name="copy_create")
                break


def _insert(objs: list[models.Model], meta, fields: list[models.Field], *, skip_conflicts: bool) -> None:
    """A few rows in one ``INSERT … RETURNING`` (its text kept per table, row count and whether the
    ids are given); the ids the database chose are set on the objects. ``skip_conflicts``: ``ON
    CONFLICT DO NOTHING`` instead, and no ids."""
    pk = meta.pk
    auto = getattr(objs[0], pk.attname) is None
    if auto:
        fields = [f for f in fields if f is not pk]
    key = (meta.label, len(objs), auto, skip_conflicts)
    sql = _INSERTS.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        tail = "ON CONFLICT DO NOTHING" if skip_conflicts else f"RETURNING {quote(pk.column)}"
        sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
               f"VALUES {', '.join([one] * len(objs))} {tail}")  # (the model's names)
        _INSERTS[key] = sql
    params = [value for row in row_values(objs, fields) for value in row]
    with connection.cursor() as cursor:  # Django's: errors as Django's, the statement logged
        cursor.execute(sql, params)
        if skip_conflicts:
            return
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, pk_value)


def copy_create(objs: Sequence[models.Model], *, skip_conflicts: bool = False) -> list[models.Model]:
    """Insert ``objs`` (one model, primary key an auto id or set on every object) and return them.
    ``skip_conflicts``: rows that would break a unique constraint are left out, as with
    ``bulk_create(ignore_conflicts=True)`` (and, as there, the ids are not set)."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql" or (skip_conflicts and len(objs) >= COPY_MIN_ROWS):
        return model._default_manager.bulk_create(objs, ignore_conflicts=skip_conflicts)
    meta = model._meta
    pk = meta.pk
    _check_related(objs, meta)
    fields = list(meta.concrete_fields)
    missing = sum(getattr(o, pk.attname) is None for o in objs)
    if missing and not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        raise ValueError(f"copy_create: {meta.label} has no automatic id; set the primary key")
    if len(objs) < COPY_MIN_ROWS and missing in (0, len(objs)):
        _insert(objs, meta, fields, skip_conflicts=skip_conflicts)
    else:
        _copy(objs, meta, fields, missing=bool(missing))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    from . import scopecache
    from .scoping import ScopedQuerySet

    if isinstance(model._default_manager.all(), ScopedQuerySet):  # as its bulk_create would
        scopecache.bulk_write(model)
    return objs


@functools.cache
def _insert_hooks(model: type[models.Model]) -> tuple | None:
    """What ``insert`` runs before the row is written: for every class of the model that overrides
    ``save``, its own ``before_insert`` (the work its ``save`` adds for a new row), in the order of the
    classes; None where one of them names none, or for a model with parents or with values the
    database fills in: ``save`` itself is used."""
    meta = model._meta
    if meta.parents or meta.proxy or any(f.has_db_default() or f.generated for f in meta.concrete_fields):
        return None  # values the database fills in would not come back on the object
    hooks = []
    for klass in model.__mro__:
        if klass is models.Model:
            break
        if "save" in vars(klass):
            hook = vars(klass).get("before_insert")
            if hook is None:
                return None
            hooks.append(hook)
    return tuple(hooks)


def insert(obj: models.Model) -> models.Model:
    """A new row written as ``obj.save()`` writes it — ``pre_save`` and ``post_save`` sent, so its text
    is checked against its bounds and the scoped caches of its own township told (not every township's,
    as a set-based write must) — through the kept ``INSERT … RETURNING`` instead of a statement the
    ORM compiles for every call (a third of a millisecond of CPU, three or four times in every report
    through the API). A model that overrides ``save`` takes part only when that class also names what
    its ``save`` does for a new row (its own ``before_insert``, called whatever its subclasses define);
    otherwise, and on other databases, it is ``obj.save(force_insert=True)``."""
    model = type(obj)
    hooks = _insert_hooks(model)
    if connection.vendor != "postgresql" or hooks is None or not obj._state.adding:
        obj.save(force_insert=True)
        return obj
    for hook in hooks:
        hook(obj)
    meta = model._meta
    origin = meta.concrete_model
    pre_save.send(sender=origin, instance=obj, raw=False, using=connection.alias, update_fields=None)
    _check_related([obj], meta)
    _insert([obj], meta, list(meta.concrete_fields), skip_conflicts=False)
    obj._state.adding = False
    obj._state.db = connection.alias
    post_save.send(sender=origin, instance=obj, created=True, update_fields=None, raw=False, using=connection.alias)
    return obj


def _copy(objs: list[models.Model], meta, fields: list[models.Field], *, missing: bool) -> None:
    pk = meta.pk
    table = connection.ops.quote_name(meta.db_table)
    with connection.wrap_database_errors:
        connection.ensure_connection()
        raw = connection.connection
        if missing:
            started = time.monotonic()
            sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
            with raw.cursor() as cur:
                cur.execute(sql, [meta.db_table, pk.column, len(objs)])
                ids = [row[0] for row in cur.fetchall()]
            _log(sql % (f"'{meta.db_table}'", f"'{pk.column}'", len(objs)), started)
            for obj, pk_value in zip(objs, ids, strict=True):
                if getattr(obj, pk.attname) is None:
                    setattr(obj, pk.attname, pk_value)
        rows = row_values(objs, fields)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        started = time.monotonic()
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        _log(f"{sql} -- {len(rows)} rows", started)
