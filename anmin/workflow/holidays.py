"""China's public holidays and adjusted working days (调休上班), as published by the State Council.

Loaded into the ``Holiday`` table by a data migration and by ``load_holidays()``; an administrator
adds later years in the admin (系统管理 → 节假日). Sources:
  2020: 国办发明电〔2019〕16号, with the Spring Festival extended to 2 February by 国办发明电〔2020〕1号
        (work resumed on Monday 3 February, so the adjusted working day of Saturday 1 February lapsed);
  2026: 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025).
"""

from __future__ import annotations

from datetime import date, timedelta

HOLIDAY = "holiday"
WORKDAY = "workday"


def _span(first: date, last: date, name: str) -> list[tuple[date, str, str]]:
    days = (last - first).days
    return [(first + timedelta(days=i), HOLIDAY, name) for i in range(days + 1)]


def _work(day: date, name: str) -> tuple[date, str, str]:
    return (day, WORKDAY, f"{name}调休上班")


D = date
HOLIDAYS: dict[int, list[tuple[date, str, str]]] = {
    2020: [
        *_span(D(2020, 1, 1), D(2020, 1, 1), "元旦"),
        _work(D(2020, 1, 19), "春节"),
        *_span(D(2020, 1, 24), D(2020, 2, 2), "春节"),  # 1/31–2/2: extended for COVID-19
        *_span(D(2020, 4, 4), D(2020, 4, 6), "清明节"),
        _work(D(2020, 4, 26), "劳动节"),
        *_span(D(2020, 5, 1), D(2020, 5, 5), "劳动节"),
        _work(D(2020, 5, 9), "劳动节"),
        *_span(D(2020, 6, 25), D(2020, 6, 27), "端午节"),
        _work(D(2020, 6, 28), "端午节"),
        _work(D(2020, 9, 27), "国庆节、中秋节"),
        *_span(D(2020, 10, 1), D(2020, 10, 8), "国庆节、中秋节"),
        _work(D(2020, 10, 10), "国庆节、中秋节"),
    ],
    2026: [
        *_span(D(2026, 1, 1), D(2026, 1, 3), "元旦"),
        _work(D(2026, 1, 4), "元旦"),
        _work(D(2026, 2, 14), "春节"),
        *_span(D(2026, 2, 15), D(2026, 2, 23), "春节"),
        _work(D(2026, 2, 28), "春节"),
        *_span(D(2026, 4, 4), D(2026, 4, 6), "清明节"),
        *_span(D(2026, 5, 1), D(2026, 5, 5), "劳动节"),
        _work(D(2026, 5, 9), "劳动节"),
        *_span(D(2026, 6, 19), D(2026, 6, 21), "端午节"),
        _work(D(2026, 9, 20), "国庆节"),
        *_span(D(2026, 9, 25), D(2026, 9, 27), "中秋节"),
        *_span(D(2026, 10, 1), D(2026, 10, 7), "国庆节"),
        _work(D(2026, 10, 10), "国庆节"),
    ],
}


def load_holidays(holiday_model=None, years=None) -> int:
    """Insert the shipped years into the Holiday table (existing dates are left as they are)."""
    if holiday_model is None:
        from .models import Holiday as holiday_model
    existing = set(holiday_model.objects.values_list("date", flat=True))
    rows = [
        holiday_model(date=day, kind=kind, name=name)
        for year, entries in HOLIDAYS.items()
        if years is None or year in years
        for day, kind, name in entries
        if day not in existing
    ]
    holiday_model.objects.bulk_create(rows)
    return len(rows)


def ensure_holidays() -> int:
    """The shipped years when the table is empty (a new or flushed database: after every migrate and
    every test flush); a table an administrator has edited is left as it is."""
    from .models import Holiday

    return 0 if Holiday.objects.exists() else load_holidays(Holiday)
