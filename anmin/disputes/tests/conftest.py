from __future__ import annotations

import pytest

from anmin.core.codes import load_code_tables
from anmin.disputes.actions import ensure_default_risk_flags
from anmin.disputes.models import RiskFlag


@pytest.fixture(autouse=True)
def dispute_reference_data(db):
    """Code tables and the default risk flags (a data migration ships the same flags)."""
    load_code_tables()
    ensure_default_risk_flags()  # a transactional test elsewhere may have flushed the migration's rows
    assert RiskFlag.objects.filter(code="threat_revenge").exists()
