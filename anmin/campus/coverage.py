"""The coverage rule of campuses: every school on the register meets all five 100% items in a term.
The items are data (``data/five_items.json``); ``five_items_gaps`` lists each school that does not,
with the items it lacks (no check recorded for the term: all five)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from .models import SafetyCheck

ITEMS_FILE = Path(__file__).parent / "data" / "five_items.json"


@cache
def five_items() -> tuple[tuple[str, str], ...]:
    """(code, name) of the five 100% items, in order."""
    return tuple((i["code"], i["name"]) for i in json.loads(ITEMS_FILE.read_text(encoding="utf-8")))


def item_name(code: str) -> str:
    return dict(five_items()).get(code, code)


def term_of_year(year: int) -> str:
    """The term a year's figures use: its autumn term (``2020-2``)."""
    return f"{year}-2"


def term_label(term: str) -> str:
    year, _sep, half = term.partition("-")
    return f"{year}年{'秋季' if half == '2' else '春季'}学期" if year.isdigit() and half in ("1", "2") else term


def five_items_gaps(schools, term: str) -> list[tuple[object, list[str]]]:
    """(school, names of the items it lacks) for every school in ``schools`` short of any item in ``term``."""
    codes = [c for c, _n in five_items()]
    met = {s: set(items) for s, items in SafetyCheck.objects.filter(term=term, school__in=schools)
           .values_list("school_id", "items")}
    gaps = []
    for school in schools.select_related("region").order_by("region_id", "name"):
        missing = [c for c in codes if c not in met.get(school.pk, set())]
        if missing:
            gaps.append((school, [_(item_name(c)) for c in missing]))
    return gaps
