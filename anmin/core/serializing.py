"""A read serializer's answer by a plan made once per serializer: the plain fields read straight.

DRF writes each field of each record through ``Field.get_attribute`` (a walk of the source, checking at
every step whether the value is a callable to call or a mapping to index) and ``to_representation``:
about ten Python calls a field, 1,350 fields for a list of 50 records — a third of a grid worker's
list. ``PlannedRead.to_representation`` gives the same answer: a read-only field of
``rest_framework.fields`` whose source is a dotted path is read with one ``attrgetter`` and converted
by its own ``to_representation`` (a ``CharField`` by ``str``, an ``IntegerField`` by ``int``, an ISO
date and time in the time zone read once a record, as theirs do); a source ending in a method DRF would
call (``get_absolute_url``) is called. Every other field (a nested serializer, a relation, a method
field), and a plain field whose path meets a mapping, a missing value or a missing related record,
goes the way DRF goes (``Field.get_attribute``: its default, ``allow_null`` and ``SkipField`` rules).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from datetime import datetime
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import ISO_8601
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.serializers import ListSerializer
from rest_framework.settings import api_settings

from . import clock, codes
from .i18n import one_language, one_zone, zone

# Exactly these classes (a subclass may convert differently): the conversion of their
# ``to_representation`` for a value that is not None.
_PLAIN: dict[type, Callable[[Any], Any]] = {
    drf_fields.CharField: str,
    drf_fields.IntegerField: int,
}
# A ``DateTimeField`` written as ISO 8601 in the current time zone (read once a record, not once a field).
_ISO = object()
# Methods a source ends in, by function: whether DRF calls them (no required arguments).
_SIMPLE: dict[Any, bool] = {}


def _plain_getter(field) -> tuple[Callable[[Any], Any], Any] | None:
    if (type(field).__module__ != drf_fields.__name__ or type(field).get_attribute is not drf_fields.Field.get_attribute
            or not field.read_only or field.source == "*"):
        return None  # e.g. ``ModelField`` reads the record itself
    if not all(part.isidentifier() for part in field.source_attrs):
        return None
    convert = _PLAIN.get(type(field), field.to_representation)
    if (type(field) is drf_fields.DateTimeField and "format" not in field.__dict__ and "timezone" not in field.__dict__
            and api_settings.DATETIME_FORMAT == ISO_8601 and settings.USE_TZ):
        convert = _ISO
    return attrgetter(".".join(field.source_attrs)), convert


def _iso(value, tz) -> str | None:
    """``DateTimeField.to_representation`` of an aware datetime (None for anything else)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return None
    try:
        text = value.astimezone(tz).isoformat()
    except OverflowError:
        return None
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _simple_method(value) -> bool:
    """Whether DRF would call ``value`` (a bound method taking no arguments), remembered by function."""
    func = getattr(value, "__func__", None)
    if func is None or not inspect.ismethod(value):
        return False
    simple = _SIMPLE.get(func)
    if simple is None:
        simple = _SIMPLE[func] = drf_fields.is_simple_callable(value)
    return simple


def _slow(field, instance, ret: dict) -> None:
    """One field the way ``Serializer.to_representation`` writes it."""
    try:
        attribute = field.get_attribute(instance)
    except SkipField:
        return
    check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    ret[field.field_name] = None if check_for_none is None else field.to_representation(attribute)


class PlannedList(ListSerializer):
    """A list of planned records: the language, the time zone, each code table's names and the moment
    (a record's time-limit state) read once for the list, not record by record (a state's label, a
    category's name: 1,000 of a 50-record list's 31,000 Python calls), as a ledger page's rows do
    (``core.tables.Table.rows_html``)."""

    def to_representation(self, data):
        with one_language(), one_zone(), codes.held(), clock.one_moment():
            return super().to_representation(data)


class PlannedRead:
    """Mix into a ``Serializer`` whose answers are read often (a list's records). Its lists are
    ``PlannedList`` unless its ``Meta`` names another."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = getattr(cls, "Meta", None)
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            meta.list_serializer_class = PlannedList

    def _read_plan(self) -> list[tuple[Any, Any, Any]]:
        plan = self.__dict__.get("_anmin_read_plan")
        if plan is None:
            plan = []
            for field in self._readable_fields:
                plain = _plain_getter(field)
                plan.append((field, *(plain or (None, None))))
            self._anmin_read_plan = plan
        return plan

    def to_representation(self, instance):
        if isinstance(instance, Mapping):  # DRF indexes a mapping; the plan reads attributes
            return super().to_representation(instance)
        ret: dict[str, Any] = {}
        tz = None
        for field, getter, convert in self._read_plan():
            if getter is None:
                _slow(field, instance, ret)
                continue
            try:
                value = getter(instance)
            except (AttributeError, ObjectDoesNotExist):
                _slow(field, instance, ret)  # a missing step: DRF's rules (default, null, skip)
                continue
            if callable(value):
                if not _simple_method(value):
                    _slow(field, instance, ret)
                    continue
                value = value()  # DRF calls a method without arguments (``get_absolute_url``)
            if value is None:
                ret[field.field_name] = None
            elif convert is _ISO:
                if tz is None:
                    tz = zone()
                text = _iso(value, tz)
                ret[field.field_name] = text if text is not None else field.to_representation(value)
            else:
                ret[field.field_name] = convert(value)
        return ret
