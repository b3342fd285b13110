"""The auditor's pages: the audit-log ledger (filter, Excel export) and one entry's detail.

Only holders of ``core.view_auditentry`` (the 审计员 role) reach them; for anyone else, the 系统管理员
included, they do not exist (404).
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _

from ..filters import AuditEntryFilter
from ..models import AuditEntry
from ..models.audit import AUDIT_PERMISSION, label_objects
from ..tables import Column, Table
from .base import DetailPage, LedgerView


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class AuditEntryTable(Table):
    columns = (
        Column("seq", _("序号"), link=True, width=10),
        Column("at", _("时间"), width=20),
        Column("actor_username", _("操作人账号"), value=lambda e: e.actor_label),
        Column("actor_org_name", _("操作人机构"), width=24),
        Column("action", _("操作"), value=lambda e: e.action_label),
        Column("object_type", _("对象类型"), value=lambda e: e.object_type_label, width=20),
        Column("object_id", _("对象编号"), value=lambda e: e.object_label),
        Column("region_code", _("对象所在区划"), value=lambda e: e.region_label, width=24),
        Column("reason", _("事由"), width=24),
        Column("remote_addr", _("来源地址")),
    )


class AuditEntryExportTable(AuditEntryTable):
    """The export carries everything needed to re-check an entry outside the platform."""

    columns = (
        *AuditEntryTable.columns,
        Column("object_type", _("对象类型代码"), width=20),
        Column("action", _("操作代码")),
        Column("before", _("修改前"), value=lambda e: _json(e.before), width=40),
        Column("after", _("修改后"), value=lambda e: _json(e.after), width=40),
        Column("request_id", _("请求编号"), width=34),
        Column("prev_hash", _("前一条哈希"), width=66),
        Column("hash", _("哈希"), width=66),
    )


class AuditLedgerView(LedgerView):
    model = AuditEntry
    required_perm = AUDIT_PERMISSION
    filterset_class = AuditEntryFilter
    table_class = AuditEntryTable
    export_table_class = AuditEntryExportTable
    title = _("审计日志")
    export_name = "审计日志"

    def prepare_rows(self, rows):
        entries = list(rows)
        label_objects(entries)
        return entries


class AuditDetailView(DetailPage):
    model = AuditEntry
    required_perm = AUDIT_PERMISSION
    template_name = "core/audit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        entry = self.object
        label_objects([entry])
        ctx["before_json"] = (
            json.dumps(entry.before, ensure_ascii=False, indent=2, sort_keys=True) if entry.before else ""
        )
        ctx["after_json"] = json.dumps(entry.after, ensure_ascii=False, indent=2, sort_keys=True) if entry.after else ""
        return ctx
