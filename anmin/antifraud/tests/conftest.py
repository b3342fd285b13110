from __future__ import annotations

import pytest

from anmin.antifraud.rules import ensure_default_grade_rules
from anmin.core.codes import load_code_tables


@pytest.fixture(autouse=True)
def antifraud_reference_data(db):
    """The fraud-type code table and the default grading rules (the reference data a migrate loads)."""
    load_code_tables()
    ensure_default_grade_rules()
