"""The crackdown domain's role (扫黑办), its demo login and the default permissions of every role on
its records (applied once by ``sync_roles``).

Clues are confidential: only the 扫黑办 sees them in its area; a department handler (scope "assigned")
sees a clue or a 三书一函 only when it is handed to their unit."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from anmin.core.models import Role
from anmin.core.models.accounts import ScopeKind
from anmin.core.models.orgs import OrgKind
from anmin.core.registry import DemoAccount, RoleDef, RoleGrants

from .workflows import CRACKDOWN

ROLES = (
    RoleDef(CRACKDOWN, gettext_noop("扫黑办"),
            ScopeKind.REGION, "扫黑办：线索核查、案件、整改、三书一函", True, order=70,
            org_kinds=(OrgKind.CRACKDOWN_OFFICE,), app="crackdown"),
)

DEMO_ACCOUNTS = (DemoAccount("saohei", "市扫黑办 孙立", CRACKDOWN, "city-crackdown", 90),)

MODELS = ("clue", "crimeorg", "suspect", "asset", "official", "notice", "candidate", "rectification")
OFFICE = tuple(f"crackdown.{verb}_{m}" for m in MODELS for verb in ("view", "add", "change"))
SUMMARY = ("crackdown.view_crimeorg", "crackdown.view_official", "crackdown.view_notice")


def grants() -> RoleGrants:
    return RoleGrants("crackdown", {
        CRACKDOWN: (*OFFICE, "workflow.view_case", "workflow.add_supervision"),
        Role.DEPT_HANDLER: ("crackdown.view_clue", "crackdown.view_notice", "crackdown.view_rectification"),
        Role.CITY_OFFICE: SUMMARY,
        Role.LEADER: SUMMARY,
    })
