"""Ledger tables of the people pages. ID numbers and phones print masked (``str(Protected)``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core.tables import Column, Table

from .importers import place_names


def _place(obj_region):
    township, village, grid = place_names(obj_region)
    return " ".join(x for x in (township, village, grid) if x)


def _date(value):
    return value.strftime("%Y-%m-%d") if value else ""


def _level(value) -> str:
    """A risk level as shown: 3级 (Level 3 in English)."""
    return "" if value is None else _("%(n)s级") % {"n": value}


def _yes_no(value) -> str:
    return _("是") if value else _("否")


class PersonTable(Table):
    columns = (
        Column("name", _("姓名"), link=True, width=10),
        Column("id_number", _("公民身份号码"), value=lambda p: str(p.id_number or ""), width=22),
        Column("sex", _("性别"), width=6),
        Column("birth_date", _("出生日期"), value=lambda p: _date(p.birth_date), width=12),
        Column("phone", _("联系电话"), value=lambda p: str(p.phone or ""), width=14),
        Column("region", _("所属区划"), value=lambda p: _place(p.region), width=28),
        Column("categories", _("类别"), value=lambda p: "、".join(p.categories), width=12),
        Column("status", _("状态"), width=8),
    )


class HouseTable(Table):
    columns = (
        Column("address", _("房屋地址"), link=True, width=30),
        Column("region", _("所属区划"), value=lambda h: _place(h.region), width=28),
        Column("use", _("房屋用途")),
        Column("is_rented", _("出租"), value=lambda h: _yes_no(h.is_rented), width=6),
        Column("owner", _("产权人"), value=lambda h: str(h.owner or h.owner_name or ""), width=10),
    )


def _person_cols():
    return (
        Column("person.name", _("姓名"), link=True, width=10),
        Column("person.id_number", _("公民身份号码"), value=lambda r: str(r.person.id_number or ""), width=22),
        Column("region", _("所属区划"), value=lambda r: _place(r.person.region), width=28),
    )


class SpecialTable(Table):
    columns = (
        *_person_cols(),
        Column("registered_on", _("列管日期"), value=lambda r: _date(r.registered_on)),
        Column("status", _("状态"), width=8),
    )


class ReleasedTable(Table):
    columns = (
        *_person_cols(),
        Column("charge", _("原罪名")),
        Column("released_on", _("释放日期"), value=lambda r: _date(r.released_on)),
        Column("is_resettled", _("已安置"), value=lambda r: _yes_no(r.is_resettled), width=8),
        Column("status", _("状态"), width=8),
    )


class CorrectionTable(Table):
    columns = (
        *_person_cols(),
        Column("correction_type", _("矫正类别")),
        Column("ends_on", _("矫正结束日期"), value=lambda r: _date(r.ends_on)),
        Column("status", _("状态"), width=8),
    )


class DrugTable(Table):
    columns = (*_person_cols(), Column("control", _("管控现状")), Column("status", _("状态"), width=8))


class HivTable(Table):
    columns = (*_person_cols(), Column("risk_degree", _("危险程度"), width=8), Column("status", _("状态"), width=8))


class YouthTable(Table):
    columns = (
        *_person_cols(),
        Column("youth_type_name", _("人员类型"), width=20),
        Column("concern_level_name", _("关注程度"), width=8),
        Column("status", _("状态"), width=8),
    )


class PatientTable(Table):
    columns = (
        *_person_cols(),
        Column("risk_level", _("危险性等级"), value=lambda p: _level(p.risk_level), width=8),
        Column("last_followup_on", _("上次随访"), value=lambda p: _date(p.last_followup_on), width=12),
        Column("next_followup_on", _("下次随访"), value=lambda p: _date(p.next_followup_on), width=12),
        Column("status", _("状态"), width=8),
    )


class OverdueTable(Table):
    columns = (
        *_person_cols(),
        Column("risk_level", _("危险性等级"), value=lambda p: _level(p.risk_level), width=8),
        Column("next_followup_on", _("应随访日期"), value=lambda p: _date(p.next_followup_on), width=12),
        Column("overdue_days", _("逾期天数"), value=lambda p: getattr(p, "overdue_days", ""), width=8),
        Column("warned", _("已预警"), value=lambda p: _yes_no(getattr(p, "warned", False)), width=8),
        Column("grid_worker", _("责任网格员"), value=lambda p: str(p.person.grid_worker or ""), width=16),
    )


class TeamTable(Table):
    columns = (
        *_person_cols(),
        Column("risk_level", _("危险性等级"), value=lambda p: _level(p.risk_level), width=8),
        Column("missing", _("缺少"), value=lambda p: "、".join(getattr(p, "missing_labels", [])), width=30),
    )


class AssessmentTable(Table):
    columns = (
        Column("patient.person.name", _("患者"), link=True, width=10),
        Column("region", _("所属区划"), value=lambda a: _place(a.patient.person.region), width=28),
        Column("previous_level", _("原等级"), value=lambda a: _level(a.previous_level)),
        Column("level", _("评估等级"), value=lambda a: _level(a.level)),
        Column("assessed_on", _("评估日期"), value=lambda a: _date(a.assessed_on)),
        Column("status", _("状态"), width=14),
        Column("assessor", _("评估人"), value=lambda a: str(a.assessor or ""), width=16),
    )


class VisitTable(Table):
    columns = (
        Column(
            "visited_at",
            _("时间"),
            link=True,
            value=lambda v: timezone.localtime(v.visited_at).strftime("%Y-%m-%d %H:%M"),
            width=16,
        ),
        Column("person.name", _("人员"), width=10),
        Column("kind", _("类型"), width=6),
        Column("method", _("方式"), width=6),
        Column("outcome", _("结果"), width=12),
        Column("next_on", _("下次"), value=lambda v: _date(v.next_on), width=12),
        Column("recorded_by", _("记录人"), value=lambda v: str(v.recorded_by or ""), width=16),
    )


class IncidentTable(Table):
    columns = (
        Column(
            "occurred_at",
            _("发生时间"),
            link=True,
            value=lambda i: timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M"),
            width=16,
        ),
        Column("patient.person.name", _("患者"), width=10),
        Column("severity", _("性质"), width=6),
        Column("place", _("地点"), width=20),
        Column("casualties", _("伤亡"), width=6),
    )


class SubsidyTable(Table):
    columns = (
        Column("patient.person.name", _("患者"), link=True, width=10),
        Column("region", _("所属区划"), value=lambda s: _place(s.patient.person.region), width=28),
        Column("guardian_name", _("监护人"), width=10),
        Column("enrolled_on", _("纳入日期"), value=lambda s: _date(s.enrolled_on)),
        Column("period_start", _("本期起算"), value=lambda s: _date(s.period_start)),
        Column("status", _("状态"), width=14),
        Column("annual_amount", _("年度标准(元)"), value=lambda s: str(s.annual_amount), width=10),
    )


class PaymentTable(Table):
    columns = (
        Column("paid_on", _("发放日期"), link=True, value=lambda p: _date(p.paid_on), width=12),
        Column("award.subsidy.patient.person.name", _("患者"), width=10),
        Column("award.subsidy.guardian_name", _("监护人"), width=10),
        Column("award.year", _("年度"), width=6),
        Column("amount", _("金额(元)"), value=lambda p: str(p.amount), width=10),
        Column("voucher_no", _("凭证号"), width=14),
    )
