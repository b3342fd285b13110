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
