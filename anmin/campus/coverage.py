"""The coverage rule of campuses, declared on the kit (``anmin.workflow.kit.coverage.ChecklistRule``):
every school on the register meets all five 100% items in a term. The items are data
(``data/five_items.json``); the kit lists each school that does not, with the items it lacks (no
check recorded for the term: all five), on the gap-list page, the school ledger and for analytics."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from anmin.workflow.kit.coverage import ChecklistRule, coverage_rules

ITEMS_FILE = Path(__file__).parent / "data" / "five_items.json"
FIVE_ITEMS = "campus.five_items"


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


RULE = ChecklistRule(
    FIVE_ITEMS, "每所学校(幼儿园)五个100%全部达标", app="campus", model="campus.School",
    checks="campus.SafetyCheck", record_field="school", items=five_items, period_of_year=term_of_year,
    items_field="items", period_field="term", unit="所")


def register() -> None:
    coverage_rules.register(RULE.key, RULE)


def five_items_gaps(schools, term: str) -> list[tuple[object, list[str]]]:
    """(school, names of the items it lacks) for every school in ``schools`` short of any item in ``term``."""
    return [(school, [_(item_name(c)) for c in lacks]) for school, lacks in RULE.missing(schools, term)]
