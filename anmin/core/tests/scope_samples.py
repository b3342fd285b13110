"""How the authorization matrix makes objects of the foundation's scoped models in a region.

Every app with scoped views has a ``tests/scope_samples.py`` with ``SAMPLES``; the matrix test
fails for a scoped view whose model has no sample here.
"""

from __future__ import annotations

from anmin.core.models import OrgUnit, Region
from anmin.core.models.orgs import OrgKind

from .factories import make_org


def region_sample(region: Region, world) -> Region:
    return region


def org_sample(region: Region, world) -> OrgUnit:
    return make_org(OrgKind.DEPARTMENT, region, f"{region.name}测试机构")


# model → (make(region, world) -> obj, who sees it: "reference" or a dict role → placements)
SAMPLES = {
    Region: (region_sample, "reference"),
    OrgUnit: (org_sample, "reference"),
}
