"""A page of a scoped list read branch by branch, each part of the visibility condition on its own.

The visibility condition (``core.scoping``) is an OR: the scope's region (and the kinds the role
covers), OR the records assigned to the user, OR to the user's unit. Asked for one page as a single
query (``ORDER BY opened_at DESC, id DESC LIMIT 51``), PostgreSQL has two plans: walk the whole table
newest first, testing each row (fast when the scope is a large share of the table — a county in its
own database), or gather every row of the scope through a bitmap of the three indexes and read each
from the heap to sort them. A township's 40,000 cases in a province's table lie one to a heap page,
so that page costs 40,000 page reads, ≈200 ms (docs/scaling-out.md).

Asked branch by branch, each part takes its own best plan — the region part reads its range of
``case_region_opened`` and nothing else (the index carries the sort key and what the condition
tests), a handler's or a unit's part its own index — each keeping its newest ``top`` rows. The page
is the newest of what the parts found (``UNION``: a row in two parts counts once), and its rows are
then read by primary key, in the same statement, with the queryset's own joins and order.

The rows are those of ``qs[bottom:top]`` in the same order: the parts' union is the condition, which
is the queryset's only filter (``ScopedQuerySet`` forgets the parts when a queryset is OR'ed with
another), and the page's rows are read with the whole condition as well. Only on PostgreSQL, only
for models whose policy asks for it (``ScopePolicy.paged_by_branch``), only when the condition is the
queryset's only filter, and only for an order of the model's own columns; anything else is read as
one query (``None``).
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections
from django.db.models.expressions import RawSQL


def _ordering(qs) -> list[str] | None:
    """The queryset's order as ``["-opened_at", "-pk"]``, when every term is a column of its own or of
    a record it points to (``-case__opened_at``: a domain record's case, one step)."""
    query = qs.query
    if query.extra_order_by:
        return None
    terms = list(query.order_by) or (list(query.get_meta().ordering) if query.default_ordering else [])
    if not terms:
        return None
    for term in terms:
        if not isinstance(term, str) or term.startswith("?"):
            return None
        name = term.lstrip("-")
        if name in query.annotations or not _column(qs.model._meta, name):
            return None
    return terms


def _column(meta, name: str) -> bool:
    """Whether ``name`` is a concrete column of ``meta``'s model, or ``rel__column`` of the model a
    forward one-to-one or foreign key of it points to."""
    hop, _sep, rest = name.partition("__")
    if rest:
        try:
            relation = meta.get_field(hop)
        except FieldDoesNotExist:
            return False
        if not relation.concrete or not (relation.many_to_one or relation.one_to_one):
            return False
        return "__" not in rest and _column(relation.related_model._meta, rest)
    if name == "pk":
        return True
    try:
        field = meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and (not field.is_relation or field.many_to_one or field.one_to_one)


def applies(qs) -> bool:
    """Whether ``merged_rows`` reads ``qs`` branch by branch (not as one query)."""
    return _ordering_if_applies(qs) is not None


def _ordering_if_applies(qs) -> list[str] | None:
    branches = getattr(qs, "branches", None)
    if not branches or connections[qs.db].vendor != "postgresql":
        return None
    query = qs.query
    if query.combinator or query.distinct or query.group_by is not None or query.is_sliced \
            or query.select_for_update or qs._fields is not None:
        return None
    # Only the whole scope (the ledger as it opens, an unfiltered list): with a filter of its own beside the
    # condition the single query's plan is already narrow, and a part planned alone can be worse — a
    # township's in-progress cases since a date, part by part, took a date index and 18,000 heap
    # pages for 1,100 rows where the single query took the region index and 1,091 (docs/scaling.md).
    # The condition as the query's one ANDed part (what ``visible_to`` on a fresh queryset leaves).
    where = query.where
    if where.connector != "AND" or where.negated or len(where.children) != 1 \
            or getattr(where.children[0], "connector", None) != "OR" or where.children[0].negated:
        return None
    return _ordering(qs)


def merged_rows(qs, bottom: int, top: int) -> list | None:
    """``list(qs[bottom:top])`` read branch by branch, or None where that does not apply."""
    if top <= bottom:
        return None
    ordering = _ordering_if_applies(qs)
    if ordering is None:
        return None
    branches, query = qs.branches, qs.query
    # The text depends on nothing but the model, the parts, the order and the slice (the condition is the
    # only filter): kept per process for parts of plain values, so a page compiles it once.
    plain = not query.annotations and all(map(_plain, branches))
    key = (qs.model, tuple(map(str, branches)), tuple(ordering), bottom, top) if plain else None
    page = _texts.get(key) if key else None
    if page is None:
        page = _page_sql(qs, branches, ordering, bottom, top)
        if key:
            if len(_texts) >= MAX_TEXTS:
                _texts.clear()
            _texts[key] = page
    if page is EMPTY:
        return []
    return list(qs.filter(pk__in=RawSQL(*page)))  # noqa: S611 - compiled querysets, names, integers


EMPTY = ("", ())
MAX_TEXTS = 2000
_texts: dict = {}


def _plain(node) -> bool:
    """Whether a condition holds only plain values (its ``str`` is then its identity; a queryset's would
    run it)."""
    for child in node.children:
        if hasattr(child, "children"):
            if not _plain(child):
                return False
            continue
        value = child[1]
        values = value if isinstance(value, (list, tuple)) else (value,)
        if not all(isinstance(v, (str, int, bool, type(None))) for v in values):
            return False
    return True


def _page_sql(qs, branches, ordering: list[str], bottom: int, top: int) -> tuple[str, tuple]:
    """The statement choosing the page's keys: each part alone, ordered and limited, then merged."""
    pk_name = qs.model._meta.pk.name
    columns = ["pk"] + [n for n in dict.fromkeys(t.lstrip("-") for t in ordering) if n not in ("pk", pk_name)]
    position = {name: i for i, name in enumerate(columns)} | {pk_name: 0}
    # Each part alone, not "the whole OR AND the part": given that, PostgreSQL plans the OR again (a bitmap
    # of every part, the heap for each row).
    base = qs.order_by(*ordering)
    del base.query.where.children[0]
    parts, params = [], []
    own = _own_township_field(qs.model, ordering)
    for branch in branches:
        walked = None if own or not _within_a_village(branch) else _grid_walked(qs.model._meta, branch, ordering)
        part = base.filter(walked or (_in_own_township_range(branch, own) if own else branch))
        if walked is None and _within_a_village(branch):
            part = part.order_by(*_sorted_not_walked(qs.model._meta, ordering))
        part = part.values_list(*columns)[:top]
        try:
            sql, part_params = part.query.sql_with_params()
        except EmptyResultSet:  # a branch that matches nothing (an empty IN list)
            continue
        parts.append(f"({sql})")
        params.extend(part_params)
    if not parts:
        return EMPTY
    names = ", ".join(f"c{i}" for i in range(len(columns)))
    order = ", ".join(f"c{position[t.lstrip('-')]}{' DESC' if t.startswith('-') else ''}" for t in ordering)
    # Only compiled querysets, generated column names and integers go into the text; values are params.
    return (f"SELECT c0 FROM ({' UNION '.join(parts)}) AS branches ({names}) "  # noqa: S608
            f"ORDER BY {order} LIMIT {int(top - bottom)} OFFSET {int(bottom)}", tuple(params))


def _own_township_field(model, ordering: list[str]) -> str | None:
    """The record's own copy of its township's code (``ScopePolicy.township_field``) when the page is in
    an order of the record's own columns (disputes by the day found): the copy's index holds a township's
    rows in that order, where the case's ``case_township_opened`` holds them by the case's opening."""
    from .scoping import get_policy

    field = get_policy(model).township_field
    return field if field and "__" not in ordering[0].lstrip("-") else None


def aggregate(qs, **counts) -> dict:
    """``qs.aggregate(**counts)`` — counts only (``Count``, ``Count(filter=…)``) — as the sum over the
    parts of the visibility condition, each part without the rows of the parts before it (a row in two
    parts counts once), each planned on its own indexes. For a record keeping its township
    (``ScopePolicy.township_field``) a region part tests the copy instead of the case's prefix, so a
    county's disputes of a year in a province's table are a range of ``dispute_township_found`` and their
    cases read by key, not the province's year of disputes joined to their cases to find the county's
    (decision 0026).
    One statement where that does not apply (not PostgreSQL, no parts, another aggregate)."""
    parts = _count_parts(qs, counts)
    if parts is None:
        return qs.aggregate(**counts)
    totals = dict.fromkeys(counts, 0)
    for part in parts:
        for key, value in part.aggregate(**counts).items():
            totals[key] += value or 0
    return totals


def aggregate_by(qs, group, **counts) -> dict:
    """``aggregate`` for each value of the expression ``group`` (``{value: {name: n}}``; a value no row
    has is absent): one grouped statement, or one per part of the condition as ``aggregate`` reads them."""

    def grouped(q) -> dict:
        rows = q.annotate(_group=group).order_by().values("_group").annotate(**counts)
        return {row.pop("_group"): row for row in rows}

    parts = _count_parts(qs, counts)
    if parts is None:
        return grouped(qs)
    totals: dict = {}
    for part in parts:
        for value, row in grouped(part).items():
            acc = totals.setdefault(value, dict.fromkeys(counts, 0))
            for key, n in row.items():
                acc[key] += n or 0
    return totals


def _count_parts(qs, counts) -> list | None:
    """The parts ``aggregate`` counts ``qs`` by, each without the rows of the parts before it; None where
    it counts in one statement."""
    from django.db.models import Count

    branches = getattr(qs, "branches", None)
    if not branches or connections[qs.db].vendor != "postgresql" \
            or not all(isinstance(a, Count) and not a.distinct for a in counts.values()):
        return None
    from .scoping import get_policy

    field = get_policy(qs.model).township_field
    parts = []
    for i, branch in enumerate(branches):
        part = qs.filter(_in_own_township_range(branch, field) if field else branch)
        for earlier in branches[:i]:
            part = part.exclude(earlier)
        parts.append(part)
    return parts


def _in_own_township_range(node, field: str):
    """``node`` — a part of a page in the record's own order, or of a count — with each test of the case's
    region prefix (``…region__code__startswith`` or ``…__township``) made on the record's own township
    ``field`` (``scoping.township_copy_q``): the same rows (the copy is the case's township, filled as the
    row is written), found from the copy's index — and estimated from it: the case's prefix tested as well
    would be counted twice by the planner, which then expects a few rows of a county and walks its million
    cases for them (3.2 s on a province's tables). A village's or a grid's prefix keeps its test beside
    the copy's."""
    from .scoping import map_leaves, township_copy_q

    def placed(leaf):
        lookup, value = leaf
        if lookup.endswith(("region__code__startswith", "region__code__township")) and isinstance(value, str):
            return township_copy_q(field, lookup, value)
        return leaf

    return map_leaves(node, placed)


def _within_a_village(node) -> bool:
    """Whether a part tests a village's or a grid's prefix: a few thousand cases, which no index holds in
    order of time (the range of ``case_region_opened`` holds them grid by grid)."""
    from .models.regions import TOWNSHIP_DIGITS
    from .scoping import region_prefix

    return any(_within_a_village(child) if hasattr(child, "children")
               else len(region_prefix(child) or "") > TOWNSHIP_DIGITS for child in node.children)


def _grid_walked(meta, node, ordering: list[str]):
    """A grid's part of a page in the order of an index that begins with the region — the cases'
    ``case_region_opened`` (region, opened_at) for a page newest first — with the grid's code tested for
    equality: that index then holds the grid's rows in the page's order, read backwards until the page
    is full (51 rows read, 0.12 ms, for a grid of 361 cases whose whole range was read and sorted in
    0.8 ms; a grid's range grows with every year of its reports). The same rows: a grid is the last level
    (``RegionLevel.GRID``), so no code lies under a grid's but its own. None when a part tests a
    village's prefix, or the order is not such an index's."""
    from .models.regions import RegionLevel, level_of
    from .scoping import REGION_PREFIX_LOOKUP, map_leaves, region_prefix

    path, _sep, column = ordering[0].lstrip("-").rpartition("__")
    try:
        target = meta.get_field(path).related_model._meta if path else meta
    except FieldDoesNotExist:
        return None
    if not any(list(index.fields[:2]) == ["region", column] for index in target.indexes):
        return None
    lookup = f"{path}__{REGION_PREFIX_LOOKUP}" if path else REGION_PREFIX_LOOKUP
    grids = True

    def placed(leaf):
        nonlocal grids
        prefix = region_prefix(leaf)
        if prefix is None:
            return leaf
        if leaf[0] != lookup or not prefix.isdigit() or level_of(prefix) != RegionLevel.GRID:
            grids = False
            return leaf
        return (lookup.removesuffix("__code__startswith"), prefix)

    out = map_leaves(node, placed)
    return out if grids else None


def time_as_value(name: str):
    """The time column ``name`` as a value no index holds (``+ interval '0'``): ordered by it, PostgreSQL
    reads a scope's rows through the scope's indexes and sorts them instead of walking the column's own
    index newest first, which for a small scope lying far back tests most of the table."""
    from datetime import timedelta

    from django.db.models import DateTimeField, ExpressionWrapper, F, Value

    return ExpressionWrapper(F(name) + Value(timedelta(0)), output_field=DateTimeField())


def _sorted_not_walked(meta, ordering: list[str]) -> list:
    """``ordering`` with its time columns as values (``time_as_value``; the same order): the part is then
    read from its prefix's range and sorted. Ordered by the column itself, PostgreSQL walks the whole
    table newest first and tests each case — it expects a grid's few thousand among a million to come
    soon, but a grid without recent reports lies far back: 110,000 cases tested, 287 ms, for one page."""
    from django.db.models import DateField

    out: list = []
    for term in ordering:
        name = term.lstrip("-")
        hop, _sep, rest = name.partition("__")
        field = meta.get_field(hop).related_model._meta.get_field(rest) if rest else (
            meta.pk if name == "pk" else meta.get_field(name))
        if isinstance(field, DateField):  # a date too (disputes by the day found), and a DateTimeField is one
            value = time_as_value(name)
            out.append(value.desc() if term.startswith("-") else value.asc())
        else:
            out.append(term)
    return out
