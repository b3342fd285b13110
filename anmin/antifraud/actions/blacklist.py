"""The blacklist (涉诈号码、账户、网址) and the public check the portal calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from anmin.core import audit, checks, clock
from anmin.core.errors import Conflict, invalid
from anmin.core.guards import action, in_area
from anmin.core.models import Region

from ..models import BlacklistEntry, EntryKind, FraudCase
from ..normalize import normalize
from . import common

ADD_PERM = "antifraud.add_blacklistentry"
CHANGE_PERM = "antifraud.change_blacklistentry"


@action(perm=ADD_PERM, region="region", region_label="登记单位所在区划", what="列入涉诈黑名单")
def add_blacklist_entry(*, actor, kind: str, value: str, source: str, region: Region | str,
                        fraud_case: FraudCase | None = None, listed_on: Any = None,
                        now: dt.datetime | None = None) -> BlacklistEntry:
    """List a confirmed number / account / link (normalised). Listing a known value again returns the
    existing entry (re-activated if it had been withdrawn)."""
    now = now or clock.now()
    if kind not in EntryKind.values:
        raise invalid("kind", "「类型」须为 phone（电话号码）、account（银行账户）或 url（网址）")
    normalized = common.normalized(kind, value, "value")
    if not normalized:
        raise invalid("value", "「号码/账户/网址」为必填项")
    source = checks.text(source, "source", "来源", 64, required=True)
    place = common.place(region, label="登记单位所在区划")
    today = timezone.localdate(now)
    if listed_on and listed_on > today:
        raise invalid("listed_on", "「列入日期」不能晚于今天")
    with transaction.atomic():
        entry, created = BlacklistEntry.objects.get_or_create(
            kind=kind, value=normalized,
            defaults={"source": source, "listed_on": listed_on or today, "region": place,
                      "fraud_case": fraud_case})
        if not created and not entry.is_active:
            entry.is_active, entry.withdrawn_at, entry.withdraw_reason = True, None, ""
            entry.save(update_fields=["is_active", "withdrawn_at", "withdraw_reason"])
        audit.record(actor=actor, action="create" if created else "update", obj=entry,
                     after={"kind": kind, "value": normalized, "source": source})
    return entry


def guess_kind(value: str) -> str:
    """What an office's list holds when it has no 类型 column: a phone if it reads as one, else a bank
    account if it is digits, else a link."""
    raw = str(value or "").strip()
    for kind in (EntryKind.PHONE, EntryKind.ACCOUNT, EntryKind.URL):
        try:
            normalize(kind, raw)
        except ValueError:
            continue
        return kind
    return ""


@action(perm=CHANGE_PERM, target="entry", model=BlacklistEntry, target_action="change", what="移出涉诈黑名单")
def withdraw_blacklist_entry(*, actor, entry: BlacklistEntry, reason: str) -> BlacklistEntry:
    """Take a value off the list (a number reassigned to someone else, an account found innocent): the
    public check no longer knows it; the entry stays, with who, when and why."""
    reason = checks.text(reason, "reason", "移出原因", 200, required=True)
    with transaction.atomic():
        locked = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
        if not locked.is_active:
            raise Conflict("该号码/账户/网址已移出黑名单", current={"is_active": False})
        locked.is_active, locked.withdrawn_at, locked.withdraw_reason = False, clock.now(), reason
        locked.save(update_fields=["is_active", "withdrawn_at", "withdraw_reason"])
        audit.record(actor=actor, action="update", obj=locked, reason=reason,
                     before={"is_active": True}, after={"is_active": False})
    return locked


@action(perm=ADD_PERM, what="导入涉诈黑名单")
def import_blacklist(rows: Sequence[BlacklistEntry], *, actor, note: str = "") -> int:
    """Entries from an Excel list (normalised, checked by the ledger): new values are listed, values
    withdrawn before are listed again, values already on the list are left as they are. One audit entry."""
    for row in rows:
        if not in_area(actor, row.region_id):
            raise invalid("region", f"「登记单位所在区划」{row.region_id} 不在您的辖区内")
    wanted = {(r.kind, r.value): r for r in rows}  # a value twice in the list: once
    with transaction.atomic():
        kept = {(e.kind, e.value): e for e in BlacklistEntry.objects.select_for_update()
                .filter(value__in={v for _k, v in wanted})}
        new = [r for key, r in wanted.items() if key not in kept]
        again = [e.pk for key, e in kept.items() if key in wanted and not e.is_active]
        BlacklistEntry.objects.bulk_create(new, batch_size=1000)
        BlacklistEntry.objects.filter(pk__in=again).update(is_active=True, withdrawn_at=None, withdraw_reason="")
        listed = len(new) + len(again)
        audit.record(actor=actor, action="import", object_type="antifraud.blacklistentry", reason=note,
                     after={"rows": len(rows), "listed": listed})
    return listed


def public_check(kind: str, value: str) -> dict[str, Any]:
    """Is this number / account / link known to be fraudulent? Answers only ``known`` (and the value
    as normalised, so the asker sees what was checked) — never who listed it, when or why. A malformed
    value raises ``Invalid`` with a Chinese message. Reads nothing personal and writes nothing."""
    if kind not in EntryKind.values:
        raise invalid("kind", "「类型」须为 phone（电话号码）、account（银行账户）或 url（网址）")
    normalized = common.normalized(kind, value, "value")
    if not normalized:
        raise invalid("value", "请填写要查询的号码、账户或网址")
    known = BlacklistEntry.objects.filter(kind=kind, value=normalized, is_active=True).exists()
    if not known and kind == EntryKind.URL and "/" in normalized:  # a listed host covers its pages
        known = BlacklistEntry.objects.filter(kind=kind, value=normalized.split("/", 1)[0], is_active=True).exists()
    return {"kind": kind, "checked": normalized, "known": known,
            "advice": "该号码/账户/网址已被确认涉嫌诈骗，请立即停止联系和转账，如已转账请拨打110报警。" if known
            else "暂未发现涉诈记录，但这不代表安全：凡是要求转账、刷单、提供验证码的，一律是诈骗。"}
