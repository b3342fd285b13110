"""The campus registries, declared once on the registry kit (``anmin.workflow.kit.registry``): the kit
makes their actions, pages, API, Excel ledgers and status history."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from anmin.core import ledgers
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
        ledgers.Column("在校学生(幼儿)数", "students", ledgers.integer(min_value=0, max_value=20000), default=0),
        ledgers.Column("专职保安(人)", "guards", ledgers.integer(min_value=0, max_value=200), default=0),
        *maps.COLUMNS,
    ),
    filter_fields=("kind",), list_fields=("name", "kind", "students", "guards"),
)


class PostLedgerMixin:
    """The 学校 column names a school on the register inside the importing user's jurisdiction."""

    def parse_school(self, value):
        name = ledgers.text()(value)
        qs = School.objects.visible_to(self.user) if getattr(self, "user", None) is not None and not getattr(
            self.user, "is_system", False) else School.objects.all()
        school = qs.filter(name=name, is_active=True).first()
        if school is None:
            raise ValidationError(f"“{name}”不是在册的学校")
        return school


POSTS = Registry(
    model=GuardPost, app="campus", slug="post", fields=("school", "place", "peak", "on_duty", "unit"),
    natural_key=("school", "place", "peak"),
    columns=(
        ledgers.Column("学校", "school", "parse_school", required=True, export="school.name", width=30),
        ledgers.Column("岗位位置", "place", ledgers.text(max_length=128), required=True),
        ledgers.Column("时段", "peak", ledgers.choice(Peak.choices), required=True),
        ledgers.Column("上岗人员", "on_duty", ledgers.text(max_length=128), required=True),
        ledgers.Column("所属单位", "unit", ledgers.text(max_length=64)),
    ),
    search="place", filter_fields=("peak",), list_fields=("school", "place", "peak", "on_duty"),
    ledger_mixin=PostLedgerMixin,
)

ALL = (SCHOOLS, POSTS)
