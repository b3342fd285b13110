"""站内消息 from the case engine: a case handed to a unit tells its people, the sweep's warning and
overdue tell whose move it is — once, however often the sweep runs — and the configured sender pushes
each message once, never during the quiet hours."""

from __future__ import annotations

import pytest

from anmin.core import notices
from anmin.core.models import Notice, Role
from anmin.workflow.actions import sweep

from .conftest import assigned, at, step


class Recorder:
    sent: list[int] = []

    def send(self, notice):
        Recorder.sent.append(notice.pk)


@pytest.fixture
def recorder(settings):
    settings.ANMIN_NOTICE_SENDERS = ["anmin.workflow.tests.test_notices.Recorder"]
    settings.ANMIN_NOTICE_QUIET_HOURS = (22, 7)
    Recorder.sent = []
    return Recorder


def test_a_case_handed_to_a_unit_tells_its_people(world):
    case = assigned(world)  # handed to 市教育局
    teacher = world.user(Role.DEPT_HANDLER)
    mine = Notice.objects.visible_to(teacher)
    assert [n.kind for n in mine] == ["assigned"]
    assert case.number in mine.get().title
    assert not Notice.objects.visible_to(world.user(Role.CITY_OFFICE)).exists()  # only the recipient's


def test_a_warning_sends_one_notice_and_a_second_sweep_sends_none(world, recorder):
    case = assigned(world, now=at(2020, 12, 1, 9))  # due at the end of 12-04; warned at 75%
    teacher = world.user(Role.DEPT_HANDLER)
    before = Notice.objects.visible_to(teacher).count()
    assert sweep(now=at(2020, 12, 4, 9)).warned == [case.number]
    warned = Notice.objects.visible_to(teacher).filter(kind="warning")
    assert warned.count() == 1
    assert notices.deliver(now=at(2020, 12, 4, 9, 5)) == before + 1
    assert warned.get().pk in recorder.sent
    sweep(now=at(2020, 12, 4, 9, 30))
    assert notices.deliver(now=at(2020, 12, 4, 9, 35)) == 0
    assert Notice.objects.visible_to(teacher).filter(kind="warning").count() == 1


def test_overdue_and_supervised_reach_the_unit_and_nothing_is_pushed_at_night(world, recorder):
    case = assigned(world, now=at(2020, 12, 1, 9))
    sweep(now=at(2020, 12, 5, 0, 30))
    teacher = world.user(Role.DEPT_HANDLER)
    assert Notice.objects.visible_to(teacher).filter(kind="supervised", title__contains=case.number).count() == 1
    assert notices.deliver(now=at(2020, 12, 5, 0, 35)) == 0  # quiet hours: they wait
    assert notices.deliver(now=at(2020, 12, 5, 8, 0)) >= 1


def test_a_returned_report_tells_its_reporter_and_reading_it_clears_the_count(client, world):
    from .conftest import open_task

    case = open_task(world)
    step(case, world.user(Role.TOWNSHIP_CENTER), "return", reason="请补充现场照片")
    reporter = world.user(Role.GRID_WORKER)
    notice = Notice.objects.visible_to(reporter).get(kind="returned")
    client.force_login(reporter)
    assert 'data-notices="1"' in client.get("/").content.decode()
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "请补充现场照片" in page
    assert 'data-notices="0"' in client.get("/").content.decode()
    other = world.user(Role.VILLAGE_CENTER)
    client.force_login(other)
    assert client.get(notice.get_absolute_url()).status_code == 404
