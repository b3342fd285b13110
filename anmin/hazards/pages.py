"""Ledger pages of the hazards records (the kit's ``record_ledger``): the summer inspections of
dangerous waters (rows link to the water), minors' drowning incidents (no names are kept; placed by
township and village) — both imported through ``kit.record_ledgers`` — and the 酒驾醉驾查处登记台账
(its Excel ledger is ``importers.DrunkDrivingLedger``; police, the city office and leaders only,
see ``roles.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core import ledgers
from anmin.workflow.kit.record_create import record_create
from anmin.workflow.kit.record_ledgers import record_import
from anmin.workflow.kit.record_pages import RecordDetailView, record_ledger

from . import actions
from .importers import DrunkDrivingLedger
from .models import DrowningIncident, DrunkDriving, Water, WaterInspection

WATER = ("危险水域名称", Water, ("水域名称", "危险水域", "水域", "巡查水域", "坑塘(河流)名称"))

InspectionImport = record_import(
    WaterInspection, key="hazards.water_inspection", title="水域巡查记录台账",
    refs={"water": WATER}, natural_key=("water", "inspected_on", "inspector"),
    columns=(
        ledgers.Column("巡查日期", "inspected_on", ledgers.date(), required=True),
        ledgers.Column("巡查人", "inspector", ledgers.text(max_length=64), required=True),
        ledgers.Column("警示牌完好", "signs_ok", ledgers.boolean(), default=True,
                       export=lambda o: "是" if o.signs_ok else "否"),
        ledgers.Column("救生器材齐全", "equipment_ok", ledgers.boolean(), default=True,
                       export=lambda o: "是" if o.equipment_ok else "否",
                       aliases=("救生设施齐全", "救生设施是否齐全", "救生器材是否配齐", "救生设备是否齐全")),
        ledgers.Column("发现问题", "findings", ledgers.text(max_length=500), width=30,
                       aliases=("存在问题", "存在的问题", "发现的问题", "发现隐患", "存在隐患")),
    ),
    save=actions.import_inspections)

InspectionLedger = record_ledger(
    WaterInspection, title=_("水域巡查记录台账"),
    fields=("water", "inspected_on", "inspector", "signs_ok", "equipment_ok", "findings"),
    filter_fields=("signs_ok", "equipment_ok"), search="findings", date_field="inspected_on",
    select_related=("water", "region"), ledger=InspectionImport, create_url_name="hazards:inspection_new")

InspectionCreate = record_create(
    InspectionImport, title=_("登记水域巡查"), ledger_url_name="hazards:inspection_list",
    fields=("water", "inspected_on", "inspector", "signs_ok", "equipment_ok", "findings"), done=_("已登记水域巡查"))

DrowningImport = record_import(
    DrowningIncident, key="hazards.drowning", title="未成年人溺水事故台账", place=True,
    refs={"water": WATER},
    # No name is kept: a child is told apart by day, place, age, sex and what happened (two children of
    # one age and sex drowned together are two rows whose 经过 differ).
    natural_key=("occurred_on", "region_id", "age", "sex", "circumstances"),
    columns=(
        ledgers.Column("发生日期", "occurred_on", ledgers.date(), required=True),
        ledgers.Column("年龄", "age", ledgers.integer(min_value=0, max_value=17), required=True),
        ledgers.Column("性别", "sex", ledgers.choice([("M", "男"), ("F", "女")]), required=True,
                       export=lambda o: o.get_sex_display()),
        ledgers.Column("死亡", "died", ledgers.boolean(), default=False, export=lambda o: "是" if o.died else "否"),
        ledgers.Column("经过", "circumstances", ledgers.text(max_length=1000), width=30,
                       aliases=("事故经过", "简要经过", "事故简要经过")),
    ),
    save=actions.import_drownings)

DrowningLedger = record_ledger(
    DrowningIncident, title=_("未成年人溺水事故台账"), fields=("occurred_on", "water", "age", "sex", "died",
                                                            "circumstances"),
    filter_fields=("sex", "died"), search="circumstances", date_field="occurred_on",
    select_related=("water", "region"), ledger=DrowningImport, create_url_name="hazards:drowning_new")

DrowningCreate = record_create(
    DrowningImport, title=_("登记未成年人溺水事故"), ledger_url_name="hazards:drowning_list",
    fields=("occurred_on", "water", "age", "sex", "died", "circumstances"), done=_("已登记未成年人溺水事故"))

DrunkDrivingPage = record_ledger(
    DrunkDriving, title=_("酒驾醉驾查处登记台账"),
    fields=("caught_on", "driver_name", "offence", "penalty", "caused_accident", "unit"),
    filter_fields=("offence", "penalty", "caused_accident"), search="driver_name", date_field="caught_on",
    ledger=DrunkDrivingLedger, import_perm=actions.ADD_DRUNK, required_perm="hazards.view_drunkdriving")


class DrunkDrivingDetail(RecordDetailView):
    """One person dealt with (the ID number is not shown: the ledger's export masks it too)."""

    model = DrunkDriving
    fields = ("caught_on", "region", "driver_name", "offence", "penalty", "caused_accident", "unit")
    ledger_url_name = "hazards:drunk_driving_list"


class DrowningDetail(RecordDetailView):
    model = DrowningIncident
    fields = ("occurred_on", "water", "age", "sex", "died", "circumstances")
    ledger_url_name = "hazards:drowning_list"
