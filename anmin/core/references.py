"""Regions and org units for a page's rows from this process's memory, not from a join per page.

A ledger page shows every row's place (grid / village / township, three rows of the region table)
and the unit handling it; joined or prefetched, that was six to eight extra tables or queries on
every page view and ~200 model instances built per 50 rows — a sixth of a ledger's CPU (measured
2026-12-05, ``docs/scaling.md``). Regions and org units are reference data: they change a few times
a year, and every write to them moves the ``REF`` generation (``scopecache``). So a page's rows take
them from a per-process table kept for the current generation, filled on demand (one query for the
codes a page meets that the table lacks) and bounded (``LIMIT`` entries, then it starts again), so a
province's half a million regions never sit in a worker at once.

``attach(rows, "case.region", "case.handling_org")`` sets each row's related object as if it had been
``select_related`` (Django's own field cache). The tables are filled from the primary, never from a
replica (``core.dbrouting``): a replica a few seconds behind a rename would otherwise put the old name
back under the new generation. The objects are shared by every request of the
process: read them, never change or save them (a write loads its own).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model

from . import scopecache

LIMIT = 20_000  # entries per table; a county's regions and units fit many times over


def _table(name: str) -> dict:
    # The same dict for as long as the reference generation holds; a new one after any write to the
    # region tree or the units (and inside a transaction that wrote them: its own, read afresh).
    return scopecache.reference_object(f"references.{name}", dict)


def regions(codes: Iterable[str]) -> dict[str, Any]:
    """Region by code, each with its parent chain attached (``full_name`` needs no query)."""
    from .models import Region
    from .models.regions import RegionLevel, level_of

    table = _table("regions")
    wanted = {c for c in codes if c}
    missing = wanted - table.keys()
    if missing:
        if len(table) + len(missing) > LIMIT:
            table.clear()
        need = set(missing)
        for code in missing:  # the ancestors follow from the code's shape (grid → village → township)
            level = level_of(code)
            if level > RegionLevel.CITY:
                need.add(code[:6] + "000000")
            if level > RegionLevel.TOWNSHIP:
                need.add(code[:9] + "000")
            if level > RegionLevel.VILLAGE:
                need.add(code[:12])
        primary = Region.objects.using(DEFAULT_DB_ALIAS).order_by()
        loaded = {r.code: r for r in primary.filter(code__in=need - table.keys())}
        known = {**table, **loaded}
        strays = {r.parent_id for r in loaded.values() if r.parent_id and r.parent_id not in known}
        while strays:  # a parent whose code does not follow the usual shape
            more = {r.code: r for r in primary.filter(code__in=strays)}
            known.update(more)
            loaded.update(more)
            strays = {r.parent_id for r in more.values() if r.parent_id and r.parent_id not in known}
        parent = Region._meta.get_field("parent")
        for region in loaded.values():
            parent.set_cached_value(region, known.get(region.parent_id) if region.parent_id else None)
        table.update(loaded)
    return _present(table, wanted)


def org_units(ids: Iterable[int]) -> dict[int, Any]:
    """OrgUnit by primary key (its name and kind; its region is not attached)."""
    from .models import OrgUnit

    table = _table("org_units")
    wanted = {i for i in ids if i is not None}
    missing = wanted - table.keys()
    if missing:
        if len(table) + len(missing) > LIMIT:
            table.clear()
        table.update({o.pk: o for o in OrgUnit.objects.using(DEFAULT_DB_ALIAS).filter(pk__in=missing).order_by()})
    return _present(table, wanted)


def _present(table: dict, wanted: set) -> dict:
    # ``get``: another thread may have started the table again since (LIMIT) — a miss, not an error
    return {k: v for k in wanted if (v := table.get(k)) is not None}


def _lookup(model: type[Model]):
    from .models import OrgUnit, Region

    if issubclass(model, Region):
        return regions
    if issubclass(model, OrgUnit):
        return org_units
    raise TypeError(f"{model.__name__} is not reference data kept by core.references")


def attach(rows: Iterable[Any], *paths: str) -> list[Any]:
    """Set ``row.<path>`` of every row (``"case.region"``: the region of the row's case) from the
    tables above, as ``select_related`` would have. Returns the rows as a list."""
    rows = list(rows)
    for path in paths:
        *hops, last = path.split(".")
        owners = rows
        for hop in hops:
            owners = [getattr(o, hop) for o in owners]
            owners = [o for o in owners if o is not None]
        if not owners:
            continue
        field = type(owners[0])._meta.get_field(last)
        found = _lookup(field.related_model)(getattr(o, field.attname) for o in owners)
        for owner in owners:
            key = getattr(owner, field.attname)
            if key is None:
                field.set_cached_value(owner, None)
            elif key in found:
                field.set_cached_value(owner, found[key])
            # else: left to Django (a row whose target vanished since the page was read: one query)
    return rows
