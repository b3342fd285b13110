"""Columns of the ledgers (also the headers of their Excel exports). Protected values print masked."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.tables import Column, Table
from anmin.workflow.kit.tables import CaseColumns, when


class LeadTable(Table):
    columns = (
        *CaseColumns.head(_("线索"), title_width=24),
        Column("grade", _("等级"), value=lambda o: o.grade_label, width=6),
        Column("fraud_type_label", _("诈骗类型"), width=12),
        Column("victim_phone", _("联系电话"), value=lambda o: str(o.victim_phone or ""), width=14),
        CaseColumns.place(),
        Column("received_at", _("下发时间"), value=lambda o: when(o.received_at), width=17),
        *CaseColumns.tail(),
        Column("outcome", _("处置结果"), width=10),
        Column("contact_minutes", _("首次联系(分钟)"), width=10),
    )


class FraudCaseTable(Table):
    columns = (
        Column("police_case_number", _("案件编号"), link=True, width=20),
        Column("title", _("简要案情"), link=True, width=30),
        Column("fraud_type_label", _("诈骗类型"), width=12),
        Column("region", _("发案地"), value=lambda o: o.region.full_name, width=24),
        Column("filed_on", _("立案日期"), width=11),
        Column("solved_on", _("破案日期"), width=11),
        Column("assisted", _("带破"), value=lambda o: "是" if o.assisted else "", width=6),
        Column("amount_involved", _("涉案金额(元)"), width=14),
        Column("amount_frozen", _("冻结资金(元)"), width=14),
        Column("amount_returned", _("返还(元)"), width=14),
    )
