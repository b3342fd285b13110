"""A read serializer's planned answer (core.serializing) is DRF's answer, field for field, in the
cases where reading straight would differ: a missing step, a missing related record, a method, a
date in another zone or naive, a format of its own, a mapping, a field that is skipped."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from rest_framework import serializers

from anmin.core.serializing import PlannedRead


class _Missing:
    @property
    def case(self):
        raise ObjectDoesNotExist("no case")


class Record:
    def __init__(self, **kw):
        self.__dict__.update(kw)

    def get_absolute_url(self):
        return f"/r/{self.pk}/"

    def needs(self, arg):  # DRF does not call a method that needs an argument
        return arg


class Fields(serializers.Serializer):
    pk = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="case.region.name", read_only=True)
    nullable = serializers.CharField(source="case.region.name", read_only=True, allow_null=True)
    defaulted = serializers.CharField(source="case.region.name", read_only=True, default="无")
    flag = serializers.BooleanField(source="case.open", read_only=True)
    when = serializers.DateTimeField(source="case.opened_at", read_only=True)
    day = serializers.DateTimeField(source="case.opened_at", read_only=True, format="%Y-%m-%d")
    there = serializers.DateTimeField(source="case.opened_at", read_only=True, default_timezone=ZoneInfo("UTC"))
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    needs = serializers.CharField(read_only=True)
    text = serializers.SerializerMethodField()
    amount = serializers.DecimalField(source="case.amount", max_digits=6, decimal_places=2, read_only=True)

    def get_text(self, obj) -> str:
        return f"#{obj.pk}"


class Planned(PlannedRead, Fields):
    pass


def _case(**kw):
    base = {"region": SimpleNamespace(name="古城镇"), "open": 1,
            "opened_at": dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC), "amount": "12.5"}
    return SimpleNamespace(**{**base, **kw})


RECORDS = [
    Record(pk=1, case=_case()),
    Record(pk=2, case=_case(region=None, open=0, opened_at=dt.datetime(2026, 3, 1, 8, 30), amount=None)),
    Record(pk=3, case=None),
    Record(pk=4, case=_case(opened_at=None, open=None)),
    Record(pk=5, case=_case(opened_at=dt.datetime(2026, 7, 1, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai")))),
]


def _both(instance):
    try:
        drf = Fields(instance).data
    except Exception as exc:
        with pytest.raises(type(exc)):
            _ = Planned(instance).data
        return None
    return drf, Planned(instance).data


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"record-{r.pk}")
def test_the_planned_answer_is_drfs(record):
    pair = _both(record)
    if pair is not None:
        drf, planned = pair
        assert planned == drf
        assert list(planned) == list(drf)  # the same fields, in the same order


def test_a_missing_related_record_is_null_as_drf_says():
    missing = Record(pk=6)
    missing.__class__ = type("WithMissingCase", (Record, _Missing), {})
    assert Planned(missing).data == Fields(missing).data
    assert Planned(missing).data["name"] is None


def test_dates_are_in_the_current_time_zone_and_utc_is_z():
    record = RECORDS[0]
    with timezone.override(ZoneInfo("Asia/Shanghai")):
        assert Planned(record).data["when"] == "2026-03-01T16:30:00+08:00" == Fields(record).data["when"]
    with timezone.override(ZoneInfo("UTC")):
        assert Planned(record).data["when"] == "2026-03-01T08:30:00Z" == Fields(record).data["when"]
    assert Planned(record).data["there"] == "2026-03-01T08:30:00Z"
    assert Planned(record).data["day"] == "2026-03-01"


def test_a_list_and_a_mapping_read_as_drf_reads_them():
    assert Planned(RECORDS, many=True).data == Fields(RECORDS, many=True).data
    mapping = {"pk": 7, "case": {"region": {"name": "花石镇"}, "open": True, "opened_at": None, "amount": "1"},
               "get_absolute_url": "/m/", "needs": "x"}

    class PlannedDict(PlannedRead, serializers.Serializer):
        pk = serializers.IntegerField(read_only=True)
        name = serializers.CharField(source="case.region.name", read_only=True)

    assert PlannedDict(mapping).data == {"pk": 7, "name": "花石镇"}
