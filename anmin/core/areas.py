"""Figures of sibling areas in one statement.

A dashboard shows each indicator for every area under the viewer's — the city's 26 townships, a
township's villages. Counted area by area that is one statement per area and indicator (≈ 700 for the
city's first view of 统计分析). An indicator that registers ``Kpi.by_area`` counts its rows once,
grouped by the first digits of their region code — a township's nine, a village's whole code — which
is the prefix each area holds its subtree under (``regions.prefix_for``), so every area's figure is the
one ``compute(region=area)`` gives.
"""

from __future__ import annotations

from django.db.models import CharField, F
from django.db.models.functions import Left

from . import branchpage
from .models.regions import level_of, prefix_for


def area_prefixes(codes) -> dict[str, str]:
    """``{prefix: code}`` of sibling areas: the code prefix each holds its subtree under."""
    return {prefix_for(code, level_of(code)): code for code in codes}


def digits(codes) -> int | None:
    """The length of the prefix all of ``codes`` hold their subtrees under (siblings share it); None when
    they differ, or when there are none."""
    lengths = {len(prefix) for prefix in area_prefixes(codes)}
    return lengths.pop() if len(lengths) == 1 else None


def area_expression(path: str, codes):
    """The expression naming, for a row, which of ``codes`` it lies in (its region code's first digits;
    a row outside them has a value that is none of theirs). ``path``: the row's region code, ``region``
    for a case, ``case__region`` for a domain record."""
    n = digits(codes)
    if n is None:
        raise ValueError("areas of different levels are not grouped in one statement")
    return Left(F(path), n, output_field=CharField())


def count_by_area(qs, path: str, codes, **counts) -> dict[str, dict[str, int]]:
    """``{code: qs.inside(code).aggregate(**counts)}`` for every one of ``codes`` (0 where an area has no
    row), counted in one grouped statement (or one per part of a scoped queryset's condition,
    ``branchpage.aggregate_by``)."""
    prefixes = area_prefixes(codes)
    out = {code: dict.fromkeys(counts, 0) for code in codes}
    for prefix, row in branchpage.aggregate_by(qs, area_expression(path, codes), **counts).items():
        code = prefixes.get(prefix)
        if code is not None:
            out[code] = row
    return out


def bucket(pairs, codes) -> dict[str, list]:
    """``{code: [item, …]}``: ``(region code, item)`` pairs placed in the area of ``codes`` each lies in
    (an item outside them dropped) — for an indicator that computes its figure in Python."""
    n = digits(codes)
    prefixes = area_prefixes(codes)
    out: dict[str, list] = {code: [] for code in codes}
    for region, item in pairs:
        code = prefixes.get((region or "")[:n]) if n else None
        if code is not None:
            out[code].append(item)
    return out
