"""How the authorization matrix makes the prevention registries' records in a region (directly: the
``parent`` placement is the city itself, coarser than a registry accepts through its actions)."""

import datetime as dt

from anmin.core.models import Role
from anmin.core.testing import expect
from anmin.prevention import actions
from anmin.prevention.models import (
    Camera,
    CameraRepair,
    CheckIn,
    Liaison,
    LiaisonActivity,
    PatrolLog,
    PatrolMember,
    PatrolTeam,
    PlannedPoint,
    Platform,
    PoliceActivity,
)


def camera(region, world):
    return Camera.objects.create(region=region, name=f"{region.name}路口", programme="township")


def platform(region, world):
    return Platform.objects.create(region=region, name=f"{region.name}监控平台")


def point(region, world):
    return PlannedPoint.objects.create(region=region, name=f"{region.name}布点")


def team(region, world):
    return PatrolTeam.objects.create(region=region, name=f"{region.name}巡逻队", kind="village")


def member(region, world):
    return PatrolMember.objects.create(region=region, team=team(region, world), name="张三")


def liaison(region, world):
    return Liaison.objects.create(region=region, kind="police", name="李警官")


def patrol(region, world):
    return PatrolLog.objects.create(team=team(region, world), region=region)


def checkin(region, world):
    return CheckIn.objects.create(log=patrol(region, world), point=f"{region.name}村口")


def activity(region, world):
    return LiaisonActivity.objects.create(liaison=liaison(region, world), region=region, kind="visit",
                                          on=dt.date(2020, 5, 1))


def police_month(region, world):
    return PoliceActivity.objects.create(region=region, station=f"{region.code}派出所", month=dt.date(2020, 5, 1),
                                         visits=10)


def repair(region, world):
    """A camera reported faulty opens its repair case (kind WX) through the registry's status action."""
    cam = camera(region, world)
    actions.set_camera_status(actor=world.user(Role.CITY_OFFICE), record=cam, expected_version=cam.version,
                              status="fault", note="画面黑屏")
    return CameraRepair.objects.get(camera=cam)


SAMPLES = {
    CameraRepair: (repair, expect.seen_by("prevention.view_camerarepair")),
    PatrolLog: (patrol, expect.seen_by("prevention.view_patrollog")),
    CheckIn: (checkin, expect.seen_by("prevention.view_patrollog")),
    LiaisonActivity: (activity, expect.seen_by("prevention.view_liaisonactivity")),
    PoliceActivity: (police_month, expect.seen_by("prevention.view_policeactivity")),
    Camera: (camera, expect.seen_by("prevention.view_camera")),
    Platform: (platform, expect.seen_by("prevention.view_platform")),
    PlannedPoint: (point, expect.seen_by("prevention.view_plannedpoint")),
    PatrolTeam: (team, expect.seen_by("prevention.view_patrolteam")),
    PatrolMember: (member, expect.seen_by("prevention.view_patrolmember")),
    Liaison: (liaison, expect.seen_by("prevention.view_liaison")),
}
