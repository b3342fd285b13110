"""How the authorization matrix makes grid events and their photos in a region."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anmin.core.models import Role
from anmin.core.testing.expect import seen_by
from anmin.grid import actions
from anmin.grid.categories import load_categories
from anmin.grid.models import EventPhoto, GridEvent


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


# By rule: who holds grid.view_gridevent sees the events in their jurisdiction (a grid worker: their
# own grid, the "own" place); a department handler and a mediator only what is handed to them.
EVENT_SEEN_BY = seen_by("grid.view_gridevent")

SAMPLES = {
    GridEvent: (event_sample, EVENT_SEEN_BY),
    EventPhoto: (photo_sample, EVENT_SEEN_BY),
}
