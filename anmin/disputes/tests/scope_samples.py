"""How the authorization matrix makes disputes, their attachments and mediation registries in a region."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anmin.core.actors import SYSTEM
from anmin.core.codes import load_code_tables
from anmin.core.models import Attachment, Role
from anmin.core.testing.expect import seen_by
from anmin.disputes import actions
from anmin.disputes.models import Dispute, MediationOrg, MediationOrgKind, Mediator


def dispute_sample(region, world) -> Dispute:
    load_code_tables()  # reference data every installation loads with `anmin setup`
    return actions.report_dispute(
        actor=world.user(Role.CITY_OFFICE),
        title=f"{region.name}宅基地纠纷",
        region=region,
        category="0902",
        found_on=dt.date(2020, 6, 1),
        parties=[{"name": "张三"}, {"name": "李四", "role": "respondent"}],
    )


def attachment_sample(region, world) -> Attachment:
    """A document on a dispute (core attachments): seen exactly by whoever sees the dispute."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format="PNG")
    return actions.attach_document(actor=world.user(Role.CITY_OFFICE), dispute=dispute_sample(region, world),
                                   upload=SimpleUploadedFile("协议.png", out.getvalue()), category="agreement")


def org_sample(region, world, name: str = "调委会") -> MediationOrg:
    return actions.create_mediation_org(
        actor=SYSTEM, name=f"{region.name}{region.code}{name}", kind=MediationOrgKind.VILLAGE, region=region
    )


def mediator_sample(region, world) -> Mediator:
    return actions.create_mediator(actor=SYSTEM, name="调解员甲", org=org_sample(region, world, "联合调委会"))


# By rule: who holds the view permission sees what lies in their jurisdiction; the mediator and a
# department handler only what is handed to them.
DISPUTE_SEEN_BY = seen_by("disputes.view_dispute")
REGISTRY_SEEN_BY = seen_by("disputes.view_mediationorg")

SAMPLES = {
    Dispute: (dispute_sample, DISPUTE_SEEN_BY),
    Attachment: (attachment_sample, DISPUTE_SEEN_BY),
    MediationOrg: (org_sample, REGISTRY_SEEN_BY),
    Mediator: (mediator_sample, REGISTRY_SEEN_BY),
}
