"""Ledger pages of the hazards records kept against dangerous waters (the kit's ``record_ledger``):
the summer inspections (rows link to the water) and minors' drowning incidents (no names are kept)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.workflow.kit.record_pages import RecordDetailView, record_ledger

from .models import DrowningIncident, WaterInspection

InspectionLedger = record_ledger(
    WaterInspection, title=_("水域巡查记录台账"),
    fields=("water", "inspected_on", "inspector", "signs_ok", "equipment_ok", "findings"),
    filter_fields=("signs_ok", "equipment_ok"), search="findings", date_field="inspected_on",
    select_related=("water", "region"))

DrowningLedger = record_ledger(
    DrowningIncident, title=_("未成年人溺水事故台账"), fields=("occurred_on", "water", "age", "sex", "died",
                                                            "circumstances"),
    filter_fields=("sex", "died"), search="circumstances", date_field="occurred_on",
    select_related=("water", "region"))


class DrowningDetail(RecordDetailView):
    model = DrowningIncident
    fields = ("occurred_on", "water", "age", "sex", "died", "circumstances")
    ledger_url_name = "hazards:drowning_list"
