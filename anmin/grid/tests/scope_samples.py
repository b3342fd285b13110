"""How the authorization matrix makes grid events and their photos in a region."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anmin.core.models import Role
from anmin.grid import actions
from anmin.grid.categories import load_categories
from anmin.grid.models import EventPhoto, GridEvent

ALL = {"own", "neighbour", "parent"}
OWN = {"own"}
NONE: set[str] = set()


def event_sample(region, world, photos=()) -> GridEvent:
    load_categories()
    return actions.report_event(actor=world.user(Role.CITY_OFFICE), region=region, category="04",
                                description=f"{region.name}村道垃圾堆放未清运", photos=photos)


def _tiny_jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("x.jpg", out.getvalue(), content_type="image/jpeg")


def photo_sample(region, world) -> EventPhoto:
    return event_sample(region, world, photos=[_tiny_jpeg()]).photos.get()


# City-wide roles see all; 古城镇 roles what lies in 古城镇 (a grid worker: their own grid, which is
# the "own" place); police what lies in their area; a department handler and a mediator only what
# is handed to them; the crackdown office has no grid events; 系统管理员 and 审计员 nothing.
EVENT_SEEN_BY = {
    Role.CITY_OFFICE: ALL,
    Role.LEADER: ALL,
    Role.CRACKDOWN: NONE,
    Role.DEPT_HANDLER: NONE,
    Role.TOWNSHIP_CENTER: OWN,
    Role.VILLAGE_CENTER: OWN,
    Role.GRID_WORKER: OWN,
    Role.MEDIATOR: NONE,
    Role.POLICE: OWN,
    Role.SYSADMIN: NONE,
    Role.AUDITOR: NONE,
}

SAMPLES = {
    GridEvent: (event_sample, EVENT_SEEN_BY),
    EventPhoto: (photo_sample, EVENT_SEEN_BY),
}
