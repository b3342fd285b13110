"""The platform's date for the people registers and the registries built on them."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings

from anmin.core import clock


def today() -> dt.date:
    """The platform's date: ``settings.ANMIN_TODAY`` or the environment variable ``ANMIN_TODAY`` (an
    ISO date, one process frozen on one day), else the business clock's date (``core.clock``). Every schedule
    computation takes its date from here or from its caller."""
    fixed = getattr(settings, "ANMIN_TODAY", None) or os.environ.get("ANMIN_TODAY")
    if fixed:
        return fixed if isinstance(fixed, dt.date) else dt.date.fromisoformat(str(fixed))
    return clock.today()
