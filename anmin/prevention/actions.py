"""Every write of the prevention domain. The registries' writes come from the registry kit, named
here so the guard walk sees them; patrol logs and activity records are written below."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from anmin.core import audit, checks, clock, offline
from anmin.core.errors import Invalid, invalid
from anmin.core.geo import check_location
from anmin.core.guards import USE, action, in_area
from anmin.core.models import Region

from .models import (
    ActivityKind,
    CheckIn,
    Liaison,
    LiaisonActivity,
    PatrolLog,
    PatrolTeam,
    PoliceActivity,
)
from .registries import CAMERAS, LIAISONS, MEMBERS, PLATFORMS, POINTS, TEAMS

create_camera, update_camera, set_camera_status, retire_camera, import_cameras = CAMERAS.actions()
create_platform, update_platform, set_platform_status, retire_platform, import_platforms = PLATFORMS.actions()
create_point, update_point, set_point_status, retire_point, import_points = POINTS.actions()
create_team, update_team, set_team_status, retire_team, import_teams = TEAMS.actions()
create_member, update_member, set_member_status, retire_member, import_members = MEMBERS.actions()
create_liaison, update_liaison, set_liaison_status, retire_liaison, import_liaisons = LIAISONS.actions()


# -- patrols from a phone ------------------------------------------------------------------------------

PATROL_PERM = "prevention.add_patrollog"


# A grid worker patrols with the team of the village holding their grid (``usable_by``), not only
# with teams inside the grid itself.
@action(perm=PATROL_PERM, target="team", model=PatrolTeam, target_action=USE, what="开始巡逻")
def start_patrol(*, actor, team: PatrolTeam, note: str = "") -> PatrolLog:
    team = PatrolTeam.objects.get(pk=getattr(team, "pk", team))
    if not team.is_active:
        raise invalid("team", "该巡逻队已注销")
    with transaction.atomic():
        log = PatrolLog.objects.create(team=team, region_id=team.region_id, started_at=clock.now(),
                                       patroller=actor if getattr(actor, "pk", None) else None,
                                       note=checks.text(note, "note", "巡逻情况", 500))
        audit.record(actor=actor, action="create", obj=log, after=audit.snapshot(log))
    return log


def _open_log(log) -> PatrolLog:
    log = PatrolLog.objects.select_for_update().get(pk=getattr(log, "pk", log))
    if log.ended_at is not None:
        raise invalid("log", "该次巡逻已结束")
    return log


@action(perm=PATROL_PERM, target="log", model=PatrolLog, what="巡逻打卡")
def check_in(*, actor, log: PatrolLog, point: str, finding: str = "", latitude: Any = None,
             longitude: Any = None, recorded_at: dt.datetime | None = None, gps_accuracy: Any = None) -> CheckIn:
    """A check-in at a point. ``at`` is when the server received it; ``recorded_at`` when the patroller
    checked in on the phone (a check-in kept offline arrives later; ``core.offline.check_recorded_at``
    rules) and ``gps_accuracy`` the phone's position accuracy in metres."""
    point = checks.text(point, "point", "打卡点", 128, required=True)
    finding = checks.text(finding, "finding", "发现情况", 500)
    lat, lng = check_location(latitude, longitude)
    now = clock.now()
    recorded = offline.check_recorded_at(recorded_at, now)
    accuracy = offline.check_accuracy(gps_accuracy)
    with transaction.atomic():
        log = PatrolLog.objects.select_for_update().get(pk=getattr(log, "pk", log))
        # A check-in made offline during the patrol may arrive after it was finished. (No rule against
        # the patrol's start: a phone's clock may be slow, and an online check-in then seems earlier.)
        if log.ended_at is not None and (recorded is None or recorded > log.ended_at):
            raise invalid("log", "该次巡逻已结束")
        c = CheckIn.objects.create(log=log, point=point, finding=finding, at=now, recorded_at=recorded,
                                   gps_accuracy=accuracy, latitude=lat, longitude=lng)
        audit.record(actor=actor, action="checkin", obj=log,
                     after={"point": point, "finding": finding,
                            "recorded_at": recorded.isoformat() if recorded else None})
    return c


@action(perm=PATROL_PERM, target="log", model=PatrolLog, what="巡逻发现转网格事件")
def report_finding(*, actor, log: PatrolLog, checkin: int, description: str = "") -> CheckIn:
    """One tap: a check-in's finding becomes a grid event (through the grid domain's registered
    reporter, ``workflow.registry.event_reporters``), placed where the patroller may report."""
    from anmin.workflow.registry import event_reporters

    if "grid" not in event_reporters:
        raise invalid(None, "网格事件模块未启用")
    with transaction.atomic():
        c = CheckIn.objects.select_for_update().filter(pk=getattr(checkin, "pk", checkin),
                                                       log_id=getattr(log, "pk", log)).first()
        if c is None:
            raise invalid("checkin", "该打卡记录不存在")
        if c.event_ref:
            raise invalid("checkin", f"已转为网格事件 {c.event_ref}")
        text = checks.text(description or c.finding, "description", "情况描述", 5000, required=True)
        where = Region.objects.reportable_by(actor).filter(code__startswith=c.log.region_id).first() \
            if not getattr(actor, "is_system", False) else c.log.region
        if where is None:
            raise invalid("checkin", "您不能在该巡逻队所在区划上报网格事件")
        event = event_reporters.get("grid").report(
            actor=actor, region=where, description=f"{c.point}：{text}", category="01", source="patrol",
            found_at=c.recorded_at or c.at)
        c.event_ref = event.case.number
        c.save(update_fields=["event_ref"])
        audit.record(actor=actor, action="finding", obj=c.log, after={"checkin": c.pk, "event": c.event_ref})
    return c


@action(perm=PATROL_PERM, target="log", model=PatrolLog, what="结束巡逻")
def finish_patrol(*, actor, log: PatrolLog, note: str = "") -> PatrolLog:
    with transaction.atomic():
        log = _open_log(log)
        log.ended_at = clock.now()
        if note:
            log.note = checks.text(note, "note", "巡逻情况", 500)
        log.save(update_fields=["ended_at", "note"])
        audit.record(actor=actor, action="update", obj=log, after={"ended_at": str(log.ended_at)})
    return log


# -- activity of the village police officer / legal adviser, and police activity by month ------------


@action(perm="prevention.add_liaisonactivity", target="liaison", model=Liaison, what="登记驻村工作")
def record_liaison_activity(*, actor, liaison: Liaison, kind: str, on: dt.date, people: int = 1,
                            note: str = "") -> LiaisonActivity:
    liaison = Liaison.objects.get(pk=getattr(liaison, "pk", liaison))
    if kind not in ActivityKind.values:
        raise invalid("kind", "「活动类型」无效")
    if on > clock.today():
        raise invalid("on", "「日期」不能晚于今天")
    if not 0 < int(people) <= 100000:
        raise invalid("people", "「涉及人数」须在 1–100000 之间")
    with transaction.atomic():
        a = LiaisonActivity.objects.create(liaison=liaison, region_id=liaison.region_id, kind=kind, on=on,
                                           people=int(people), note=checks.text(note, "note", "情况", 500))
        audit.record(actor=actor, action="create", obj=a, after=audit.snapshot(a))
    return a


POLICE_FIGURES = ("visits", "disputes_resolved", "suspects_caught", "people_served")


def _police_row(r: dict[str, Any], i: int) -> PoliceActivity:
    month = r["month"]
    if month.day != 1:
        month = month.replace(day=1)
    station = checks.text(r.get("station", ""), "station", "派出所", 64, required=True)
    figures = {}
    for f in POLICE_FIGURES:
        v = int(r.get(f) or 0)
        if not 0 <= v <= 10_000_000:
            raise Invalid(f"第 {i + 1} 条：数字超出范围", field=f)
        figures[f] = v
    return PoliceActivity(region_id=str(getattr(r["region"], "pk", r["region"])), station=station, month=month,
                          **figures)


@action(perm="prevention.add_policeactivity", region="region", what="填报警务活动月报")
def report_police_month(*, actor, region: Region, station: str, month: dt.date, **figures: int) -> PoliceActivity:
    if month > clock.today():
        raise invalid("month", "「月份」不能晚于本月")
    row = _police_row({"region": region, "station": station, "month": month, **figures}, 0)
    with transaction.atomic():
        if PoliceActivity.objects.filter(station=row.station, month=row.month).exists():
            raise invalid("month", f"{row.station} {row.month:%Y-%m} 的月报已填报")
        row.save()
        audit.record(actor=actor, action="create", obj=row, after=audit.snapshot(row))
    return row


@action(perm="prevention.add_policeactivity", what="导入警务活动月报")
def import_police_months(*, actor, records: Sequence[dict[str, Any]], note: str = "") -> int:
    rows = [_police_row(r, i) for i, r in enumerate(records)]
    for i, row in enumerate(rows):
        if not in_area(actor, row.region_id):
            raise Invalid(f"第 {i + 1} 条：「辖区」不在您的辖区内", field="region")
    with transaction.atomic():
        PoliceActivity.objects.bulk_create(rows, batch_size=1000)
        audit.record(actor=actor, action="import", object_type="prevention.policeactivity", object_id="",
                     after={"rows": len(rows)}, reason=note or "导入警务活动月报")
    return len(rows)


@action(perm="prevention.add_liaisonactivity", what="导入驻村工作记录")
def import_liaison_activities(*, actor, records: Sequence[dict[str, Any]], note: str = "") -> int:
    liaisons = Liaison.objects.in_bulk({getattr(r["liaison"], "pk", r["liaison"]) for r in records})
    rows = []
    for i, r in enumerate(records):
        li = liaisons.get(getattr(r["liaison"], "pk", r["liaison"]))
        if li is None or not in_area(actor, li.region_id) or r.get("kind") not in ActivityKind.values:
            raise Invalid(f"第 {i + 1} 条：驻村民警/法律顾问或活动类型无效", field="liaison")
        rows.append(LiaisonActivity(liaison=li, region_id=li.region_id, kind=r["kind"], on=r["on"],
                                    people=int(r.get("people") or 1), note=(r.get("note") or "")[:500]))
    with transaction.atomic():
        LiaisonActivity.objects.bulk_create(rows, batch_size=2000)
        audit.record(actor=actor, action="import", object_type="prevention.liaisonactivity", object_id="",
                     after={"rows": len(rows)}, reason=note or "导入驻村工作记录")
    return len(rows)
