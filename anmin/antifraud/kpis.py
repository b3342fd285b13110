"""Indicators of the anti-fraud domain, from records by year and region (``compute(year=, region=,
user=)``; ``user`` limits them to what that user may see). The year-end report reads
``antifraud.suspects_detained, suspects_arrested, suspects_prosecuted, cases_solved, cards_frozen,
amount_involved (元), amount_recovered (元), dissuaded``.

- suspects: by the date each procedural step was reached in the year (强制措施 = the first of 刑事拘留,
  取保候审, 监视居住 or 逮捕);
- cases solved: 破案日期 in the year, assisted ones (带破) included; sums: of the cases filed in the year;
- cards frozen: bank cards with a 冻结日期 in the year;
- leads: received in the year, by grade and outcome; dissuaded = outcome 劝阻成功 concluded in the year;
  minutes to first contact (median per grade) and the share contacted within the limit.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Kpi, kpis
from anmin.workflow.kit.kpis import rate
from anmin.workflow.kit.kpis import region_prefix as _prefix

from .models import CardKind, FraudCard, FraudCase, Grade, Lead, LeadOutcome, Suspect


def _scoped(model, user, region, path: str):
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    return qs.filter(**{f"{path}__code__startswith": _prefix(region)}) if region else qs


def _suspects(date_field: str):
    def compute(*, year, region=None, user=None) -> int:
        return _scoped(Suspect, user, region, "fraud_case__region").filter(**{f"{date_field}__year": year}).count()

    return compute


def _cases(year, region, user):
    return _scoped(FraudCase, user, region, "region")


def cases_solved(*, year, region=None, user=None) -> int:
    return _cases(year, region, user).solved_in(year).count()


def cases_assisted(*, year, region=None, user=None) -> int:
    return _cases(year, region, user).solved_in(year).filter(assisted=True).count()


def _cards(kind: str):
    def compute(*, year, region=None, user=None) -> int:
        return _scoped(FraudCard, user, region, "fraud_case__region").filter(kind=kind, frozen_on__year=year).count()

    return compute


def _sum(field: str):
    def compute(*, year, region=None, user=None) -> Decimal:
        total = _cases(year, region, user).filed_in(year).aggregate(s=Sum(field))["s"]
        # To the fen (SQLite sums decimals as floats).
        return Decimal(str(total or 0)).quantize(Decimal("0.01"))

    return compute


def _leads(year, region, user):
    return _scoped(Lead, user, region, "case__region")


def leads_received(*, year, region=None, user=None) -> int:
    return _leads(year, region, user).filter(case__opened_at__year=year).count()


def dissuaded(*, year, region=None, user=None) -> int:
    return _leads(year, region, user).concluded_in(year).filter(outcome=LeadOutcome.DISSUADED).count()


def leads_by_grade(*, year, region=None, user=None) -> dict[str, int]:
    counts = dict(_leads(year, region, user).filter(case__opened_at__year=year).values_list("case__priority")
                  .annotate(n=Count("pk")).values_list("case__priority", "n"))
    return {str(label): counts.get(code, 0) for code, label in Grade.choices}


def leads_by_outcome(*, year, region=None, user=None) -> dict[str, int]:
    counts = dict(_leads(year, region, user).filter(case__opened_at__year=year).values_list("outcome")
                  .annotate(n=Count("pk")).values_list("outcome", "n"))
    return {str(label): counts.get(code, 0) for code, label in LeadOutcome.choices}


def median_contact_minutes(*, year, region=None, user=None) -> dict[str, float | None]:
    rows = (_leads(year, region, user).filter(case__opened_at__year=year, contact_minutes__isnull=False)
            .values_list("case__priority", "contact_minutes"))
    by: dict[str, list[int]] = {}
    for grade, minutes in rows:
        by.setdefault(grade, []).append(minutes)
    return {str(label): (statistics.median(by[code]) if by.get(code) else None) for code, label in Grade.choices}


def contacted_in_time_rate(*, year, region=None, user=None) -> float:
    qs = _leads(year, region, user).filter(case__opened_at__year=year, contacted_in_time__isnull=False)
    return rate(qs.filter(contacted_in_time=True).count(), qs.count())


def register() -> None:
    for key, label, fn, unit in (
        ("antifraud.suspects_detained", _("电诈犯罪嫌疑人采取强制措施"), _suspects("measure_on"), "人"),
        ("antifraud.suspects_arrested", _("电诈犯罪嫌疑人逮捕"), _suspects("arrested_on"), "人"),
        ("antifraud.suspects_prosecuted", _("电诈犯罪嫌疑人移送起诉"), _suspects("prosecuted_on"), "人"),
        ("antifraud.cases_solved", _("破获电诈案件（含带破）"), cases_solved, "起"),
        ("antifraud.cases_assisted", _("带破电诈案件"), cases_assisted, "起"),
        ("antifraud.cards_frozen", _("冻结涉案银行卡"), _cards(CardKind.BANK), "张"),
        ("antifraud.phone_cards_frozen", _("停用涉案电话卡"), _cards(CardKind.PHONE), "张"),
        ("antifraud.amount_involved", _("电诈涉案资金"), _sum("amount_involved"), "元"),
        ("antifraud.amount_frozen", _("冻结涉诈资金"), _sum("amount_frozen"), "元"),
        ("antifraud.amount_recovered", _("为群众挽回损失"), _sum("amount_returned"), "元"),
        ("antifraud.leads_received", _("接收预警线索"), leads_received, "条"),
        ("antifraud.dissuaded", _("预警劝阻成功"), dissuaded, "人"),
        ("antifraud.leads_by_grade", _("预警线索按等级"), leads_by_grade, "条"),
        ("antifraud.leads_by_outcome", _("预警线索按处置结果"), leads_by_outcome, "条"),
        ("antifraud.median_contact_minutes", _("首次联系用时中位数（按等级）"), median_contact_minutes, "分钟"),
        ("antifraud.contacted_in_time_rate", _("预警线索按时联系率"), contacted_in_time_rate, "%"),
    ):
        kpis.register(key, Kpi(key, label, fn, unit, "antifraud"))
