"""Prevention's layers of the analytics map: cameras with their points (those off line, faulty or
being repaired first and drawn solid) and the villages short of an online crossing camera (the
coverage rule ``prevention.village_crossing_camera``) at their centres."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.workflow.kit import maps

from .coverage import VILLAGE_CROSSING
from .models import CameraStatus
from .registries import CAMERAS


def register() -> None:
    maps.register(
        maps.registry_layer(CAMERAS, key="prevention.cameras", label=_("视频监控点位"), colour="#2b8a3e",
                            order=40, attention=~Q(status=CameraStatus.ONLINE)),
        maps.gap_layer(VILLAGE_CROSSING, key="prevention.camera_gaps", label=_("视频监控覆盖缺口（村）"),
                       colour="#e03131", order=41),
    )
