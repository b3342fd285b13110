"""How the authorization matrix makes objects of the foundation's scoped models in a region.

Every app with scoped views has a ``tests/scope_samples.py`` with ``SAMPLES``; the matrix test
fails for a scoped view whose model has no sample here.
"""

from __future__ import annotations

from django.db import transaction

from anmin.core import audit
from anmin.core.models import AuditEntry, Notice, OrgUnit, Region, Role
from anmin.core.models.orgs import OrgKind
from anmin.core.notices import notify

from ..testing.expect import ALL, only
from .factories import make_org


def region_sample(region: Region, world) -> Region:
    return region


def org_sample(region: Region, world) -> OrgUnit:
    return make_org(OrgKind.DEPARTMENT, region, f"{region.name}测试机构")


def audit_sample(region: Region, world) -> AuditEntry:
    with transaction.atomic():
        return audit.record(
            actor=world.user(Role.TOWNSHIP_CENTER),
            action="update",
            object_type="core.region",
            object_id=region.code,
            region_code=region.code,
            before={"name": region.name},
            after={"name": f"{region.name}（改）"},
        )


def notice_sample(region: Region, world) -> Notice:
    """A message to the village centre's user (messages are the recipient's alone, wherever they point)."""
    key = f"sample:{region.code}"
    notify(kind="other", title=f"{region.name}测试消息", key=key, users=[world.user(Role.VILLAGE_CENTER)])
    return Notice.objects.get(key=key)


# The audit log: the auditor sees all of it wherever the object lies; nobody else sees any of it.
AUDIT_EXPECTED = only({Role.AUDITOR: ALL})

# model → (make(region, world) -> obj, who sees it: "reference", a rule of anmin.core.testing.expect, or a
# dict role → placements naming every role)
SAMPLES = {
    Region: (region_sample, "reference"),
    OrgUnit: (org_sample, "reference"),
    AuditEntry: (audit_sample, AUDIT_EXPECTED),
    Notice: (notice_sample, only({Role.VILLAGE_CENTER: ALL})),
}
