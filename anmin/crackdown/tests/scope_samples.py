"""How the authorization matrix makes crackdown records in a region. By rule: who holds a model's view
permission sees it in their jurisdiction — for clues only the 扫黑办 (a city unit: everywhere); a
department handler only what is handed to its unit (nothing of a sample)."""

from __future__ import annotations

import datetime as dt

from anmin.core import clock
from anmin.core.actors import SYSTEM
from anmin.core.testing.expect import seen_by
from anmin.crackdown import actions
from anmin.crackdown.models import Asset, Candidate, Clue, CrimeOrg, Notice, Official, Rectification, Suspect


def clue_sample(region, world) -> Clue:
    return actions.register_clue(actor=world.user("crackdown"), title=f"{region.name}线索", region=region,
                                 description="群众反映有人欺行霸市", source="phone")


def notice_sample(region, world) -> Notice:
    return actions.issue_notice(actor=world.user("crackdown"), notice_kind="procuratorial",
                                title=f"{region.name}检察建议书", region=region, to_org=world.orgs["crackdown"],
                                issuer="禹州市人民检察院", problem="行业监管存在漏洞", recommendation="加强监管")


def rectification_sample(region, world) -> Rectification:
    return actions.register_rectification(actor=world.user("crackdown"), inspection="省督导组反馈",
                                          problem=f"{region.name}行业乱象整治不彻底", region=region,
                                          to_org=world.orgs["crackdown"], responsible="市自然资源局",
                                          deadline=clock.today() + dt.timedelta(days=60))


def org_sample(region, world) -> CrimeOrg:
    return actions.register_org(actor=SYSTEM, name=f"{region.name}某恶势力犯罪团伙", org_type="evil_gang",
                                region=region, broken_on="2020-05-01")


def suspect_sample(region, world) -> Suspect:
    return actions.add_suspect(actor=SYSTEM, org=org_sample(region, world), name="张某", caught_on="2020-05-02")


def asset_sample(region, world) -> Asset:
    return actions.add_asset(actor=SYSTEM, org=org_sample(region, world), description="银行存款", measure="frozen",
                             value="100000", on="2020-05-03")


def official_sample(region, world) -> Official:
    return actions.record_official(actor=SYSTEM, name="李某", unit="某村党支部书记", region=region, kind="umbrella",
                                   measure="discipline", handled_on="2020-06-01")


def candidate_sample(region, world) -> Candidate:
    return actions.review_candidate(actor=SYSTEM, region=region, name="王某", election_year=2021,
                                    checks={"police": {"ok": False, "reason": "有犯罪前科"}}, reviewed_on="2020-11-20")


SAMPLES = {
    Clue: (clue_sample, seen_by("crackdown.view_clue")),
    Notice: (notice_sample, seen_by("crackdown.view_notice")),
    Rectification: (rectification_sample, seen_by("crackdown.view_rectification")),
    CrimeOrg: (org_sample, seen_by("crackdown.view_crimeorg")),
    Suspect: (suspect_sample, seen_by("crackdown.view_suspect")),
    Asset: (asset_sample, seen_by("crackdown.view_asset")),
    Official: (official_sample, seen_by("crackdown.view_official")),
    Candidate: (candidate_sample, seen_by("crackdown.view_candidate")),
}
