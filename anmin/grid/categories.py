"""The grid-event categories: a code table shipped as data (``data/categories.json``) and kept in
core's ``CodeTable``, so an administrator can rename, add or switch off categories."""

from __future__ import annotations

from pathlib import Path

from anmin.core.codes import code_choices, code_name, code_names, load_code_tables

TABLE = "grid_event_category"
CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.json"


def load_categories() -> dict[str, int]:
    """Create the table and any missing categories; names an administrator changed are kept."""
    return load_code_tables(CATEGORIES_FILE)


def category_choices() -> list[tuple[str, str]]:
    """Active categories as (code, name), in the table's order."""
    return code_choices(TABLE)


def category_name(code: str) -> str:
    return code_name(TABLE, code)


def is_active_category(code: str) -> bool:
    return code in code_names(TABLE)
