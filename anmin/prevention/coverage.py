"""The coverage rules of the prevention registries, as data (``anmin.workflow.kit.coverage``)."""

from __future__ import annotations

from anmin.core.models.regions import RegionLevel
from anmin.workflow.kit.coverage import CoverageRule, coverage_rules

TOWNSHIP_PATROL = "prevention.township_patrol"
VILLAGE_PATROL = "prevention.village_patrol"
VILLAGE_POLICE = "prevention.village_police"
VILLAGE_LAWYER = "prevention.village_lawyer"

RULES = (
    CoverageRule(TOWNSHIP_PATROL, "每个乡镇(街道)有一支不少于15人的治安巡逻队", app="prevention",
                 model="prevention.PatrolTeam", level=RegionLevel.TOWNSHIP, where={"kind": "township"},
                 size="members", size_where={"members__is_active": True}, min_size=15, unit="支"),
    CoverageRule(VILLAGE_PATROL, "每个村(社区)有一支不少于10人的治安巡逻队", app="prevention",
                 model="prevention.PatrolTeam", level=RegionLevel.VILLAGE, where={"kind": "village"},
                 size="members", size_where={"members__is_active": True}, min_size=10, unit="支"),
    CoverageRule(VILLAGE_POLICE, "一村(格)一警：每个村(社区)有驻村民警", app="prevention", model="prevention.Liaison",
                 level=RegionLevel.VILLAGE, where={"kind": "police"}, unit="人"),
    CoverageRule(VILLAGE_LAWYER, "一村(居)一法律顾问：每个村(社区)有法律顾问", app="prevention",
                 model="prevention.Liaison", level=RegionLevel.VILLAGE, where={"kind": "lawyer"}, unit="人"),
)


def register() -> None:
    for rule in RULES:
        coverage_rules.register(rule.key, rule)
