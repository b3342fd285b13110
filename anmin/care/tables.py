"""Ledger tables of the care pages. ID numbers and phones print masked (``str(Protected)``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.tables import Column, Table, when
from anmin.people.tables import date, person_cols, place, yes_no


def _level(value) -> str:
    """A risk level as shown: 3级 (Level 3 in English)."""
    return "" if value is None else _("%(n)s级") % {"n": value}



class PatientTable(Table):
    columns = (
        *person_cols(),
        Column("risk_level", _("危险性等级"), value=lambda p: _level(p.risk_level), width=8),
        Column("last_followup_on", _("上次随访"), value=lambda p: date(p.last_followup_on), width=12),
        Column("next_followup_on", _("下次随访"), value=lambda p: date(p.next_followup_on), width=12),
        Column("status", _("状态"), width=8),
    )


class OverdueTable(Table):
    columns = (
        *person_cols(),
        Column("risk_level", _("危险性等级"), value=lambda p: _level(p.risk_level), width=8),
        Column("next_followup_on", _("应随访日期"), value=lambda p: date(p.next_followup_on), width=12),
        Column("overdue_days", _("逾期天数"), value=lambda p: getattr(p, "overdue_days", ""), width=8),
        Column("warned", _("已预警"), value=lambda p: yes_no(getattr(p, "warned", False)), width=8),
        Column("grid_worker", _("责任网格员"), value=lambda p: str(p.person.grid_worker or ""), width=16),
    )


class TeamTable(Table):
    columns = (
        *person_cols(),
        Column("risk_level", _("危险性等级"), value=lambda p: _level(p.risk_level), width=8),
        Column("missing", _("缺少"), value=lambda p: "、".join(getattr(p, "missing_labels", [])), width=30),
    )


class AssessmentTable(Table):
    columns = (
        Column("patient.person.name", _("患者"), link=True, width=10),
        Column("region", _("所属区划"), value=lambda a: place(a.patient.person.region), width=28),
        Column("previous_level", _("原等级"), value=lambda a: _level(a.previous_level)),
        Column("level", _("评估等级"), value=lambda a: _level(a.level)),
        Column("assessed_on", _("评估日期"), value=lambda a: date(a.assessed_on)),
        Column("status", _("状态"), width=14),
        Column("assessor", _("评估人"), value=lambda a: str(a.assessor or ""), width=16),
    )


class VisitTable(Table):
    columns = (
        Column(
            "visited_at",
            _("时间"),
            link=True,
            value=lambda v: when(v.visited_at),
            width=16,
        ),
        Column("person.name", _("人员"), width=10),
        Column("kind", _("类型"), width=6),
        Column("method", _("方式"), width=6),
        Column("outcome", _("结果"), width=12),
        Column("next_on", _("下次"), value=lambda v: date(v.next_on), width=12),
        Column("recorded_by", _("记录人"), value=lambda v: str(v.recorded_by or ""), width=16),
    )


class IncidentTable(Table):
    columns = (
        Column(
            "occurred_at",
            _("发生时间"),
            link=True,
            value=lambda i: when(i.occurred_at),
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
        Column("region", _("所属区划"), value=lambda s: place(s.patient.person.region), width=28),
        Column("guardian_name", _("监护人"), width=10),
        Column("enrolled_on", _("纳入日期"), value=lambda s: date(s.enrolled_on)),
        Column("period_start", _("本期起算"), value=lambda s: date(s.period_start)),
        Column("status", _("状态"), width=14),
        Column("annual_amount", _("年度标准(元)"), value=lambda s: str(s.annual_amount), width=10),
    )


class PaymentTable(Table):
    columns = (
        Column("paid_on", _("发放日期"), link=True, value=lambda p: date(p.paid_on), width=12),
        Column("award.subsidy.patient.person.name", _("患者"), width=10),
        Column("award.subsidy.guardian_name", _("监护人"), width=10),
        Column("award.year", _("年度"), width=6),
        Column("amount", _("金额(元)"), value=lambda p: str(p.amount), width=10),
        Column("voucher_no", _("凭证号"), width=14),
    )
