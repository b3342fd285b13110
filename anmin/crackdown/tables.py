"""Columns of the crackdown ledgers (also the headers of their Excel exports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.tables import Column, Table
from anmin.workflow.kit.tables import CaseColumns


class ClueTable(Table):
    columns = (
        *CaseColumns.head(_("线索标题")),
        Column("source", _("线索来源"), width=12),
        Column("category", _("线索类别"), width=10),
        Column("industry", _("行业领域"), width=10),
        CaseColumns.place(),
        CaseColumns.opened(),
        Column("result", _("核查结果"), width=10),
        *CaseColumns.tail(),
    )


class NoticeTable(Table):
    columns = (
        *CaseColumns.head(_("标题")),
        Column("notice_kind", _("文书类型"), width=12),
        Column("issuer", _("制发单位"), width=18),
        Column("issued_on", _("制发日期"), width=12),
        Column("replied_on", _("回复日期"), width=12),
        *CaseColumns.tail(),
    )


class CrimeOrgTable(Table):
    columns = (
        Column("name", _("名称"), width=30, link=True),
        Column("org_type", _("组织类型"), width=16),
        Column("stage", _("诉讼阶段"), width=8),
        Column("region", _("主要活动区域"), value=lambda o: o.region.name, width=14),
        Column("broken_on", _("打掉日期"), width=12),
        Column("n_suspects", _("嫌疑人"), width=8),
    )


class SuspectTable(Table):
    columns = (
        Column("name", _("姓名"), width=10, link=True),
        Column("id_number", _("身份证号码"), width=20),
        Column("org", _("所属组织"), value=lambda s: s.org.name if s.org_id else "", width=30),
        Column("role_in_org", _("组织地位"), width=12),
        Column("status", _("诉讼状态"), width=10),
        Column("caught_on", _("抓获日期"), width=12),
        Column("region", _("办案区域"), value=lambda s: s.region.name, width=14),
    )


class AssetTable(Table):
    columns = (
        Column("description", _("资产"), width=30, link=True),
        Column("measure", _("措施"), width=10),
        Column("value", _("价值(元)"), width=16),
        Column("on", _("日期"), width=12),
        Column("org", _("所属组织"), value=lambda a: a.org.name, width=30),
        Column("region", _("办案区域"), value=lambda a: a.region.name, width=14),
    )


class OfficialTable(Table):
    columns = (
        Column("name", _("姓名"), width=10, link=True),
        Column("unit", _("工作单位及职务"), width=30),
        Column("kind", _("问题类型"), width=10),
        Column("measure", _("处理方式"), width=14),
        Column("handled_on", _("处理日期"), width=12),
        Column("org", _("涉及组织"), value=lambda o: o.org.name if o.org_id else "", width=30),
        Column("region", _("所属区域"), value=lambda o: o.region.name, width=14),
    )


class CandidateTable(Table):
    columns = (
        Column("name", _("姓名"), width=10, link=True),
        Column("id_number", _("身份证号码"), width=20),
        Column("region", _("村(社区)"), value=lambda c: c.region.name, width=16),
        Column("election_year", _("换届年份"), width=10),
        Column("disqualified", _("审查结论"), value=lambda c: _("取消资格") if c.disqualified else _("通过"), width=10),
        Column("reason", _("取消资格原因"), width=30),
        Column("reviewed_on", _("联审日期"), width=12),
    )


class RectificationTable(Table):
    columns = (
        *CaseColumns.head(_("标题")),
        Column("inspection", _("督导批次"), width=20),
        Column("responsible", _("责任单位"), width=18),
        Column("deadline", _("整改时限"), width=12),
        Column("rectified_on", _("整改完成日期"), width=12),
        *CaseColumns.tail(),
    )
