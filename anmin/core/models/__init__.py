"""Foundation models. Each module holds one concern; import models from here."""

from .accounts import Role, User
from .codes import CodeItem, CodeTable
from .orgs import OrgUnit
from .regions import Region

__all__ = ["CodeItem", "CodeTable", "OrgUnit", "Region", "Role", "User"]
