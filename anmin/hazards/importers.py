"""The 酒驾醉驾查处登记台账 as an Excel ledger (``anmin.core.ledgers``): import with a dry run that
lists every bad row, and a re-importable export. A row that is a record already registered (same
township, day, driver and ID number) is recognised and skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from anmin.core import ledgers
from anmin.core.guards import in_area
from anmin.core.models import Region
from anmin.workflow.kit.case_ledger import CaseLedger

from . import actions
from .models import DrunkDriving, Offence, Penalty, RailwayHazard, RailwayHazardCategory
from .workflows import RAILWAY_HAZARD

OFFENCES = {label: code for code, label in Offence.choices}
PENALTIES = {label: code for code, label in Penalty.choices}


def _label(choices):
    return lambda value: dict(choices).get(value, value)


class DrunkDrivingLedger(ledgers.Ledger):
    key = "hazards.drunk_driving"
    title = "酒驾醉驾查处登记台账"
    model = DrunkDriving
    columns = (
        ledgers.Column("查处日期", "caught_on", ledgers.date(not_before=dt.date(2000, 1, 1)), required=True,
                       aliases=("查获日期", "查获时间", "处罚日期")),
        ledgers.Column("乡镇(街道)", "township", "parse_township", required=True, export="region.name"),
        ledgers.Column("驾驶人", "driver_name", ledgers.text(max_length=64), required=True,
                       aliases=("驾驶人姓名", "驾驶员", "驾驶员姓名", "姓名", "当事人", "当事人姓名", "违法人员",
                                "违法人员姓名")),
        ledgers.Column("身份证号码", "id_number", "parse_id",
                       aliases=("身份证号", "公民身份号码", "驾驶人身份证号", "驾驶人身份证号码", "证件号码")),
        ledgers.Column("违法类型", "offence", ledgers.choice(OFFENCES), required=True,
                       aliases=("违法行为", "违法情形", "违法类别", "违法性质"),
                       export=lambda o: o.get_offence_display(), help="饮酒驾驶 / 醉酒驾驶"),
        ledgers.Column("处理结果", "penalty", ledgers.choice(PENALTIES), required=True,
                       aliases=("处理情况", "处罚结果", "处理方式", "处罚类型", "处罚情况", "处理类型"),
                       export=lambda o: o.get_penalty_display(), help="行政处罚 / 刑事处罚"),
        ledgers.Column("肇事肇祸", "caused_accident", ledgers.boolean(), aliases=("是否肇事", "肇事", "是否发生事故"),
                       export=lambda o: "是" if o.caused_accident else "否"),
        ledgers.Column("查处单位", "unit", ledgers.text(max_length=64), aliases=("办案单位", "查处民警单位")),
    )

    def prepare(self) -> None:
        from anmin.core.regions_io import township_short_names

        self.townships = {r.name: r for r in Region.objects.townships()}
        for region in list(self.townships.values()):  # 古城 for 古城镇, as offices write it
            for short in township_short_names(region.name):
                self.townships.setdefault(short, region)

    def parse_township(self, value):
        name = ledgers.text()(value)
        region = self.townships.get(name)
        if region is None:
            raise ValidationError(f"“{name}”不是本市的乡镇(街道)")
        if self.user is not None and not in_area(self.user, region.code):
            raise ValidationError(f"“{name}”不在您的辖区内")
        return region

    def parse_id(self, value):
        """A full ID number; a masked one (from an export) is kept as a marker, valid on known rows only."""
        if isinstance(value, str) and "*" in value:
            return value.strip()
        return ledgers.id_number(label="身份证号码")(value)  # the cell itself: a number cell has lost its end

    def check_row(self, values, row) -> None:
        if values.get("penalty") == Penalty.CRIMINAL and values.get("offence") != Offence.DRUNK:
            raise ValidationError({"penalty": "饮酒驾驶不构成犯罪，「处理结果」不能是刑事处罚"})

    def find_existing(self, rows):
        keys = {(r.values["township"].code, r.values["caught_on"], r.values["driver_name"]) for r in rows if r.ok}
        known = set(DrunkDriving.objects.filter(caught_on__in={k[1] for k in keys})
                    .values_list("region_id", "caught_on", "driver_name"))
        for r in rows:
            if r.ok and (r.values["township"].code, r.values["caught_on"], r.values["driver_name"]) in known:
                r.existing = True
            elif r.ok and "*" in (r.values.get("id_number") or ""):
                yield self.row_error(r.row, "id_number", "新登记的记录须填写完整的身份证号码")

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        return actions.import_drunk_driving([
            DrunkDriving(region=r.values["township"], caught_on=r.values["caught_on"],
                         driver_name=r.values["driver_name"], id_number=r.values.get("id_number") or "",
                         offence=r.values["offence"], penalty=r.values["penalty"],
                         caused_accident=bool(r.values.get("caused_accident")), unit=r.values.get("unit") or "")
            for r in rows], actor=self.user, note=f"Excel 导入：{self.title}")


class RailwayHazardLedger(CaseLedger):
    """The 铁路沿线隐患台账 on the case kit: each new row is registered through
    ``report_railway_hazard`` (guarded, audited, at the township centre on the clock, waiting for
    下达整改); a row whose 编号 is a hazard the user sees (an earlier export) is left alone."""

    key = "hazards.railway"
    title = "铁路沿线隐患台账"
    model = RailwayHazard
    what = "铁路沿线隐患"
    columns = (
        *CaseLedger.place_columns(),
        ledgers.Column("隐患标题", "title", ledgers.text(max_length=200), export="case.title", width=30,
                       aliases=("隐患名称",),
                       help="不填按线路、里程和类别生成"),
        ledgers.Column("隐患类别", "category", ledgers.choice(RailwayHazardCategory.choices), required=True,
                       aliases=("隐患类型", "隐患种类"),
                       export=lambda h: h.get_category_display(), width=14),
        ledgers.Column("铁路线路", "line", ledgers.text(max_length=64), required=True, width=14,
                       aliases=("线路", "线路名称", "铁路线路名称", "所属线路", "铁路名称")),
        ledgers.Column("里程", "mileage", ledgers.text(max_length=32), width=12, aliases=("公里标", "里程位置")),
        ledgers.Column("隐患情况", "description", ledgers.text(max_length=5000), required=True,
                       aliases=("隐患描述", "隐患情况描述", "隐患内容", "存在问题", "存在的问题", "隐患具体情况"),
                       export="case.description", width=40),
        ledgers.Column("整改要求", "requirement", ledgers.text(max_length=500), width=24,
                       aliases=("整改措施", "整改意见")),
        CaseLedger.priority_column(RAILWAY_HAZARD.workflow),
        ledgers.Column("发现日期", "found_on", ledgers.date(), width=12, help="不填为今天"),
    )
    unique = ("number",)

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        for r in rows:
            actions.report_railway_hazard(actor=self.user, **self.given(
                r.values, "region", "category", "line", "description", "mileage", "requirement", "title",
                "priority", "found_on"))
        return len(rows)
