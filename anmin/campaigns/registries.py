"""The campaigns registries on the registry kit: designations, insured households, counsellors and
practice reports (pages, API, Excel ledgers, status history come from the kit)."""

from __future__ import annotations

from anmin.core import ledgers
from anmin.workflow.kit.registry import Registry

from .models import Counsellor, CounsellorKind, Designation, DesignationKind, InsuredHousehold, PracticeReport

YES_NO = ledgers.boolean()


def full_time(value):
    """专职 / 兼职 as a 专兼职 column has them, or 是 / 否 (√) under 专职 or 是否专职."""
    word = str(value).strip()
    return {"专职": True, "兼职": False}[word] if word in ("专职", "兼职") else YES_NO(value)


full_time.options = YES_NO.options  # a yes/no column: 是否专职 is its name too


class HouseholdLedgerMixin:
    """A year's list of insured households names its year in the title (2020年度…台账), not in a column:
    a row without 参保年度 is of the year of its 参保日期."""

    def check_row(self, values, row) -> None:
        if values.get("year") is None and values.get("insured_on") is not None:
            values["year"] = values["insured_on"].year


DESIGNATIONS = Registry(
    model=Designation, app="campaigns", slug="designation", min_level=2,
    fields=("kind", "year", "subject", "applied_on", "score", "assessed_on", "decided_on", "revoked_on",
            "revoke_reason"),
    natural_key=("kind", "year", "subject"), search="subject",
    columns=(
        ledgers.Column("创建类型", "kind", ledgers.choice(DesignationKind.choices), required=True,
                       aliases=("创建类别", "创建项目", "命名类型", "命名类别")),
        ledgers.Column("年度", "year", ledgers.integer(min_value=2000, max_value=2100), required=True),
        ledgers.Column("创建对象", "subject", ledgers.text(max_length=128), required=True, width=24,
                       aliases=("创建单位", "申报单位", "申报对象", "创建对象名称")),
        ledgers.Column("申报日期", "applied_on", ledgers.date(), required=True),
        ledgers.Column("考核得分", "score", ledgers.decimal(min_value=0)),
        ledgers.Column("命名(不予命名)日期", "decided_on", ledgers.date(), aliases=("命名日期", "命名时间")),
    ),
    filter_fields=("kind", "year"), list_fields=("subject", "kind", "year", "score"),
)

HOUSEHOLDS = Registry(
    model=InsuredHousehold, app="campaigns", slug="household",
    fields=("year", "householder", "policy_no", "insured_on", "premium"),
    natural_key=("policy_no",), search="householder",
    columns=(
        ledgers.Column("参保年度", "year", ledgers.integer(min_value=2000, max_value=2100),
                       aliases=("年度", "投保年度"), help="不填为参保日期的年份"),
        ledgers.Column("户主", "householder", ledgers.text(max_length=64), required=True,
                       aliases=("户主姓名", "参保户主", "投保人", "投保人姓名")),
        ledgers.Column("保单号", "policy_no", ledgers.text(max_length=32), required=True, width=20,
                       aliases=("保单号码", "保险单号", "保险单号码", "保单编号")),
        ledgers.Column("参保日期", "insured_on", ledgers.date(), required=True),
        ledgers.Column("保费(元)", "premium", ledgers.decimal(min_value=0), default=0,
                       aliases=("保险费", "缴费金额", "缴纳保费")),
    ),
    filter_fields=("year",), list_fields=("householder", "policy_no", "year", "insured_on"),
    ledger_mixin=HouseholdLedgerMixin,
)

COUNSELLORS = Registry(
    model=Counsellor, app="campaigns", slug="counsellor", min_level=2,
    fields=("name", "kind", "full_time", "workplace", "crisis_team"),
    natural_key=("name", "kind"),
    columns=(
        ledgers.Column("姓名", "name", ledgers.text(max_length=64), required=True),
        ledgers.Column("类别", "kind", ledgers.choice(CounsellorKind.choices), required=True,
                       aliases=("人员类别", "人员类型", "类型", "专业类别")),
        ledgers.Column("专职", "full_time", full_time, default=False, aliases=("专兼职", "专职或兼职", "专职(兼职)")),
        ledgers.Column("工作单位", "workplace", ledgers.text(max_length=128), width=24, aliases=("所在单位", "单位")),
        ledgers.Column("心理危机干预队伍", "crisis_team", ledgers.text(max_length=128), width=24,
                       aliases=("所属心理危机干预队伍", "危机干预队伍", "所属危机干预队伍", "所属危机干预小组")),
    ),
    filter_fields=("kind", "full_time"), list_fields=("name", "kind", "full_time", "workplace"),
)

REPORTS = Registry(
    model=PracticeReport, app="campaigns", slug="report", min_level=2,
    fields=("title", "issue", "published_on", "reprinted_in"), natural_key=("title",), search="title",
    columns=(
        ledgers.Column("标题", "title", ledgers.text(max_length=200), required=True, width=40,
                       aliases=("信息标题", "专报标题", "稿件标题", "文章标题", "题目")),
        ledgers.Column("期号", "issue", ledgers.text(max_length=32), aliases=("期数", "刊发期数", "刊发期号")),
        ledgers.Column("刊发日期", "published_on", ledgers.date(), required=True),
        ledgers.Column("转载媒体", "reprinted_in", ledgers.text(max_length=300), width=30,
                       aliases=("转载情况", "被转载媒体", "转载刊物", "转发媒体")),
    ),
    list_fields=("title", "issue", "published_on", "reprinted_in"),
)

ALL = (DESIGNATIONS, HOUSEHOLDS, COUNSELLORS, REPORTS)
