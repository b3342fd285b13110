"""走访随访 as a grid worker opens it on a world whose business clock stands behind the real one (the
demo: 2020-12-10 09:00 while the wall clock says mid-afternoon): the form's own 走访时间 is accepted."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from anmin.core import clock
from anmin.core.models import Role

from ..models import Visit
from .factories import make_patient

REAL_NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 15, 30))


def test_saving_the_visit_form_as_opened_records_the_visit_at_the_business_time(client, world, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: REAL_NOW)
    clock.set_business_time(timezone.make_aware(dt.datetime(2020, 12, 10, 9, 0)))
    try:
        patient = make_patient(world.gc_grid, level=3, registered_on=dt.date(2020, 11, 1))
        client.force_login(world.user(Role.GRID_WORKER))
        url = f"/care/persons/{patient.person_id}/visit/"
        page = client.get(url).content.decode()
        shown = re.search(r'name="visited_at"[^>]*value="([^"]+)"', page).group(1)
        assert shown == "2020-12-10T09:00"  # not 2020-12-10T15:30, "later than now"
        response = client.post(url, {"visited_at": shown, "method": "in_person", "outcome": "seen"})
        assert response.status_code == 302, re.findall(r"走访时间[^<]*", response.content.decode())
        visit = Visit.objects.get(person=patient.person)
        assert timezone.localtime(visit.visited_at).strftime("%Y-%m-%d %H:%M") == "2020-12-10 09:00"
    finally:
        clock.set_business_time(None)
