"""The mediation registries: people's mediation organisations (调委会) and mediators."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from anmin.core import audit
from anmin.core.errors import changed_meanwhile, invalid
from anmin.core.guards import action
from anmin.core.models import Region, User

from ..models import MediationOrg, MediationOrgKind, Mediator


@action(perm="disputes.add_mediationorg", region="region", what="登记人民调解组织")
def create_mediation_org(
    *,
    actor,
    name: str,
    kind: str,
    region: Region,
    brand_name: str = "",
    sector: str = "",
    address: str = "",
    established_on: date | None = None,
    org_unit=None,
) -> MediationOrg:
    name = (name or "").strip()
    if not name or len(name) > 128:
        raise invalid("name", "「名称」为必填项，且不超过 128 字")
    if kind not in MediationOrgKind.values:
        raise invalid("kind", "「类型」无效")
    with transaction.atomic():
        if MediationOrg.objects.filter(region=region, name=name).exists():
            raise invalid("name", f"「名称」{name} 在 {region.name} 已存在")
        org = MediationOrg.objects.create(name=name, kind=kind, region=region, brand_name=brand_name, sector=sector,
                                          address=address, established_on=established_on, org_unit=org_unit)
        audit.record(actor=actor, action="create", obj=org, after=audit.snapshot(org))
    return org


@action(perm="disputes.change_mediationorg", target="org", model=MediationOrg, what="修改人民调解组织")
def update_mediation_org(*, actor, org: MediationOrg, expected_version: int, **changes) -> MediationOrg:
    with transaction.atomic():
        locked = MediationOrg.objects.select_for_update().get(pk=org.pk)
        if locked.version != expected_version:
            raise changed_meanwhile("该调解组织", current={"id": locked.pk, "version": locked.version})
        before = audit.snapshot(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.version += 1
        locked.full_clean(exclude=["region", "org_unit"])
        locked.save()
        audit.record(actor=actor, action="update", obj=locked, before=before, after=audit.snapshot(locked))
    return locked


@action(perm="disputes.add_mediator", target="org", model=MediationOrg, what="登记人民调解员")
def create_mediator(
    *,
    actor,
    name: str,
    org: MediationOrg,
    sex: str = "",
    employment: str = "part",
    specialities: str = "",
    user: User | None = None,
) -> Mediator:
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise invalid("name", "「姓名」为必填项，且不超过 64 字")
    with transaction.atomic():
        mediator = Mediator.objects.create(name=name, org=org, region_id=org.region_id, sex=sex,
                                           employment=employment, specialities=specialities, user=user)
        audit.record(actor=actor, action="create", obj=mediator, after=audit.snapshot(mediator))
    return mediator
