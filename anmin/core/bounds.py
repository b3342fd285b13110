"""Bounded input: one set of limits for every number, date and text the platform stores.

Forms, the API and the Excel imports each check what they read, but a limit forgotten in one of
them must not become a 500 for everyone who later reads the record (an amount of 1e30 that no
Decimal can hold, a count beyond the integer column, a registration date of 0001-01-01). So the
limits live here, once:

* ``check_instance(obj)`` — every business record is checked before it is saved (a ``pre_save``
  hook on the models of the Anmin apps): integers within their column, decimals within their
  ``max_digits``, text within ``max_length`` (and free text within ``TEXT_MAX``), dates within
  1949-10-01 … today + ``ANMIN_DATE_HORIZON_DAYS`` (birth dates from 1900). It raises ``Invalid``
  with a Chinese message naming the field and the limit, so actions, pages and the API answer 400.
  Single-line text loses bidirectional override characters (U+202A–U+202E, U+2066–U+2069), which
  can make a title read backwards.
* ``clean_line(value)``, ``text_limit_message(label, n)``, ``MAX_INT`` … for forms and serializers
  that want to say it before the action runs.
* ``normalise_id_number`` / ``normalise_phone`` — the one normalisation of personal numbers that
  forms, the API and the imports share (from ``core.protected``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save

from .errors import Invalid
from .protected.idnumbers import normalize_id_number as normalise_id_number
from .protected.phones import normalize_phone as normalise_phone

__all__ = ["MAX_INT", "MIN_DATE", "TEXT_MAX", "PastDayField", "check_instance", "clean_line", "normalise_id_number",
           "normalise_phone"]

MIN_DATE = dt.date(1949, 10, 1)
MIN_BIRTH_DATE = dt.date(1900, 1, 1)
MAX_INT = 2_147_483_647  # PostgreSQL integer
MAX_SMALL_INT = 32_767
MAX_BIG_INT = 9_223_372_036_854_775_807
TEXT_MAX = 20_000  # free text (descriptions, notes) without a max_length of its own
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

# Fields the platform writes itself (never user input) are not checked.
_SKIPPED_MODELS = frozenset({"core.auditentry", "core.idempotencykey", "core.heartbeat", "core.apitoken",
                             "core.loginthrottle", "core.clockshift", "core.attachment"})


def horizon_days() -> int:
    return int(getattr(settings, "ANMIN_DATE_HORIZON_DAYS", 3660))


def latest_date(today: dt.date | None = None) -> dt.date:
    from . import clock

    return (today or clock.today()) + dt.timedelta(days=horizon_days())


def clean_line(value: str) -> str:
    """A single line of text without bidirectional override characters."""
    return BIDI_CONTROLS.sub("", value)


def label_of(field) -> str:
    return str(getattr(field, "verbose_name", "") or field.name)


def text_limit_message(label: str, limit: int, actual: int | None = None) -> str:
    tail = f"（现为 {actual} 个）" if actual is not None else ""
    return f"「{label}」最多 {limit} 个字{tail}"


def number_limit_message(label: str, low, high) -> str:
    return f"「{label}」应在 {low} 至 {high} 之间"


def _int_range(field) -> tuple[int, int]:
    high = MAX_SMALL_INT if isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField) else (
        MAX_BIG_INT if isinstance(field, models.BigIntegerField | models.PositiveBigIntegerField) else MAX_INT)
    positive = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)
    low = 0 if isinstance(field, positive) else -high - 1
    return low, high


def decimal_ceiling(field: models.DecimalField) -> Decimal:
    whole = (field.max_digits or 30) - (field.decimal_places or 0)
    return Decimal(10) ** whole - Decimal(1).scaleb(-(field.decimal_places or 0))


class PastDayField(models.DateField):
    """A day something happened (a camera built, a report published, a household insured): not after
    the business date — where a plain date may lie up to ``ANMIN_DATE_HORIZON_DAYS`` ahead (a time
    limit, a planned day). Checked before every save (``check_instance``) and on the form
    (``formkit.PastDateField``, one submit tells it). A ``DateField`` for the schema and the
    migrations (it deconstructs as one)."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs

    def formfield(self, **kwargs):
        from .formkit import PastDateField

        return super().formfield(**{"form_class": PastDateField, **kwargs})


def date_range(field, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    from . import clock

    today = today or clock.today()
    low = MIN_BIRTH_DATE if "birth" in field.name else MIN_DATE
    return low, today if isinstance(field, PastDayField) else latest_date(today)


def field_errors(field, value, today: dt.date | None = None) -> list[str]:
    """Why ``value`` breaks the bounds of ``field`` (empty when it does not); ``today``: the business
    date, where the caller already has it."""
    if value is None or value == "":
        return []
    if isinstance(field, models.BooleanField | models.ForeignKey | models.AutoField | models.JSONField):
        return []
    if isinstance(field, models.IntegerField):
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            return [f"「{label_of(field)}」应为整数"]
        low, high = _int_range(field)
        return [] if low <= number <= high else [number_limit_message(label_of(field), low, high)]
    if isinstance(field, models.DecimalField):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return [f"「{label_of(field)}」应为数字"]
        ceiling = decimal_ceiling(field)
        if not number.is_finite() or abs(number) > ceiling:
            return [f"「{label_of(field)}」绝对值不能超过 {ceiling:,}"]
        return []
    if isinstance(field, models.DateTimeField):
        if not isinstance(value, dt.datetime):
            return []
        value = value.date()
    if isinstance(field, models.DateField):
        if not isinstance(value, dt.date):
            return []
        low, high = date_range(field, today)
        if isinstance(field, PastDayField) and value > high:
            return [f"「{label_of(field)}」不能晚于今天（{high:%Y-%m-%d}）"]
        return [] if low <= value <= high else [f"「{label_of(field)}」应在 {low:%Y-%m-%d} 至 {high:%Y-%m-%d} 之间"]
    if isinstance(field, models.CharField | models.TextField) and isinstance(value, str):
        limit = field.max_length or (TEXT_MAX if isinstance(field, models.TextField) else None)
        if limit is not None and len(value) > limit and not getattr(field, "protected", False):
            return [text_limit_message(label_of(field), limit, len(value))]
    return []


def _is_user_text(field) -> bool:
    from .protected.fields import BlindIndexField, ProtectedField

    return not isinstance(field, ProtectedField | BlindIndexField)


_NOT_BOUNDED = (models.BooleanField, models.ForeignKey, models.AutoField, models.JSONField)


@functools.cache
def _bounded_fields(model: type[models.Model]) -> tuple[tuple[models.Field, str, bool, int | None], ...]:
    """(field, attname, single-line text, text limit) of the model's fields ``check_instance`` looks
    at: every concrete field but relations, booleans, ids, JSON and protected values (``field_errors``
    passes those anyway) — worked out once per model, not for every save. The text limit is set for a
    text field (its ``max_length``, or ``TEXT_MAX`` for free text), whose check is then a length."""
    out = []
    for f in model._meta.concrete_fields:
        if not _is_user_text(f) or isinstance(f, _NOT_BOUNDED):
            continue
        text = isinstance(f, models.CharField | models.TextField) and not getattr(f, "protected", False)
        limit = (f.max_length or (TEXT_MAX if isinstance(f, models.TextField) else None)) if text else None
        out.append((f, f.attname, isinstance(f, models.CharField), limit))
    return tuple(out)


def check_instance(obj: models.Model) -> None:
    """Raise ``Invalid`` naming every field of ``obj`` that breaks its bounds; strip bidi override
    characters from its single-line text first."""
    from . import clock

    errors: dict[str, list[str]] = {}
    values = obj.__dict__
    today = None
    for field, attname, line, limit in _bounded_fields(type(obj)):
        value = values[attname] if attname in values else getattr(obj, attname, None)
        if value is None or value == "":
            continue
        if type(value) is str:
            if line and BIDI_CONTROLS.search(value):
                value = clean_line(value)
                setattr(obj, attname, value)
            if limit is not None:  # a text field: its length is all there is to check
                if len(value) > limit:
                    errors[field.name] = [text_limit_message(label_of(field), limit, len(value))]
                continue
        if today is None and isinstance(value, dt.date):
            today = clock.today()  # once a record, not once a date field
        problems = field_errors(field, value, today)
        if problems:
            errors[field.name] = problems
    if errors:
        raise Invalid(errors=errors)


@functools.cache
def _checked(sender) -> bool:
    meta = sender._meta
    if meta.label_lower in _SKIPPED_MODELS:
        return False
    labels = {app.rsplit(".", 1)[-1] for app in getattr(settings, "ANMIN_APPS", [])} | {"core"}
    return meta.app_label in labels


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or not _checked(sender):
        return
    check_instance(instance)


def connect_signals() -> None:
    pre_save.connect(_before_save, dispatch_uid="anmin.core.bounds.pre_save")
