"""Ledger columns for cases and supervision notices (pages and Excel export share them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.tables import Column, Table, when


class CaseTable(Table):
    columns = (
        Column("number", _("编号"), link=True, width=18, nowrap=True),
        Column("title", _("标题"), link=True, width=30),
        Column("kind_label", _("类型"), width=12),
        Column("region", _("所在区划"), value=lambda c: c.region.full_name, width=24),
        Column("status_label", _("状态"), width=10),
        Column("priority", _("紧急程度"), value=lambda c: c.priority_label, width=10),
        Column("handling_org", _("承办单位"), value=lambda c: c.handling_org or c.center_org or "", width=20),
        Column("handler", _("承办人"), value=lambda c: c.handler or "", width=12),
        Column("opened_at", _("上报时间"), value=lambda c: when(c.opened_at), width=17, nowrap=True),
        Column("due_at", _("办理期限"), value=lambda c: when(c.due_at), width=17, nowrap=True),
        Column("sla_label", _("时限状态"), width=10),
    )


class SupervisionTable(Table):
    columns = (
        Column("case.number", _("事项编号"), value=lambda s: s.case.number, link=True, width=18, nowrap=True),
        Column("case.title", _("事项"), value=lambda s: s.case.title, width=28),
        Column("automatic", _("方式"), value=lambda s: _("逾期自动") if s.automatic else _("人工"), width=10),
        Column("to_org", _("被督办单位"), value=lambda s: s.to_org, width=20),
        Column("centre_org", _("督办中心"), value=lambda s: s.centre_org or "", width=20),
        Column("issued_at", _("督办时间"), value=lambda s: when(s.issued_at), width=17),
        Column("reply_due_at", _("回复期限"), value=lambda s: when(s.reply_due_at), width=17, nowrap=True),
        Column("state_label", _("状态"), width=10),
        Column("replied_at", _("回复时间"), value=lambda s: when(s.replied_at), width=17),
    )
