"""The grid-event categories: a code table shipped as data (``data/categories.json``) and kept in
core's ``CodeTable``, so an administrator can rename, add or switch off categories."""

from __future__ import annotations

from pathlib import Path

from anmin.core.codes import CodeList

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.json"
CATEGORIES = CodeList("grid_event_category", what="网格事件类别", label="事件类别", file=CATEGORIES_FILE)
load_categories, category_choices = CATEGORIES.load, CATEGORIES.choices
