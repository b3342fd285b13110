"""Every write of the portal: what the public submits, and nothing else. The portal acts as the
platform (``SYSTEM``) through the owning domain's actions: a tip becomes a crackdown clue, an Open311
request a grid event."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from anmin.core import audit, clock
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel
from anmin.crackdown import actions as crackdown
from anmin.grid import actions as grid

from .models import Open311Key, Open311Request, Tip
from .privacy import LOCK_MINUTES, MAX_WRONG_PASSPHRASES, digest, new_receipt_code

TIP_CATEGORIES = {"mafia": "涉黑涉恶", "fraud": "电信诈骗", "safety": "治安隐患", "other": "其他"}
CLUE_CATEGORY = {"mafia": "evil", "fraud": "other", "safety": "other", "other": "other"}


def city() -> Region:
    """The platform's city (the tip line's clues are filed there; Open311's jurisdiction)."""
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
    if city is None:
        raise invalid("region", "平台尚未配置辖区")
    return city


@action(open_to="the public, anonymously: the portal's tip line (nothing identifying is stored)")
def submit_tip(*, actor, submit_key: str, category: str, text: str, passphrase: str, contact: str = "",
               files=()) -> tuple[Tip, str]:
    """A tip: a crackdown clue (source 网上举报) registered by the platform, its text and files sealed to
    the 扫黑办's key (``crackdown.register_tip``), and a receipt whose code is returned once (``""`` when
    the same submission was already registered: a retry). The passphrase the tipster chose is kept
    only as a slow hash (Django's password hasher)."""
    if not passphrase or not 8 <= len(passphrase) <= 128:
        raise invalid("passphrase", "「查询口令」须为8至128个字符")
    if category not in TIP_CATEGORIES:
        raise invalid("category", "「举报类别」无效")
    text = (text or "").strip()
    if len(text) < 10:
        raise invalid("text", "「举报内容」至少写10个字，说清楚什么人、在哪里、做了什么")
    if len(text) > 5000:
        raise invalid("text", "「举报内容」不能超过5000字")
    if not submit_key or len(submit_key) > 64:
        raise invalid("submit_key", "页面已过期，请刷新后重新提交")
    submit_hash = digest("tip|" + submit_key)
    existing = Tip.objects.filter(submit_hash=submit_hash).first()
    if existing is not None:
        return existing, ""
    code = new_receipt_code()
    today = clock.today()
    try:
        with transaction.atomic():
            clue = crackdown.register_tip(
                actor=actor, title=f"网上举报（{TIP_CATEGORIES[category]}）", region=city(), text=text,
                category=CLUE_CATEGORY[category], contact=contact, files=files)
            tip = Tip.objects.create(receipt_hash=digest(code), submit_hash=submit_hash, category=category,
                                     clue=clue, submitted_on=today, passphrase_hash=make_password(passphrase))
    except IntegrityError:  # the same submission, registered meanwhile
        return Tip.objects.get(submit_hash=submit_hash), ""
    return tip, code


WRONG = "回执码或口令不正确"


@action(open_to="the public, anonymously: whoever holds a receipt code (the passphrase is checked here)")
def open_receipt(*, actor, code: str, passphrase: str) -> Tip:
    """The tip behind a receipt code and its passphrase. Each wrong passphrase counts; the tenth locks
    the receipt for ``LOCK_MINUTES`` (even the right passphrase is refused meanwhile). A receipt made
    before passphrases existed opens with its code alone."""
    now = clock.now()
    with transaction.atomic():
        tip = Tip.objects.select_for_update().filter(receipt_hash=digest((code or "").strip())).first()
        if tip is None:
            raise invalid("code", WRONG)
        if tip.locked_until and tip.locked_until > now:
            minutes = max(1, int((tip.locked_until - now).total_seconds() // 60) + 1)
            raise invalid("code", f"口令错误次数过多，该回执已锁定，请约{minutes}分钟后再试")
        tip.locked_until = None  # a lock that has run out
        if not tip.passphrase_hash or check_password(passphrase or "", tip.passphrase_hash):
            if tip.failed_tries or tip.locked_until:
                tip.failed_tries, tip.locked_until = 0, None
                tip.save(update_fields=["failed_tries", "locked_until"])
            return tip
        tip.failed_tries += 1
        if tip.failed_tries >= MAX_WRONG_PASSPHRASES:
            tip.failed_tries, tip.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
        tip.save(update_fields=["failed_tries", "locked_until"])
    if tip.locked_until:
        raise invalid("code", f"口令连续错误{MAX_WRONG_PASSPHRASES}次，该回执已锁定{LOCK_MINUTES}分钟")
    raise invalid("passphrase", WRONG)


@action(open_to="the public, anonymously: the tipster, once open_receipt has checked the code and passphrase")
def answer_office(*, actor, tip: Tip, answer: str) -> Tip:
    """举报人补充: the tipster's answer to the office's questions (or more information), on the clue's
    timeline through the crackdown domain's action."""
    if tip.clue_id is None:
        raise invalid("answer", "这条举报尚未转为线索，暂不能补充")
    crackdown.add_reporter_answer(actor=actor, clue=tip.clue_id, answer=answer)
    return tip


# A request posted without an api_key is held: its grid event is made at once, but the poster gets a
# token, and the token names the request (and the request is listed) only once the centre accepted the
# event. States of the event's case in which a held request is still waiting, and in which it was refused.
HELD_STATES = ("reported", "returned")
REFUSED_STATES = ("rejected", "duplicate")


def request_token(req: Open311Request) -> str:
    """The token of a held request: derived from its id with the server's secret (a retry with the same
    Idempotency-Key gets the same token back); only its SHA-256 is stored."""
    return salted_hmac("anmin.portal.open311.token", str(req.pk), algorithm="sha256").hexdigest()[:40]


@action(open_to="the public: a citizen report through the Open311 endpoint (a grid event by the platform)")
def submit_open311(*, actor, key: str, service_code: str, description: str, address_id: str, lat=None, long=None,
                   address_string: str = "", photos=(), partner: Open311Key | None = None,
                   ) -> tuple[Open311Request, bool]:
    """An Open311 request: a grid event (source 群众反映) in the grid or village ``address_id``. A retry
    with the same key (from the same partner, or anonymously) returns the first request (``created``
    False). Without a ``partner`` the request is held (``token_hash``; see ``HELD_STATES``)."""
    scope = f"partner{partner.pk}|" if partner is not None else ""
    key_hash = digest(f"open311|{scope}{key}") if key else None
    if key_hash and (found := Open311Request.objects.filter(key_hash=key_hash).first()):
        return found, False
    region = Region.objects.filter(pk=(address_id or "").strip(), level__gte=RegionLevel.VILLAGE).first()
    if region is None:
        raise invalid("address_id", "address_id 须为村(社区)或网格的区划代码")
    with transaction.atomic():
        event = grid.report_event(actor=actor, category=service_code, region=region, description=description,
                                  address=address_string, latitude=lat, longitude=long, source="resident",
                                  photos=photos)
        req = Open311Request.objects.create(key_hash=key_hash, event=event, service_code=service_code,
                                            requested_on=clock.today(), partner=partner)
        if partner is None:
            req.token_hash = digest(request_token(req))
            req.save(update_fields=["token_hash"])
        elif partner.last_used_on != req.requested_on:
            Open311Key.objects.filter(pk=partner.pk).update(last_used_on=req.requested_on)
    return req, True


def released(qs):
    """Requests the public may see: a partner's, and held ones once accepted (not while waiting, not
    when refused)."""
    return qs.exclude(token_hash__isnull=False, event__case__status__in=HELD_STATES + REFUSED_STATES)


def resolve_token(token: str) -> tuple[Open311Request | None, str]:
    """The request behind a token and its state: ``accepted``, ``waiting``, ``refused``, or ``unknown``."""
    token = (token or "").strip()
    req = (Open311Request.objects.select_related("event__case").filter(token_hash=digest(token)).first()
           if token else None)
    if req is None:
        return None, "unknown"
    status = req.event.case.status
    if status in HELD_STATES:
        return req, "waiting"
    if status in REFUSED_STATES:
        return req, "refused"
    return req, "accepted"


# -- Partner apps' api_key -----------------------------------------------------------------------------
KEY_PREFIX = "o311_"


def find_key(api_key: str) -> Open311Key | None:
    """The active partner key ``api_key`` names, or None (unknown or revoked)."""
    api_key = (api_key or "").strip()
    if not api_key.startswith(KEY_PREFIX) or len(api_key) > 100:
        return None
    return Open311Key.objects.filter(key_hash=digest(api_key), revoked_at__isnull=True).first()


@action(open_to="the system administrator on the server: `anmin open311key create` (a management command)")
def create_open311_key(*, actor, name: str) -> tuple[Open311Key, str]:
    """A new partner key: returns the key (shown once) and the record (its hash and prefix only)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise invalid("name", "「应用名称」须为1至100个字符")
    if Open311Key.objects.filter(name=name).exists():
        raise invalid("name", f"已有名为「{name}」的合作应用密钥")
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = Open311Key.objects.create(name=name, prefix=plain[:12], key_hash=digest(plain), created_at=clock.now())
        audit.record(actor=actor, action="create", obj=key, after={"name": name, "prefix": key.prefix})
    return key, plain


@action(open_to="the system administrator: `anmin open311key revoke` or the admin's revoke action")
def revoke_open311_key(*, actor, key: Open311Key | str, request=None) -> Open311Key:
    """Revoke a partner key (by record, name or prefix): its posts are refused from now on (403)."""
    if not isinstance(key, Open311Key):
        key = (key or "").strip()
        if not key:
            raise invalid("key", "请给出合作应用名称或密钥前缀")
        found = list(Open311Key.objects.filter(name=key)) or list(Open311Key.objects.filter(prefix__startswith=key))
        if len(found) != 1:
            raise invalid("key", f"没有唯一名为或前缀为「{key}」的合作应用密钥")
        key = found[0]
    if key.revoked_at is not None:
        return key
    with transaction.atomic():
        key.revoked_at = clock.now()
        key.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="update", obj=key, before={"revoked": False}, after={"revoked": True},
                     request=request)
    return key
