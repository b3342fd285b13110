"""The prevention registries, declared once on the registry kit (``anmin.workflow.kit.registry``):
the kit makes their actions, pages, API, Excel ledgers and status history."""

from __future__ import annotations

from anmin.core import ledgers
from anmin.workflow.kit import maps
from anmin.workflow.kit.registry import Registry

from .models import (
    Camera,
    Liaison,
    LiaisonKind,
    MemberRole,
    PatrolMember,
    PatrolTeam,
    PlaceKind,
    PlannedPoint,
    Platform,
    Programme,
    TeamKind,
)

NAME = ledgers.text(max_length=128)


class MemberLedgerMixin:
    """The 所属巡逻队 column: a team the importing user sees, by name."""

    def prepare(self) -> None:
        from collections import defaultdict

        self.teams = defaultdict(list)
        for team in PatrolTeam.objects.visible_to(self.user).filter(is_active=True).only("pk", "name", "region_id"):
            self.teams[ledgers.name_key(team.name)].append(team)  # 古城村治安巡逻队 as Excel shows it

    def parse_team(self, value):
        from django.core.exceptions import ValidationError

        name = ledgers.text()(value)
        found = self.teams.get(ledgers.name_key(name), [])
        if len(found) != 1:
            raise ValidationError(f"“{name}”不是您辖区内唯一的巡逻队名称" if found else f"“{name}”不是您辖区内的巡逻队")
        return found[0]


#: What offices write for a patrol member's part (the choices' labels are the ledger's own).
MEMBER_WORDS = {"村民": "villager", "居民": "villager", "群众": "villager", "村干部": "cadre", "村(居)干部": "cadre",
                "党员干部": "cadre", "民警": "police", "辅警": "police", "协警": "police", "志愿者": "volunteer",
                "平安志愿者": "volunteer"}
#: 一村一警 and 一村一法律顾问 as offices write them (without the brackets, by the person's post).
LIAISON_WORDS = {"一村一警": "police", "一格一警": "police", "驻村民警": "police", "社区民警": "police",
                 "一村一法律顾问": "lawyer", "一村(社区)一法律顾问": "lawyer", "一居一法律顾问": "lawyer",
                 "法律顾问": "lawyer", "村(居)法律顾问": "lawyer", "村法律顾问": "lawyer"}


CAMERAS = Registry(
    model=Camera, app="prevention", slug="camera",
    fields=("name", "programme", "place_kind", "channels", "address", "longitude", "latitude", "built_on"),
    columns=(
        ledgers.Column("点位名称", "name", NAME, required=True, width=30),
        ledgers.Column("建设项目", "programme", ledgers.choice(Programme.choices), required=True),
        ledgers.Column("点位类型", "place_kind", ledgers.choice(PlaceKind.choices), default=PlaceKind.OTHER),
        ledgers.Column("视频路数", "channels", ledgers.integer(min_value=1, max_value=64), default=1),
        ledgers.Column("地址", "address", ledgers.text(max_length=200)),
        *maps.COLUMNS,
        ledgers.Column("建成日期", "built_on", ledgers.date()),
    ),
    filter_fields=("programme", "place_kind"),
    list_fields=("name", "programme", "place_kind", "channels"),
)

PLATFORMS = Registry(
    model=Platform, app="prevention", slug="platform", fields=("name", "place_kind", "address"),
    columns=(
        ledgers.Column("平台名称", "name", NAME, required=True, width=30,
                       aliases=("监控平台名称", "视频监控平台名称", "综治视联网平台名称")),
        ledgers.Column("所在类型", "place_kind", ledgers.choice(PlaceKind.choices), default=PlaceKind.OTHER,
                       aliases=("点位类型", "平台类型", "所在位置类型", "场所类型")),
        ledgers.Column("地址", "address", ledgers.text(max_length=200),
                       aliases=("安装位置", "安装地点", "建设地点", "位置", "详细地址")),
    ),
    filter_fields=("place_kind",),
)

POINTS = Registry(
    model=PlannedPoint, app="prevention", slug="point", fields=("name", "channels", "due_on"),
    columns=(
        ledgers.Column("布点名称", "name", NAME, required=True, width=30),
        ledgers.Column("视频路数", "channels", ledgers.integer(min_value=1, max_value=64), default=1),
        ledgers.Column("计划建成日期", "due_on", ledgers.date(not_after_today=False)),
    ),
)

TEAMS = Registry(
    model=PatrolTeam, app="prevention", slug="team", fields=("name", "kind", "leader"), min_level=2,
    columns=(
        ledgers.Column("队伍名称", "name", NAME, required=True, width=30),
        ledgers.Column("队伍类型", "kind", ledgers.choice(TeamKind.choices), required=True),
        ledgers.Column("队长", "leader", ledgers.text(max_length=64)),
    ),
    filter_fields=("kind",),
)

MEMBERS = Registry(
    model=PatrolMember, app="prevention", slug="member", fields=("team", "name", "role"), min_level=2,
    natural_key=("team", "name"), ledger_mixin=MemberLedgerMixin,
    columns=(
        ledgers.Column("所属巡逻队", "team", "parse_team", required=True, export="team.name", width=30,
                       aliases=("巡逻队名称", "巡逻队", "所在巡逻队", "队伍名称")),
        ledgers.Column("姓名", "name", ledgers.text(max_length=64), required=True, aliases=("队员姓名",)),
        ledgers.Column("身份", "role", ledgers.choice(MemberRole.choices, synonyms=MEMBER_WORDS),
                       default=MemberRole.VILLAGER, aliases=("人员身份", "人员类别", "身份类别", "队员身份")),
    ),
    list_fields=("name", "team", "role"),
)

LIAISONS = Registry(
    model=Liaison, app="prevention", slug="liaison", fields=("kind", "name", "org_name"),
    natural_key=("kind", "name"),
    columns=(
        ledgers.Column("类别", "kind", ledgers.choice(LiaisonKind.choices, synonyms=LIAISON_WORDS), required=True,
                       aliases=("人员类别", "类型", "人员类型")),
        ledgers.Column("姓名", "name", ledgers.text(max_length=64), required=True),
        ledgers.Column("所在单位", "org_name", ledgers.text(max_length=128),
                       aliases=("工作单位", "所属单位", "单位", "所在派出所(律所)", "派出所(律师事务所)")),
    ),
    search="name", filter_fields=("kind",), list_fields=("name", "kind", "org_name"),
)

ALL = (CAMERAS, PLATFORMS, POINTS, TEAMS, MEMBERS, LIAISONS)
