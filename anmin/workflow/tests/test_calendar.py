"""Natural and working-day time limits, with China's 2020 and 2026 holidays as data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from anmin.workflow.calendar import Calendar, add_working_time, end_of_day, load_calendar
from anmin.workflow.definitions import NATURAL, WORKING
from anmin.workflow.models import Holiday

from .conftest import at

pytestmark = pytest.mark.django_db


def test_three_working_days_from_30_september_2020_end_on_12_october():
    # 10/1–10/8 National Day and Mid-Autumn off; Fri 10/9 (1), Sat 10/10 adjusted workday (2),
    # Sun 10/11 off, Mon 10/12 (3).
    assert add_working_time(at(2020, 9, 30, 10), 3) == end_of_day(date(2020, 10, 12))


def test_same_day_limit_on_a_holiday_runs_to_the_next_working_day():
    cal = load_calendar(WORKING)
    assert cal.deadline(at(2020, 10, 3, 9), 0) == end_of_day(date(2020, 10, 9))
    assert cal.deadline(at(2020, 10, 9, 9), 0) == end_of_day(date(2020, 10, 9))


def test_adjusted_working_days_count_and_the_extended_spring_festival_is_off():
    cal = load_calendar(WORKING)
    assert cal.is_working_day(date(2020, 9, 27))  # Sunday, worked for National Day
    assert cal.is_working_day(date(2020, 1, 19))  # Sunday, worked for the Spring Festival
    assert not cal.is_working_day(date(2020, 2, 1))  # the adjusted Saturday lapsed with the extension
    assert not cal.is_working_day(date(2020, 2, 2))
    assert cal.is_working_day(date(2020, 2, 3))
    assert cal.deadline(at(2020, 9, 26, 9), 1) == end_of_day(date(2020, 9, 27))


def test_2026_schedule_is_shipped():
    cal = load_calendar(WORKING)
    assert cal.is_working_day(date(2026, 2, 14))  # Saturday, worked
    assert not any(cal.is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert cal.is_working_day(date(2026, 10, 10))
    assert Holiday.objects.filter(date__year=2026, kind="holiday").count() == 33


def test_natural_days_count_every_day():
    cal = Calendar(NATURAL)
    assert cal.deadline(at(2020, 9, 30, 10), 3) == end_of_day(date(2020, 10, 3))
    assert cal.deadline(at(2020, 9, 30, 10), 0) == end_of_day(date(2020, 9, 30))


def test_elapsed_working_time_skips_days_off_and_advance_is_its_inverse():
    cal = load_calendar(WORKING)
    start, end = at(2020, 9, 30, 12), at(2020, 10, 9, 12)
    assert cal.elapsed(start, end) == timedelta(hours=24).total_seconds()  # 12h on 9/30 + 12h on 10/9
    assert cal.advance(start, cal.elapsed(start, end)) == end
    assert cal.warning_point(start, end, 0.5) == at(2020, 10, 1)  # half of the 24 counted hours


def test_a_year_without_holiday_data_falls_back_to_weekends():
    cal = Calendar(WORKING, {})
    assert cal.is_working_day(date(2031, 10, 1))  # a Wednesday; no data for 2031
    assert not cal.is_working_day(date(2031, 10, 4))
