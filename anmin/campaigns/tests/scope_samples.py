"""How the authorization matrix makes the campaigns domain's records in a region."""

from __future__ import annotations

import datetime as dt

from anmin.campaigns import actions
from anmin.campaigns.models import (
    CounsellingSession,
    Counsellor,
    Designation,
    InsuredHousehold,
    PracticeReport,
    PublicityCampaign,
    PublicityMaterial,
)
from anmin.core.actors import SYSTEM
from anmin.core.testing.expect import seen_by


def designation_sample(region, world) -> Designation:
    # Registry records directly: the "parent" placement is the city itself, coarser than a registry accepts.
    return Designation.objects.create(kind="safe_village", year=2020, region=region,
                                      subject=f"{region.name}{region.code}", applied_on=dt.date(2020, 3, 1))


def campaign_sample(region, world) -> PublicityCampaign:
    return actions.record_campaign(actor=SYSTEM, title=f"{region.name}宣传活动", kind="focus", region=region,
                                   held_on=dt.date(2020, 6, 24), materials=[("leaflet", "彩页", 100)])


def material_sample(region, world) -> PublicityMaterial:
    return campaign_sample(region, world).materials.get()


def household_sample(region, world) -> InsuredHousehold:
    return InsuredHousehold.objects.create(region=region, year=2020, householder="王某",
                                           policy_no=f"P{InsuredHousehold.objects.count()}{region.code}",
                                           insured_on=dt.date(2020, 3, 1))


def counsellor_sample(region, world) -> Counsellor:
    return Counsellor.objects.create(name="心理咨询师", kind="counsellor", region=region)


def session_sample(region, world) -> CounsellingSession:
    return CounsellingSession.objects.create(counsellor=counsellor_sample(region, world), region=region,
                                             held_on=dt.date(2020, 4, 1), topic="心理疏导")


def report_sample(region, world) -> PracticeReport:
    return PracticeReport.objects.create(title=f"{region.name}经验", region=region, published_on=dt.date(2020, 4, 1))


SAMPLES = {
    Designation: (designation_sample, seen_by("campaigns.view_designation")),
    PublicityCampaign: (campaign_sample, seen_by("campaigns.view_publicitycampaign")),
    PublicityMaterial: (material_sample, seen_by("campaigns.view_publicitymaterial")),
    InsuredHousehold: (household_sample, seen_by("campaigns.view_insuredhousehold")),
    Counsellor: (counsellor_sample, seen_by("campaigns.view_counsellor")),
    CounsellingSession: (session_sample, seen_by("campaigns.view_counsellingsession")),
    PracticeReport: (report_sample, seen_by("campaigns.view_practicereport")),
}
