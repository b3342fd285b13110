"""Ledger pages of the campus records kept against schools (the kit's ``record_ledger``): incidents in
and around schools and the 五个100% checks per school and term. Rows link to the school's page. Both
import their Excel ledger on the page (the kit's ``record_import``; writes through ``actions.py``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anmin.core import ledgers
from anmin.workflow.kit.record_create import record_create
from anmin.workflow.kit.record_ledgers import record_import
from anmin.workflow.kit.record_pages import record_ledger

from . import actions
from .coverage import five_items, item_name
from .models import CampusIncident, IncidentKind, SafetyCheck, School


def _yes_no(field):
    return lambda o: "是" if getattr(o, field) else "否"


def parse_items(value) -> list[str]:
    """The items met, by name or code, separated by 、 or commas (blank: none)."""
    text = ledgers.text()(value) if value not in (None, "") else ""
    codes = dict(five_items())
    by_name = {n: c for c, n in codes.items()}
    out = []
    for part in [p.strip() for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()]:
        code = part if part in codes else by_name.get(part)
        if code is None:
            raise ValidationError(f"“{part}”不是五个100%项目（可填：{'、'.join(codes)} 或项目名称）")
        out.append(code)
    return out


IncidentImport = record_import(
    CampusIncident, key="campus.incident", title="校园周边案(事)件台账",
    refs={"school": ("学校名称", School)}, natural_key=("school", "occurred_on", "kind", "description"),
    columns=(
        ledgers.Column("发生日期", "occurred_on", ledgers.date(), required=True),
        ledgers.Column("类型", "kind", ledgers.choice(IncidentKind.choices), required=True,
                       export=lambda o: o.get_kind_display()),
        ledgers.Column("经过", "description", ledgers.text(max_length=1000), required=True, width=30),
        ledgers.Column("处置情况", "handling", ledgers.text(max_length=500), width=30),
        ledgers.Column("已处置", "resolved", ledgers.boolean(), default=False, export=_yes_no("resolved")),
    ),
    save=actions.import_incidents)

CheckImport = record_import(
    SafetyCheck, key="campus.safety_check", title="五个100%检查台账",
    refs={"school": ("学校名称", School)}, natural_key=("school", "term"),
    columns=(
        ledgers.Column("学期", "term", ledgers.text(max_length=8), required=True, help="如 2020-2（秋季）"),
        ledgers.Column("达标项目", "items", parse_items, width=40,
                       export=lambda o: "、".join(item_name(c) for c in o.items)),
        ledgers.Column("检查日期", "checked_on", ledgers.date(), required=True),
        ledgers.Column("检查人", "checked_by", ledgers.text(max_length=64)),
        ledgers.Column("备注", "note", ledgers.text(max_length=500)),
    ),
    save=actions.import_checks, check=actions.check_safety)

IncidentLedger = record_ledger(
    CampusIncident, title=_("校园周边案(事)件台账"), fields=("school", "occurred_on", "kind", "handling", "resolved"),
    filter_fields=("kind", "resolved"), search="description", date_field="occurred_on",
    select_related=("school", "region"), ledger=IncidentImport, create_url_name="campus:incident_new")

IncidentCreate = record_create(IncidentImport, title=_("登记校园周边案(事)件"), ledger_url_name="campus:incident_list",
                               fields=("school", "occurred_on", "kind", "description", "handling", "resolved"),
                               done=_("已登记校园周边案(事)件"))

CheckLedger = record_ledger(
    SafetyCheck, title=_("五个100%检查台账"), fields=("school", "term", "checked_on", "checked_by", "note"),
    filter_fields=("term",), search="checked_by", date_field="checked_on", select_related=("school", "region"),
    ledger=CheckImport)
