"""How the authorization matrix makes the prevention registries' records in a region (directly: the
``parent`` placement is the city itself, coarser than a registry accepts through its actions)."""

from anmin.core.testing import expect
from anmin.prevention.models import Camera, Liaison, PatrolMember, PatrolTeam, PlannedPoint, Platform


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


SAMPLES = {
    Camera: (camera, expect.seen_by("prevention.view_camera")),
    Platform: (platform, expect.seen_by("prevention.view_platform")),
    PlannedPoint: (point, expect.seen_by("prevention.view_plannedpoint")),
    PatrolTeam: (team, expect.seen_by("prevention.view_patrolteam")),
    PatrolMember: (member, expect.seen_by("prevention.view_patrolmember")),
    Liaison: (liaison, expect.seen_by("prevention.view_liaison")),
}
