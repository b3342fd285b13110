"""The campaigns registries on the registry kit: designations, insured households, counsellors and
practice reports (pages, API, Excel ledgers, status history come from the kit)."""

from __future__ import annotations

from anmin.core import ledgers
from anmin.workflow.kit.registry import Registry

from .models import Counsellor, CounsellorKind, Designation, DesignationKind, InsuredHousehold, PracticeReport

DESIGNATIONS = Registry(
    model=Designation, app="campaigns", slug="designation", min_level=2,
    fields=("kind", "year", "subject", "applied_on", "score", "assessed_on", "decided_on", "revoked_on",
            "revoke_reason"),
    natural_key=("kind", "year", "subject"), search="subject",
    columns=(
        ledgers.Column("创建类型", "kind", ledgers.choice(DesignationKind.choices), required=True),
        ledgers.Column("年度", "year", ledgers.integer(min_value=2000, max_value=2100), required=True),
        ledgers.Column("创建对象", "subject", ledgers.text(max_length=128), required=True, width=24),
        ledgers.Column("申报日期", "applied_on", ledgers.date(), required=True),
        ledgers.Column("考核得分", "score", ledgers.decimal(min_value=0)),
        ledgers.Column("命名(不予命名)日期", "decided_on", ledgers.date()),
    ),
    filter_fields=("kind", "year"), list_fields=("subject", "kind", "year", "score"),
)

HOUSEHOLDS = Registry(
    model=InsuredHousehold, app="campaigns", slug="household",
    fields=("year", "householder", "policy_no", "insured_on", "premium"),
    natural_key=("policy_no",), search="householder",
    columns=(
        ledgers.Column("参保年度", "year", ledgers.integer(min_value=2000, max_value=2100), required=True),
        ledgers.Column("户主", "householder", ledgers.text(max_length=64), required=True),
        ledgers.Column("保单号", "policy_no", ledgers.text(max_length=32), required=True, width=20),
        ledgers.Column("参保日期", "insured_on", ledgers.date(), required=True),
        ledgers.Column("保费(元)", "premium", ledgers.decimal(min_value=0), default=0),
    ),
    filter_fields=("year",), list_fields=("householder", "policy_no", "year", "insured_on"),
)

COUNSELLORS = Registry(
    model=Counsellor, app="campaigns", slug="counsellor", min_level=2,
    fields=("name", "kind", "full_time", "workplace", "crisis_team"),
    natural_key=("name", "kind"),
    columns=(
        ledgers.Column("姓名", "name", ledgers.text(max_length=64), required=True),
        ledgers.Column("类别", "kind", ledgers.choice(CounsellorKind.choices), required=True),
        ledgers.Column("专职", "full_time", ledgers.boolean(), default=False),
        ledgers.Column("工作单位", "workplace", ledgers.text(max_length=128), width=24),
        ledgers.Column("心理危机干预队伍", "crisis_team", ledgers.text(max_length=128), width=24),
    ),
    filter_fields=("kind", "full_time"), list_fields=("name", "kind", "full_time", "workplace"),
)

REPORTS = Registry(
    model=PracticeReport, app="campaigns", slug="report", min_level=2,
    fields=("title", "issue", "published_on", "reprinted_in"), natural_key=("title",), search="title",
    columns=(
        ledgers.Column("标题", "title", ledgers.text(max_length=200), required=True, width=40),
        ledgers.Column("期号", "issue", ledgers.text(max_length=32)),
        ledgers.Column("刊发日期", "published_on", ledgers.date(), required=True),
        ledgers.Column("转载媒体", "reprinted_in", ledgers.text(max_length=300), width=30),
    ),
    list_fields=("title", "issue", "published_on", "reprinted_in"),
)

ALL = (DESIGNATIONS, HOUSEHOLDS, COUNSELLORS, REPORTS)
