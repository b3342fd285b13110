"""The offline field app (issue 17, docs/offline.md): what a phone keeps for work with no signal.

Apps register, the foundation serves:

- ``offline_sources`` — ``OfflineSource(key, label, build, perm, order, pick)``: a list the phone keeps
  (我的待办, the grid's residents, the patients due a follow-up …). ``build(user)`` must start from
  ``Model.objects.visible_to(user)`` and returns at most ``limit`` items, each a dict with ``title``,
  optional ``subtitle``, ``url`` and ``value`` (what a form's picker posts, e.g. a person's id).
- ``offline_pages`` — ``OfflinePage(key, url_name, perm)``: a page the phone keeps as it is (its HTML
  must hold no personal data: a report form with code tables and the worker's own grids).
- ``offline_forms`` — ``OfflineForm(key, label, template, context, perm, order)``: a form drawn on the
  offline workbench (``/offline/``) from the app's template; a ``<select data-offline-pick="<source>">``
  in it is filled on the phone from that source (so no personal data is in the cached HTML).

``build_data(user)`` is the JSON ``/offline/data.json`` answers; the phone encrypts it at rest.

A report made on a phone carries when the worker recorded it and how precise its position was:
``check_recorded_at`` and ``check_accuracy`` are the one rule for every domain's offline report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse

from . import checks, clock
from .errors import invalid
from .registry import Registry

# How long a report may wait in a phone's outbox (docs/offline.md; the idempotency keys live as long).
RECORDED_MAX_AGE = timedelta(days=30)
MAX_ACCURACY = 100_000  # metres


@dataclass(frozen=True)
class OfflineSource:
    key: str
    label: str
    build: Callable[..., list[dict]]  # build(user, limit=) -> items
    perm: str | tuple[str, ...] | None = None
    order: int = 100
    pick: bool = False  # the items are choices of an offline form, not a list to show

    def allowed(self, user) -> bool:
        return _allowed(user, self.perm)


@dataclass(frozen=True)
class OfflinePage:
    key: str
    url_name: str
    perm: str | tuple[str, ...] | None = None

    def allowed(self, user) -> bool:
        return _allowed(user, self.perm)


@dataclass(frozen=True)
class OfflineForm:
    key: str
    label: str
    template: str
    context: Callable[..., dict[str, Any]]  # context(user) -> template context
    perm: str | tuple[str, ...] | None = None
    order: int = 100

    def allowed(self, user) -> bool:
        return _allowed(user, self.perm)


def _allowed(user, perm) -> bool:
    if perm is None:
        return True
    return any(user.has_perm(p) for p in ((perm,) if isinstance(perm, str) else perm))


offline_sources: Registry[OfflineSource] = Registry("offline sources")
offline_pages: Registry[OfflinePage] = Registry("offline pages")
offline_forms: Registry[OfflineForm] = Registry("offline forms")

# Items per list: a phone keeps the worker's own grid, not a township.
LIMIT = 2000


def has_business_data(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.scope.prefixes)


def pages_for(user) -> list[str]:
    """The pages this user's phone keeps: the workbench and the offline-capable forms they may use."""
    urls = [reverse("core:offline")]
    urls += [reverse(p.url_name) for p in offline_pages if p.allowed(user)]
    return urls


def visible_forms(user) -> list[OfflineForm]:
    return sorted((f for f in offline_forms if f.allowed(user)), key=lambda f: (f.order, f.key))


def build_data(user) -> dict[str, Any]:
    """What the phone of ``user`` keeps: every list their permissions allow, each built from
    ``visible_to(user)``. Nothing for an account without business data."""
    now = clock.now()
    lists = []
    if has_business_data(user):
        for source in sorted(offline_sources, key=lambda s: (s.order, s.key)):
            if not source.allowed(user):
                continue
            items = source.build(user, limit=LIMIT)
            lists.append({"key": source.key, "label": str(source.label), "pick": source.pick,
                          "items": items[:LIMIT], "truncated": len(items) > LIMIT})
    return {
        "user": {"id": user.pk, "name": str(user)},
        "generated_at": now.isoformat(),
        # The phone adds this to its own clock so that a recorded time is on the business clock.
        "clock_shift_seconds": round(clock.shift().total_seconds()),
        "pages": pages_for(user),
        "lists": lists,
    }


def check_recorded_at(value: datetime | None, now: datetime, field: str = "recorded_at") -> datetime | None:
    """When the worker recorded a report on the phone (an offline one arrives later), by the business
    clock: not after now (with a phone's skew), not more than ``RECORDED_MAX_AGE`` ago."""
    return checks.moment(value, field, "记录时间", now=now, hint="（请检查手机时间）", max_age=RECORDED_MAX_AGE,
                         age_text=f" {RECORDED_MAX_AGE.days} 天前")


def check_accuracy(value: Any, field: str = "gps_accuracy") -> int | None:
    """The phone's position accuracy in whole metres (0 to ``MAX_ACCURACY``), or None."""
    if value in (None, ""):
        return None
    try:
        metres = round(float(value))
    except (TypeError, ValueError):
        raise invalid(field, "「定位精度」须为米数") from None
    if not 0 <= metres <= MAX_ACCURACY:
        raise invalid(field, f"「定位精度」应在 0 至 {MAX_ACCURACY} 米之间")
    return metres
