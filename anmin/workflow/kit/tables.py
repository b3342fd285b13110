"""Ledger rows of a case domain, and the case columns every domain ledger shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.tables import Column, when


class CaseColumns:
    """The case's own columns of a domain ledger, to place among the domain's:
    ``columns = (*CaseColumns.head(_("事件标题")), Column("category_label", …), *CaseColumns.tail())``."""

    @staticmethod
    def head(title_header, *, title_width: int = 32) -> tuple[Column, ...]:
        return (Column("case.number", _("编号"), link=True, width=18, nowrap=True),
                Column("case.title", title_header, link=True, width=title_width))

    @staticmethod
    def place() -> Column:
        return Column("region", _("所在村(社区)/网格"), value=lambda o: o.case.region.full_name, width=28)

    @staticmethod
    def opened() -> Column:
        return Column("opened_at", _("上报时间"), value=lambda o: when(o.case.opened_at), width=17, nowrap=True)

    @staticmethod
    def tail() -> tuple[Column, ...]:
        """State, the unit handling it, the limit and whether it is late."""
        return (
            Column("status", _("状态"), value=lambda o: o.case.status_label, width=10),
            Column("handling_org", _("承办单位"), value=lambda o: o.case.handling_org or o.case.center_org or "",
                   width=22),
            Column("due_at", _("办理期限"), value=lambda o: when(o.case.due_at), width=17, nowrap=True),
            Column("sla", _("时限状态"), value=lambda o: o.case.sla_label, width=10),
        )
