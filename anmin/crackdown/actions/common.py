"""Small helpers shared by the crackdown actions (no writes here); input checks are ``anmin.core.checks``."""

from __future__ import annotations

from anmin.core.models import OrgUnit, Region
from anmin.core.models.orgs import OrgKind
from anmin.workflow import actions as case_actions
from anmin.workflow.definitions import HANDLER
from anmin.workflow.rules import may_take

from ..workflows import CRACKDOWN


def office(region: Region) -> OrgUnit | None:
    """The 扫黑办 responsible for a place: the nearest one at or above it (the city's)."""
    codes = [region.code[:n] + "0" * (12 - n) for n in (12, 9, 6)]
    return (OrgUnit.objects.filter(kind=OrgKind.CRACKDOWN_OFFICE, region_id__in=codes, is_active=True)
            .order_by("-region_id", "pk").first())


def require_handler(actor, case, what: str) -> None:
    """The unit the case is handed to (its handler) or the 扫黑办 may take the domain's step."""
    if not may_take(actor, case, (HANDLER, CRACKDOWN)):
        raise case_actions.TransitionNotAllowed(f"只有承办单位或扫黑办可以{what}")


def check_version(case, expected_version) -> None:
    if expected_version is not None and case.version != expected_version:
        raise case_actions.CaseConflict(case, expected_version)

