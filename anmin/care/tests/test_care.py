"""Severe-mental-disorder care: level changes wait for the township, follow-ups move the schedule,
overdue follow-ups are warned, the care team, and the guardian subsidy reset by an incident."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from anmin.core.actors import SYSTEM
from anmin.core.errors import Forbidden
from anmin.core.models import AuditEntry, Role
from anmin.people.models.choices import AssessmentStatus, AwardStatus, SubsidyStatus, WarningKind

from .. import actions, kpis, rules
from ..models import FollowUpWarning, MentalPatient, RiskAssessment
from .factories import complete_team, make_patient, make_subsidy, pass_checks

TODAY = dt.date(2020, 12, 10)


@pytest.fixture(autouse=True)
def frozen_today(settings, db):
    """The demo world's "today"."""
    settings.ANMIN_TODAY = TODAY.isoformat()
    rules.clear_cache()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_a_level_change_waits_for_the_township_centres_approval(client, world):
    patient = make_patient(world.gc_grid, level=2, registered_on=dt.date(2020, 11, 1))
    worker = world.user(Role.GRID_WORKER)
    actions.record_visit(
        actor=worker, person=patient.person, visited_at=at(TODAY), method="in_person", outcome="seen", risk_level=4
    )
    patient.refresh_from_db()
    pending = RiskAssessment.objects.get(patient=patient, status=AssessmentStatus.PENDING)
    assert (pending.previous_level, pending.level) == (2, 4)
    assert patient.risk_level == 2  # not yet: the township decides
    assert kpis.patients_level_3_up(year=2020) == 0
    # The village centre may assess, not approve; neither may the grid worker.
    for role in (Role.VILLAGE_CENTER, Role.GRID_WORKER):
        with pytest.raises(Forbidden):
            actions.decide_assessment(actor=world.user(role), assessment=pending, approve=True)
    # Rejecting needs a reason.
    with pytest.raises(ValidationError) as no_reason:
        actions.decide_assessment(actor=world.user(Role.TOWNSHIP_CENTER), assessment=pending, approve=False)
    assert "驳回时必须填写理由" in no_reason.value.message_dict["note"][0]
    # The township centre approves on the assessment's page.
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(pending.get_absolute_url())
    assert "批准等级变更" in page.content.decode()
    resp = client.post(pending.get_absolute_url(), {"do": "approve", "version": pending.version, "note": "同意"})
    assert resp.status_code == 302
    patient.refresh_from_db()
    pending.refresh_from_db()
    assert pending.status == AssessmentStatus.APPROVED
    assert patient.risk_level == 4
    assert kpis.patients_level_3_up(year=2020) == 1
    assert AuditEntry.objects.filter(object_type="care.riskassessment", action="transition").exists()
    # Approving twice is refused (the decision is made).
    with pytest.raises(ValidationError):
        actions.decide_assessment(actor=world.user(Role.TOWNSHIP_CENTER), assessment=pending, approve=True)


def test_a_newer_assessment_supersedes_a_pending_one_and_the_same_level_is_only_recorded(world):
    patient = make_patient(world.gc_grid, level=3)
    village = world.user(Role.VILLAGE_CENTER)
    first = actions.assess_risk(actor=village, patient=patient, level=5, assessed_on=TODAY)
    second = actions.assess_risk(actor=village, patient=patient, level=4, assessed_on=TODAY)
    first.refresh_from_db()
    assert first.status == AssessmentStatus.SUPERSEDED
    assert second.status == AssessmentStatus.PENDING
    same = actions.assess_risk(actor=village, patient=patient, level=3, assessed_on=TODAY)
    assert same.status == AssessmentStatus.RECORDED
    second.refresh_from_db()
    assert second.status == AssessmentStatus.SUPERSEDED


def test_a_follow_up_moves_the_next_date_within_what_the_rules_allow(world):
    patient = make_patient(world.gc_grid, level=3, registered_on=dt.date(2020, 11, 20))
    worker = world.user(Role.GRID_WORKER)
    with pytest.raises(ValidationError) as too_late:
        actions.record_visit(
            actor=worker,
            person=patient.person,
            visited_at=at(TODAY),
            method="in_person",
            outcome="seen",
            next_on=dt.date(2021, 2, 1),
        )
    assert too_late.value.message_dict["next_on"] == [
        "下次随访日期：按随访规则最迟应为2020-12-24（病情不稳定（3级），每14天随访）"
    ]
    visit = actions.record_visit(
        actor=worker, person=patient.person, visited_at=at(TODAY), method="in_person", outcome="seen"
    )
    patient.refresh_from_db()
    assert visit.kind == "follow_up"
    assert patient.next_followup_on == dt.date(2020, 12, 24)
    assert patient.last_followup_on == TODAY
    # A visit that did not reach the patient or the family does not count as the follow-up.
    actions.record_visit(
        actor=worker,
        person=patient.person,
        visited_at=at(TODAY, 15),
        method="in_person",
        outcome="not_found",
        next_on=dt.date(2020, 12, 12),
    )
    patient.refresh_from_db()
    assert patient.next_followup_on == dt.date(2020, 12, 24)


def test_basically_stable_patients_get_two_weeks_then_one_or_three_months():
    r = rules.current_rules()
    first = rules.next_followup(level=1, on=TODAY, previous="stable", rules=r)
    better = rules.next_followup(level=1, on=TODAY, previous="basic", improved=True, rules=r)
    worse = rules.next_followup(level=2, on=TODAY, previous="basic", improved=False, rules=r)
    stable = rules.next_followup(level=0, on=TODAY, rules=r)
    assert (first.days, better.days, worse.days, stable.days) == (14, 90, 30, 90)
    # At least four a year: no interval longer than 91 days, whatever is configured.
    slow = rules.next_followup(level=0, on=TODAY, rules={**r, "followup_days": {**r["followup_days"], "stable": 180}})
    assert slow.days == 91


def test_an_overdue_follow_up_is_warned_once_and_listed(client, world):
    overdue = make_patient(world.gc_grid, level=3, registered_on=dt.date(2020, 6, 1), name="王超")  # due 06-15
    soon = make_patient(world.gc_grid, level=3, registered_on=dt.date(2020, 11, 27), name="赵敏")  # due 12-11
    fine = make_patient(world.gc_grid, level=0, registered_on=dt.date(2020, 12, 1), name="孙平")  # due 2021-03-01
    first = actions.sweep(today=TODAY)
    assert first.overdue == [overdue.pk]
    assert first.due_soon == [soon.pk]
    warning = FollowUpWarning.objects.get(patient=overdue)
    assert (warning.kind, warning.due_on) == (WarningKind.OVERDUE, dt.date(2020, 6, 15))
    assert not FollowUpWarning.objects.filter(patient=fine).exists()
    again = actions.sweep(today=TODAY)  # idempotent
    assert (again.overdue, again.due_soon, again.resolved) == ([], [], 0)
    assert FollowUpWarning.objects.count() == 2
    call_command("care_sweep", today=TODAY.isoformat())
    assert FollowUpWarning.objects.count() == 2
    # The overdue page lists the patient, warned; the grid worker sees it too.
    client.force_login(world.user(Role.GRID_WORKER))
    page = client.get("/care/mental/overdue/").content.decode()
    assert overdue.get_absolute_url() in page
    assert page.count(soon.get_absolute_url()) == 1  # under 即将到期, not among the overdue
    # A follow-up answers the warning.
    actions.record_visit(
        actor=world.user(Role.GRID_WORKER), person=overdue.person, visited_at=at(TODAY), method="phone", outcome="seen"
    )
    warning.refresh_from_db()
    assert warning.resolved_at is not None
    assert MentalPatient.objects.overdue(TODAY).filter(pk=overdue.pk).count() == 0
    assert kpis.followups_overdue(year=2020) == 1


def test_incomplete_care_teams_are_listed_until_every_place_is_filled(client, world):
    patient = make_patient(world.gc_grid, level=4)
    assert kpis.level_3_up_team_complete(year=2020) == 0
    client.force_login(world.user(Role.VILLAGE_CENTER))
    page = client.get("/care/mental/teams/").content.decode()
    assert patient.get_absolute_url() in page
    assert "民警" in page
    complete_team(patient)
    assert kpis.level_3_up_team_complete(year=2020) == 1
    assert patient.get_absolute_url() not in client.get("/care/mental/teams/").content.decode()
    # Removing the police officer makes the team incomplete again.
    police = patient.team.get(role="police")
    resp = client.post(patient.get_absolute_url(), {"do": "remove_member", "member": police.pk})
    assert resp.status_code == 302
    assert kpis.level_3_up_team_complete(year=2020) == 0
    # A mental-health doctor fills the doctor's place as well as a village doctor does.
    patient.team.filter(role="village_doctor").update(until=TODAY)
    for role, name in (("police", "陈民警"), ("psychiatrist", "周医生")):
        actions.add_team_member(actor=world.user(Role.VILLAGE_CENTER), patient=patient, role=role, name=name)
    assert kpis.level_3_up_team_complete(year=2020) == 1


def test_an_incident_resets_the_guardian_subsidy_eligibility(world):
    patient = make_patient(world.gc_grid, level=3, registered_on=dt.date(2017, 3, 1))
    subsidy = make_subsidy(patient, enrolled_on=dt.date(2018, 1, 1))
    pass_checks(subsidy, 2019)
    pass_checks(subsidy, 2020)
    township = world.user(Role.TOWNSHIP_CENTER)
    assert actions.subsidy_eligibility(subsidy, 2020).eligible
    paid = actions.decide_subsidy_award(actor=township, subsidy=subsidy, year=2019, approve=True)
    actions.record_subsidy_payment(actor=township, award=paid, amount=paid.amount, paid_on=dt.date(2020, 1, 20))
    award = actions.decide_subsidy_award(actor=township, subsidy=subsidy, year=2020, approve=True)
    assert award.status == AwardStatus.APPROVED
    # 肇事: the period starts over, this year's unpaid reward is void and cannot be approved again.
    actions.record_incident(
        actor=world.user(Role.GRID_WORKER),
        patient=patient,
        occurred_at=at(dt.date(2020, 11, 1)),
        severity="trouble",
        place="集市",
    )
    subsidy.refresh_from_db()
    award.refresh_from_db()
    paid.refresh_from_db()
    assert subsidy.status == SubsidyStatus.RESET
    assert subsidy.period_start == dt.date(2020, 11, 1)
    assert award.status == AwardStatus.VOID
    assert paid.status == AwardStatus.APPROVED  # a reward already paid stays paid
    verdict = actions.subsidy_eligibility(subsidy, 2020)
    assert not verdict.eligible
    assert "2020年内发生肇事肇祸1次，资格重新计算" in verdict.reasons
    with pytest.raises(ValidationError) as refused:
        actions.decide_subsidy_award(actor=township, subsidy=subsidy, year=2020, approve=True)
    assert "不符合发放条件" in refused.value.message_dict["year"][0]
    # A whole year without incident after the reset makes the guardian eligible again.
    dates = [timezone.localdate(i.occurred_at) for i in patient.incidents.all()]
    assert rules.subsidy_eligibility(patient=patient, year=2021, incident_dates=dates, subsidy=subsidy).eligible
    assert kpis.incidents(year=2020) == 1
    assert kpis.subsidy_reset(year=2020) == 1


def test_the_subsidy_rule_is_configurable(world):
    patient = make_patient(world.gc_grid, level=2, history=False)
    with pytest.raises(ValidationError):
        actions.enroll_subsidy(actor=SYSTEM, patient=patient, guardian_name="李母", enrolled_on=TODAY)
    from ..models import CareConfig

    CareConfig.objects.create(key="default", rules={"subsidy": {"min_level": 2, "require_incident_history": False}})
    rules.clear_cache()
    subsidy = actions.enroll_subsidy(actor=SYSTEM, patient=patient, guardian_name="李母", enrolled_on=TODAY)
    assert subsidy.annual_amount == 2000
    with pytest.raises(ValidationError):
        rules.validate_rules({"followup_days": {"unstable": 0}})


def test_removing_a_team_member_by_a_tampered_key_finds_no_one(client, world):
    """移出管理小组 names the member in a hidden field: text there is no member (404), not a 500."""
    patient = make_patient(world.gc_grid, level=4)
    complete_team(patient)
    active = patient.team.filter(until__isnull=True).count()
    client.force_login(world.user(Role.VILLAGE_CENTER))
    for junk in ("abc", "99999999999999999999999", "a\x00b"):
        resp = client.post(patient.get_absolute_url(), {"do": "remove_member", "member": junk})
        assert resp.status_code == 404, junk
    assert patient.team.filter(until__isnull=True).count() == active
