"""A row read by its unique key on every request, its statement compiled once per process.

Every request of the platform reads who asks: a session's user with their unit and its region
(``auth.RoleBackend.get_user``), a token with its user (``tokens.ApiTokenAuthentication``). Each read
is one short statement, but the ORM compiles it afresh every time — about half a millisecond of CPU,
a tenth of a report through the API. ``KeptGet(model, "column", related=…)`` is
``model.objects.select_related(*related).get(column=value)`` whose SQL is compiled on the first call
and kept per database alias; each call then runs that text with its value and builds the objects as
the ORM does (the same converters, the related objects cached on the row). The row is still read on
every call, so a deactivated account or a revoked token acts on the next request.

Where the compiled statement does not take the value as its one parameter unchanged (a field that
transforms what it is filtered by), every call goes through the ORM as before.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models.query import get_related_populators

_UNKEPT = object()


class KeptGet:
    def __init__(self, model: type[models.Model], column: str, *, related: tuple[str, ...] = ()):
        field = model._meta.pk if column == "pk" else model._meta.get_field(column)
        if not (field.unique or field.primary_key):
            raise ValueError(f"KeptGet: {model._meta.label}.{column} is not unique")
        self.model, self.column, self.field, self.related = model, column, field, related
        self._kept: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _queryset(self, alias: str, value):
        qs = self.model._default_manager.using(alias).filter(**{self.column: value}).order_by()
        return qs.select_related(*self.related) if self.related else qs

    def _compile(self, alias: str, value):
        """(sql, compiler, init_list, start, end, populators) — or ``_UNKEPT`` when the statement does
        not carry ``value`` as its only parameter."""
        compiler = self._queryset(alias, value)[:2].query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if tuple(params) != (value,):
            return _UNKEPT
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        return sql, compiler, init_list, start, end, get_related_populators(klass_info, select, alias)

    def __call__(self, value) -> models.Model | None:
        """The row whose ``column`` is ``value``, or None."""
        try:
            value = self.field.to_python(value)
        except (ValidationError, TypeError, ValueError):  # not a value of the column: no such row
            return None
        alias = router.db_for_read(self.model)
        kept = self._kept.get(alias)
        if kept is None:
            with self._lock:
                kept = self._kept.get(alias) or self._compile(alias, value)
                self._kept[alias] = kept
        if kept is _UNKEPT:
            return next(iter(self._queryset(alias, value)[:1]), None)
        sql, compiler, init_list, start, end, populators = kept
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [value])
            rows = cursor.fetchall()
        if not rows:
            return None
        if len(rows) > 1:  # a unique column: cannot happen; as ``get`` would say
            raise self.model.MultipleObjectsReturned(f"{len(rows)} {self.model._meta.label} for {value!r}")
        row = next(iter(compiler.results_iter(results=[rows])))
        obj = self.model.from_db(alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        return obj
