"""Foundation models. Each module holds one concern; import models from here."""

from .accounts import Role, User
from .attachments import Attachment
from .audit import AuditEntry
from .background import Heartbeat
from .clock import ClockShift
from .codes import CodeItem, CodeTable
from .documents import DocumentTemplate
from .geo import Location, RegionGeo
from .idempotency import IdempotencyKey
from .ledgers import LedgerMapping
from .notices import Notice
from .orgs import OrgUnit
from .regions import Region
from .security import LoginThrottle
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "ClockShift",
    "CodeItem",
    "CodeTable",
    "DocumentTemplate",
    "Heartbeat",
    "IdempotencyKey",
    "LedgerMapping",
    "Location",
    "LoginThrottle",
    "Notice",
    "OrgUnit",
    "Region",
    "RegionGeo",
    "Role",
    "User",
]
