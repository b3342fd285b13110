"""Ledger pages of the campus records kept against schools (the kit's ``record_ledger``): incidents in
and around schools and the 五个100% checks per school and term. Rows link to the school's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.workflow.kit.record_pages import record_ledger

from .models import CampusIncident, SafetyCheck

IncidentLedger = record_ledger(
    CampusIncident, title=_("校园周边案(事)件台账"), fields=("school", "occurred_on", "kind", "handling", "resolved"),
    filter_fields=("kind", "resolved"), search="description", date_field="occurred_on",
    select_related=("school", "region"))

CheckLedger = record_ledger(
    SafetyCheck, title=_("五个100%检查台账"), fields=("school", "term", "checked_on", "checked_by", "note"),
    filter_fields=("term",), search="checked_by", date_field="checked_on", select_related=("school", "region"))
