"""Care writes around the guardian subsidy "以奖代补" and incidents (肇事肇祸), and the follow-up sweep.
Each write an ``@action`` (see ``patients``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.actors import SYSTEM, as_user
from anmin.core.guards import action
from anmin.core.protected import validate_phone_number
from anmin.people.actions import lock_version
from anmin.people.models.choices import AwardStatus, IncidentSeverity, RecordStatus, SubsidyStatus, WarningKind

from .. import rules
from ..models import (
    CareLogCheck,
    FollowUpWarning,
    GuardianSubsidy,
    Incident,
    MentalPatient,
    SubsidyAward,
    SubsidyPayment,
)

# --- incidents and the guardian subsidy -------------------------------------------------------------------


@action(perm="care.add_incident", target="patient", model=MentalPatient, what="登记肇事肇祸")
def record_incident(
    *,
    actor,
    patient: MentalPatient,
    occurred_at: dt.datetime,
    severity: str,
    place: str = "",
    description: str = "",
    casualties: int = 0,
    handling: str = "",
    request=None,
) -> Incident:
    """肇事肇祸登记. Resets the guardian subsidy: the incident-free period starts over at the incident,
    and an approved, unpaid award of that year is voided."""
    if severity not in IncidentSeverity.values:
        raise ValidationError({"severity": "性质：请选择肇事或肇祸"})
    if occurred_at is None:
        raise ValidationError({"occurred_at": "发生时间：必填"})
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > clock.now() + dt.timedelta(minutes=10):
        raise ValidationError({"occurred_at": "发生时间：不能晚于现在"})
    day = timezone.localdate(occurred_at)
    with transaction.atomic():
        p = MentalPatient.objects.select_for_update().get(pk=patient.pk)
        incident = Incident.objects.create(
            patient=p,
            occurred_at=occurred_at,
            severity=severity,
            place=place,
            description=description,
            casualties=casualties or 0,
            handling=handling,
            reported_by=as_user(actor),
        )
        audit.record(
            actor=actor,
            action="create",
            obj=incident,
            after={"severity": severity, "occurred_at": occurred_at},
            request=request,
        )
        subsidy = GuardianSubsidy.objects.select_for_update().filter(patient=p).first()
        if subsidy is not None and subsidy.status != SubsidyStatus.ENDED:
            before = {"status": subsidy.status, "period_start": subsidy.period_start}
            if day >= subsidy.period_start:
                subsidy.period_start = day
            subsidy.status = SubsidyStatus.RESET
            subsidy.version += 1
            subsidy.save()
            voided = []
            for award in SubsidyAward.objects.select_for_update().filter(
                subsidy=subsidy, year=day.year, status=AwardStatus.APPROVED
            ):
                if not award.payments.exists():
                    award.status, award.version = AwardStatus.VOID, award.version + 1
                    award.note = (award.note + "；" if award.note else "") + "因肇事肇祸作废"
                    award.save()
                    voided.append(award.year)
            audit.record(
                actor=actor,
                action="update",
                obj=subsidy,
                before=before,
                after={"status": subsidy.status, "period_start": subsidy.period_start, "voided_awards": voided},
                reason="肇事肇祸，以奖代补资格重新计算",
                request=request,
            )
    return incident


@action(perm="care.add_guardiansubsidy", target="patient", model=MentalPatient, what="纳入以奖代补")
def enroll_subsidy(
    *,
    actor,
    patient: MentalPatient,
    guardian_name: str,
    enrolled_on: dt.date,
    guardian_relation: str = "",
    guardian_phone: str = "",
    annual_amount=None,
    request=None,
) -> GuardianSubsidy:
    """纳入以奖代补."""
    cfg = rules.current_rules()["subsidy"]
    errors: dict[str, str] = {}
    if not (guardian_name or "").strip():
        errors["guardian_name"] = "监护人姓名：必填"
    if patient.risk_level < cfg["min_level"]:
        errors["patient"] = f"患者：危险性评估等级须不低于{cfg['min_level']}级"
    if cfg["require_incident_history"] and not (patient.has_incident_history or patient.incidents.exists()):
        errors.setdefault("patient", "患者：须有肇事肇祸史")
    if guardian_phone:
        try:
            guardian_phone = validate_phone_number(guardian_phone, label="监护人联系电话")
        except ValidationError as exc:
            errors["guardian_phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    amount = Decimal(str(annual_amount if annual_amount not in (None, "") else cfg["annual_amount"]))
    with transaction.atomic():
        if GuardianSubsidy.objects.filter(patient=patient).exists():
            raise ValidationError({"patient": "患者：已纳入以奖代补"})
        s = GuardianSubsidy.objects.create(
            patient=patient,
            guardian_name=guardian_name.strip(),
            guardian_relation=guardian_relation,
            guardian_phone=guardian_phone,
            enrolled_on=enrolled_on,
            period_start=enrolled_on,
            annual_amount=amount,
        )
        audit.record(actor=actor, action="create", obj=s, after=audit.snapshot(s), request=request)
    return s


@action(perm="care.add_carelogcheck", target="subsidy", model=GuardianSubsidy, what="检查看护记录")
def record_care_log_check(
    *,
    actor,
    subsidy: GuardianSubsidy,
    year: int,
    quarter: int,
    checked_on: dt.date,
    passed: bool,
    note: str = "",
    request=None,
) -> CareLogCheck:
    """村(社区)每季度检查监护人看护记录."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "季度：须为1至4"})
    quarter_start = dt.date(year, 3 * quarter - 2, 1)
    if checked_on < quarter_start:
        raise ValidationError({"checked_on": f"检查日期：不能早于该季度开始（{quarter_start:%Y-%m-%d}）"})
    with transaction.atomic():
        if CareLogCheck.objects.filter(subsidy=subsidy, year=year, quarter=quarter).exists():
            raise ValidationError({"quarter": f"季度：{year}年第{quarter}季度已检查过"})
        c = CareLogCheck.objects.create(
            subsidy=subsidy,
            year=year,
            quarter=quarter,
            checked_on=checked_on,
            passed=passed,
            note=note,
            checked_by=as_user(actor),
        )
        audit.record(
            actor=actor,
            action="create",
            obj=c,
            after={"year": year, "quarter": quarter, "passed": passed},
            request=request,
        )
    return c


def subsidy_eligibility(subsidy: GuardianSubsidy, year: int) -> rules.Eligibility:
    patient = subsidy.patient
    dates = [timezone.localdate(t) for t in patient.incidents.values_list("occurred_at", flat=True)]
    passed = subsidy.checks.filter(year=year, passed=True).count()
    return rules.subsidy_eligibility(
        patient=patient, year=year, incident_dates=dates, subsidy=subsidy, passed_checks=passed
    )


@action(perm="care.approve_subsidy", target="subsidy", model=GuardianSubsidy, what="审批以奖代补")
def decide_subsidy_award(
    *,
    actor,
    subsidy: GuardianSubsidy,
    year: int,
    approve: bool,
    amount=None,
    note: str = "",
    expected_version=None,
    request=None,
) -> SubsidyAward:
    """乡镇年度审批. Approval needs the patient eligible for the whole year (rules) and every
    quarterly check of the year passed."""
    if year > rules.today().year:
        raise ValidationError({"year": "年度：不能审批未来年度"})
    with transaction.atomic():
        s = lock_version(GuardianSubsidy, subsidy.pk, expected_version)
        if SubsidyAward.objects.filter(subsidy=s, year=year).exclude(status=AwardStatus.VOID).exists():
            raise ValidationError({"year": f"年度：{year}年度已审批"})
        if approve:
            verdict = subsidy_eligibility(s, year)
            if not verdict.eligible:
                raise ValidationError({"year": "不符合发放条件：" + "；".join(verdict.reasons)})
        try:
            value = Decimal(str(amount)) if amount not in (None, "") else s.annual_amount
        except InvalidOperation:
            raise ValidationError({"amount": "核定金额：须为金额"}) from None
        if approve and value <= 0:
            raise ValidationError({"amount": "核定金额：须大于0"})
        if not approve and not (note or "").strip():
            raise ValidationError({"note": "审批意见：不予发放时必须填写理由"})
        award = SubsidyAward.objects.filter(subsidy=s, year=year, status=AwardStatus.VOID).first()
        if award is not None:  # decided again after an incident voided it
            award.delete()
        award = SubsidyAward.objects.create(
            subsidy=s,
            year=year,
            amount=value if approve else Decimal("0"),
            status=AwardStatus.APPROVED if approve else AwardStatus.REJECTED,
            note=note,
            decided_by=as_user(actor),
        )
        if approve and s.status == SubsidyStatus.RESET:
            s.status, s.version = SubsidyStatus.ACTIVE, s.version + 1
            s.save()
        audit.record(
            actor=actor,
            action="create",
            obj=award,
            after={"year": year, "status": award.status, "amount": award.amount},
            reason=note,
            request=request,
        )
    return award


@action(perm="care.add_subsidypayment", target="award", model=SubsidyAward, what="登记以奖代补发放")
def record_subsidy_payment(
    *, actor, award: SubsidyAward, amount, paid_on: dt.date, voucher_no: str = "", request=None
) -> SubsidyPayment:
    """发放登记."""
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        raise ValidationError({"amount": "发放金额：须为金额"}) from None
    if amount <= 0:
        raise ValidationError({"amount": "发放金额：须大于0"})
    with transaction.atomic():
        a = SubsidyAward.objects.select_for_update().get(pk=award.pk)
        if a.status != AwardStatus.APPROVED:
            raise ValidationError({"award": f"年度审批：{a.year}年度为“{a.get_status_display()}”，不能发放"})
        paid = a.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0")
        if paid + amount > a.amount:
            raise ValidationError({"amount": f"发放金额：累计发放不能超过核定金额{a.amount}元（已发放{paid}元）"})
        p = SubsidyPayment.objects.create(
            award=a, amount=amount, paid_on=paid_on, voucher_no=voucher_no, paid_by=as_user(actor)
        )
        audit.record(
            actor=actor,
            action="create",
            obj=p,
            after={"year": a.year, "amount": amount, "paid_on": paid_on},
            request=request,
        )
    return p


# --- the follow-up sweep --------------------------------------------------------------------------------


@dataclass
class SweepResult:
    due_soon: list[int] = field(default_factory=list)  # patient ids warned as due soon
    overdue: list[int] = field(default_factory=list)  # patient ids warned as overdue
    resolved: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"due_soon": len(self.due_soon), "overdue": len(self.overdue), "resolved": self.resolved}

    def __str__(self) -> str:
        return f"随访巡检：即将到期预警 {len(self.due_soon)}，逾期预警 {len(self.overdue)}，解除 {self.resolved}"


def sweep(*, today: dt.date | None = None) -> SweepResult:
    """Raise a warning once per patient and due date when a follow-up is due within the configured
    days (即将到期) and again when it is overdue (已逾期); resolve warnings whose due date a follow-up
    has moved. Running it twice changes nothing the second time."""
    today = today or rules.today()
    soon = today + dt.timedelta(days=rules.current_rules()["due_soon_days"])
    result = SweepResult()
    now = clock.now()
    with transaction.atomic():
        due = list(MentalPatient.objects.due_by(soon).values_list("pk", "next_followup_on"))
        existing = set(
            FollowUpWarning.objects.filter(patient_id__in=[p for p, _ in due]).values_list(
                "patient_id", "due_on", "kind"
            )
        )
        new = []
        for pk, due_on in due:
            kind = WarningKind.OVERDUE if due_on < today else WarningKind.DUE_SOON
            if (pk, due_on, kind) in existing:
                continue
            new.append(FollowUpWarning(patient_id=pk, due_on=due_on, kind=kind, raised_at=now))
            (result.overdue if kind == WarningKind.OVERDUE else result.due_soon).append(pk)
        FollowUpWarning.objects.bulk_create(new, batch_size=2000)
        # A warning whose due date is no longer the patient's (a follow-up moved it) is resolved.
        stale = FollowUpWarning.objects.filter(resolved_at__isnull=True).exclude(
            patient__next_followup_on=models.F("due_on"), patient__status=RecordStatus.ACTIVE
        )
        result.resolved = stale.update(resolved_at=now)
        if new or result.resolved:
            audit.record(
                actor=SYSTEM,
                action="people_sweep",
                object_type="care.followupwarning",
                after={**result.as_dict(), "today": today},
            )
    return result
