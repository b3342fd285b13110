"""Columns of the grid-event ledger (also the headers of its Excel export)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.tables import Column, Table
from anmin.workflow.kit.tables import CaseColumns


def _reporter(e) -> str:
    who = str(e.case.reporter) if e.case.reporter_id else ""
    if e.resident_name:
        phone = f" {e.resident_phone}" if e.resident_phone else ""  # a protected value prints masked
        return f"{e.resident_name}{phone}（{who}代报）" if who else f"{e.resident_name}{phone}"
    return who


class GridEventTable(Table):
    columns = (
        *CaseColumns.head(_("事件标题")),
        Column("category_label", _("事件类别"), width=12),
        CaseColumns.place(),
        Column("address", _("详细地址"), width=24),
        Column("reporter", _("上报人"), value=_reporter, width=20),
        CaseColumns.opened(),
        *CaseColumns.tail(),
        Column("photo_count", _("照片"), width=6),
    )
