"""Time limits in natural days or in working days (weekends and public holidays off, adjusted
working days on), with the holidays read from the ``Holiday`` table.

A limit of N days ends at the end (23:59:59 local time) of the N-th counted day after the start day;
0 days means the end of the same day (for working days: of the next working day if the start day is
off). Elapsed time for warnings and pauses is measured in the same calendar: in the working calendar
only the hours of working days count.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .definitions import NATURAL, WORKING
from .holidays import HOLIDAY, WORKDAY

log = logging.getLogger("anmin.workflow.calendar")
_warned_years: set[int] = set()
_MAX_DAYS_SCANNED = 3660


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)), timezone.get_default_timezone())


class Calendar:
    """A natural or working-day calendar. ``overrides`` maps dates to "holiday" or "workday"."""

    def __init__(self, kind: str = NATURAL, overrides: Mapping[date, str] | None = None):
        if kind not in (NATURAL, WORKING):
            raise ValueError(f"calendar must be {NATURAL!r} or {WORKING!r}, not {kind!r}")
        self.kind = kind
        self.overrides = dict(overrides or {})
        self._years = {d.year for d in self.overrides}

    @property
    def natural(self) -> bool:
        return self.kind == NATURAL

    def is_working_day(self, day: date) -> bool:
        if self.natural:
            return True
        kind = self.overrides.get(day)
        if kind == HOLIDAY:
            return False
        if kind == WORKDAY:
            return True
        if day.year not in self._years and day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning("workflow.calendar.no_holidays year=%s (weekends only)", day.year)
        return day.weekday() < 5

    def deadline(self, start: datetime, days: int) -> datetime:
        """The end of the ``days``-th counted day after the start day (0: the end of the start day)."""
        day = _local(start).date()
        if days <= 0:
            for _ in range(_MAX_DAYS_SCANNED):
                if self.is_working_day(day):
                    break
                day += timedelta(days=1)
            return end_of_day(day)
        counted = 0
        for _ in range(_MAX_DAYS_SCANNED):
            if counted >= days:
                break
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return end_of_day(day)

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Seconds between two moments that count in this calendar (0 if end is before start)."""
        if end <= start:
            return 0.0
        if self.natural:
            return (end - start).total_seconds()
        total = 0.0
        day = _local(start).date()
        last = _local(end).date()
        while day <= last:
            if self.is_working_day(day):
                lo = max(start, _midnight(day))
                hi = min(end, _midnight(day + timedelta(days=1)))
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total

    def advance(self, start: datetime, seconds: float) -> datetime:
        """The moment when ``seconds`` of counted time have passed after ``start``."""
        if self.natural:
            return start + timedelta(seconds=seconds)
        remaining = max(0.0, seconds)
        cursor = start
        for _ in range(_MAX_DAYS_SCANNED):
            day = _local(cursor).date()
            day_end = _midnight(day + timedelta(days=1))
            if self.is_working_day(day):
                available = (day_end - cursor).total_seconds()
                if remaining <= available:
                    return cursor + timedelta(seconds=remaining)
                remaining -= available
            cursor = day_end
        raise ValueError("time limit runs past the calendar's range")

    def warning_point(self, start: datetime, due: datetime, ratio: float) -> datetime:
        """When ``ratio`` of the time from start to due has passed (net of non-working time)."""
        return self.advance(start, self.elapsed(start, due) * ratio)


def load_calendar(kind: str = WORKING) -> Calendar:
    """The calendar with every holiday and adjusted working day in the database."""
    if kind == NATURAL:
        return Calendar(NATURAL)
    from .models import Holiday

    return Calendar(WORKING, dict(Holiday.objects.values_list("date", "kind")))


def add_working_time(start: datetime, days: int, *, calendar: Calendar | None = None) -> datetime:
    """The deadline ``days`` working days after ``start`` (see the module docstring)."""
    return (calendar or load_calendar(WORKING)).deadline(start, days)


def working_seconds_between(start: datetime, end: datetime, *, calendar: Calendar | None = None) -> float:
    return (calendar or load_calendar(WORKING)).elapsed(start, end)
