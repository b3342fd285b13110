"""Telling people: 站内消息 written inside the action that caused them, delivered through pluggable
senders by a periodic task.

* ``notify(users=, orgs=, kind=, title=, key=, …)`` — call it inside the action's transaction: the
  messages exist exactly when the step does. ``key`` names the event ("case:42:assigned:7"); a person
  gets one message per key, so a rerun (of a sweep, a retried request) never repeats one.
* ``deliver(now=)`` — the periodic task ``core.notices``: every message not yet pushed goes through
  each sender of ``settings.ANMIN_NOTICE_SENDERS`` (default: the log), except during the quiet hours
  (``ANMIN_NOTICE_QUIET_HOURS``, default 22:00–07:00, local time), when they wait. Rows are claimed
  with ``select_for_update(skip_locked=True)`` and marked sent in the same transaction: two workers never
  push one message twice.
* A sender is a class with ``send(notice)``: ``LogSender`` (a log line without personal data),
  ``WebhookSender`` (企业微信 / 钉钉 group robots, which take the same kind of JSON post), or one of your
  own, e.g. an SMS gateway's client.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import scopecache
from .bulkcopy import build, copy_create
from .guards import action
from .models import Notice, User
from .principal import WHO
from .protected.masking import mask_identifiers_in_text

log = logging.getLogger("anmin.notices")


MEMBERS_SECONDS = 300


def _read_members(ids: list[int]) -> list[int]:
    return list(User.objects.filter(org_unit_id__in=ids, is_active=True, roles__isnull=False)
                .exclude(roles__scope="none").values_list("pk", flat=True).distinct())


def _members(org_ids: Iterable[int]) -> list[int]:
    """The people of these units who work with business data (not 系统管理员, 审计员) — kept in this
    process until a user, a role or a user's roles change (the generation ``principal.WHO``, as the
    signed-in user's facts): a step handed to a unit reads no member list."""
    ids = sorted({o for o in org_ids if o})
    if not ids:
        return []
    wrote, found = scopecache.remembered({WHO}, ("members", tuple(ids)), lambda: _read_members(ids))
    if wrote:  # this transaction changed people or roles: as they are now
        return found
    key = f"members:{','.join(map(str, ids))}:{scopecache.generations([WHO])[0]}"
    found = caches["default"].get(key)
    if found is None:
        found = _read_members(ids)
        caches["default"].set(key, found, MEMBERS_SECONDS)
    return found


def notify(*, kind: str, title: str, key: str, users: Iterable = (), orgs: Iterable = (), body: str = "",
           url: str = "", now: datetime | None = None) -> int:
    """Write one message to each person named (``users``) and each member of ``orgs`` (users or ids),
    once per ``key`` (a person who has the key's message already is skipped by the database: the
    constraint ``notice_once_per_event``). Returns how many people it addressed."""
    ids = {getattr(u, "pk", u) for u in users if u} | set(_members(getattr(o, "pk", o) for o in orgs))
    ids.discard(None)
    if not ids:
        return 0
    now = now or timezone.now()
    title, body = mask_identifiers_in_text(title)[:200], mask_identifiers_in_text(body)
    rows = [build(Notice, recipient_id=pk, kind=kind, title=title, body=body, url=url[:300], key=key[:120],
                  created_at=now) for pk in sorted(ids)]
    copy_create(rows, skip_conflicts=True)
    return len(rows)


class LogSender:
    """Writes a line per message to the log (no names, numbers or text: the kind and the ids)."""

    def send(self, notice: Notice) -> None:
        log.info("notice.sent id=%s recipient=%s kind=%s", notice.pk, notice.recipient_id, notice.kind)


class WebhookSender:
    """A 企业微信 or 钉钉 group robot: ``{"msgtype": "text", "text": {"content": …}}`` to its webhook URL
    (``settings.ANMIN_NOTICE_WEBHOOK_URL``). The content is the title and the link, never the body."""

    def __init__(self, url: str | None = None, timeout: float = 5.0) -> None:
        self.url = url or getattr(settings, "ANMIN_NOTICE_WEBHOOK_URL", "")
        self.timeout = timeout

    def send(self, notice: Notice) -> None:
        if not self.url.startswith(("https://", "http://")):
            return
        content = f"{notice.title}\n{settings.ANMIN_SITE_URL.rstrip('/')}{notice.url}" if notice.url else notice.title
        data = json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False).encode()
        req = urllib.request.Request(self.url, data=data,  # noqa: S310 - http(s) only, checked above
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=self.timeout):  # noqa: S310 - an administrator's configured URL
            pass


def senders() -> list:
    return [import_string(path)() for path in getattr(settings, "ANMIN_NOTICE_SENDERS",
                                                       ["anmin.core.notices.LogSender"])]


def quiet(now: datetime) -> bool:
    start, end = getattr(settings, "ANMIN_NOTICE_QUIET_HOURS", (22, 7))
    hour = timezone.localtime(now).hour
    return (start <= hour or hour < end) if start > end else start <= hour < end


def deliver(*, now: datetime | None = None, limit: int = 500) -> int:
    """Push the messages not pushed yet (outside the quiet hours). Returns how many went out."""
    now = now or timezone.now()
    if quiet(now):
        return 0
    out = senders()
    sent = 0
    with transaction.atomic():
        batch = list(Notice.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
                     .order_by("pk")[:limit])
        for notice in batch:
            for sender in out:
                try:
                    sender.send(notice)
                except Exception:  # a gateway down must not stop the others; the message stays on the site
                    log.warning("notice.send_failed id=%s sender=%s", notice.pk, type(sender).__name__, exc_info=True)
            sent += 1
        Notice.objects.filter(pk__in=[n.pk for n in batch]).update(sent_at=now)
    return sent


@action(target="notice", model=Notice, what="阅读消息")
def read_notice(*, actor, notice: Notice, now: datetime | None = None) -> Notice:
    """Mark one of the actor's messages read (its own; anyone else's is absent)."""
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now or timezone.now())
    notice.refresh_from_db()
    return notice


@action(open_to="the actor's own messages only (filtered by recipient inside)")
def read_all_notices(*, actor, now: datetime | None = None) -> int:
    return Notice.objects.filter(recipient=actor.pk, read_at__isnull=True).update(read_at=now or timezone.now())
