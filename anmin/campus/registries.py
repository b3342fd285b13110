"""The campus registries, declared once on the registry kit (``anmin.workflow.kit.registry``): the kit
makes their actions, pages, API, Excel ledgers and status history."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from anmin.core import ledgers
from anmin.core.models import Region
from anmin.workflow.kit import maps
from anmin.workflow.kit.registry import Registry

from .models import GuardPost, Peak, School, SchoolKind

SCHOOLS = Registry(
    model=School, app="campus", slug="school",
    fields=("name", "kind", "address", *maps.FIELDS, "students", "guards"),
    columns=(
        ledgers.Column("学校名称", "name", ledgers.text(max_length=128), required=True, width=30),
        ledgers.Column("学校类型", "kind", ledgers.choice(SchoolKind.choices), required=True),
        ledgers.Column("地址", "address", ledgers.text(max_length=200)),
        ledgers.Column("在校学生(幼儿)数", "students", ledgers.integer(min_value=0, max_value=20000), default=0,
                       aliases=("在校学生数", "在校生数", "学生数", "在校幼儿数", "学生(幼儿)数")),
        ledgers.Column("专职保安(人)", "guards", ledgers.integer(min_value=0, max_value=200), default=0,
                       aliases=("专职保安人数", "保安人数", "专职保安员")),
        *maps.COLUMNS,
    ),
    filter_fields=("kind",), list_fields=("name", "kind", "students", "guards"),
)


class PostLedgerMixin:
    """The 学校 column names a school on the register inside the importing user's jurisdiction; a post
    stands at its school, so its 村(社区) is the school's (a post of another village is that row's error)."""

    def schools(self):
        return School.objects.visible_to(self.user) if getattr(self, "user", None) is not None and not getattr(
            self.user, "is_system", False) else School.objects.all()

    def schools_by_key(self) -> dict:
        """The register's active schools by ``ledgers.name_key`` of their names (the first of a name),
        read once per import rather than for every row whose name differs as Excel shows it."""
        if getattr(self, "_schools_by_key", None) is None:
            self._schools_by_key = {}
            for s in self.schools().filter(is_active=True).only("pk", "name", "region_id"):
                self._schools_by_key.setdefault(ledgers.name_key(s.name), s)
        return self._schools_by_key

    def parse_school(self, value):
        name = ledgers.text()(value)
        school = self.schools().filter(name=name, is_active=True).first()
        if school is None:  # 古城第1小学 for 古城第１小学, (…) for （…）: the name as Excel shows it
            school = self.schools_by_key().get(ledgers.name_key(name))
        if school is None:
            raise ValidationError(f"“{name}”不是在册的学校")
        return school

    def check_row(self, values, row) -> None:
        """After the kit's (it places the row: ``values["region"]``): the place lies in the school's
        村(社区); a school name two villages share is the one in the row's village."""
        school, region = values.get("school"), values.get("region")
        if school is None or not region or region[:12] == school.region_id[:12]:
            return
        same_name = self.schools().filter(name=school.name, is_active=True, region__code__startswith=region[:12])
        other = same_name.first()
        if other is not None:
            values["school"] = other
            return
        names = dict(Region.objects.filter(code__in=(region[:12], school.region_id[:12])).values_list("code", "name"))
        raise ValidationError({"village": (
            f"村(社区)：“{names.get(region[:12], region)}”不是学校“{school.name}”所在的村(社区)"
            f"（{names.get(school.region_id[:12], school.region_id)}）；护学岗登记在学校所在的村(社区)")})


POSTS = Registry(
    model=GuardPost, app="campus", slug="post", fields=("school", "place", "peak", "on_duty", "unit"),
    natural_key=("school", "place", "peak"),
    columns=(
        ledgers.Column("学校", "school", "parse_school", required=True, export="school.name", width=30,
                       aliases=("学校名称",)),  # the school ledger's own header
        ledgers.Column("岗位位置", "place", ledgers.text(max_length=128), required=True,
                       aliases=("设岗位置", "设岗地点", "护学岗位置", "岗位地点", "执勤位置", "执勤地点")),
        ledgers.Column("时段", "peak", ledgers.choice(Peak.choices), required=True, aliases=("执勤时段",),
                       help="早高峰(上学)、午间、晚高峰(放学)；也可只写早高峰、晚高峰"),
        ledgers.Column("上岗人员", "on_duty", ledgers.text(max_length=128), required=True,
                       aliases=("执勤人员", "执勤民警", "上岗民警", "护学人员", "执勤民警(辅警)")),
        ledgers.Column("所属单位", "unit", ledgers.text(max_length=64),
                       aliases=("所属派出所", "执勤单位", "派出所", "上岗单位")),
    ),
    search="place", filter_fields=("peak",), list_fields=("school", "place", "peak", "on_duty"),
    ledger_mixin=PostLedgerMixin, place_from="school",  # a post stands at its school: 村(社区) may be left out
)

ALL = (SCHOOLS, POSTS)
