"""Every write of the portal: what the public submits, and nothing else. The portal acts as the
platform (``SYSTEM``) through the owning domain's actions: a tip becomes a crackdown clue, an Open311
request a grid event."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from anmin.core import clock
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel
from anmin.crackdown import actions as crackdown
from anmin.grid import actions as grid

from .models import Open311Request, Tip
from .privacy import digest, new_receipt_code

TIP_CATEGORIES = {"mafia": "涉黑涉恶", "fraud": "电信诈骗", "safety": "治安隐患", "other": "其他"}
CLUE_CATEGORY = {"mafia": "evil", "fraud": "other", "safety": "other", "other": "other"}


def _city() -> Region:
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
    if city is None:
        raise invalid("region", "平台尚未配置辖区")
    return city


@action(open_to="the public, anonymously: the portal's tip line (nothing identifying is stored)")
def submit_tip(*, actor, submit_key: str, category: str, text: str, contact: str = "") -> tuple[Tip, str]:
    """A tip: a crackdown clue (source 网上举报) registered by the platform, and a receipt whose code is
    returned once (``""`` when the same submission was already registered: a retry)."""
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
            clue = crackdown.register_clue(
                actor=actor, title=f"网上举报（{TIP_CATEGORIES[category]}）", region=_city(), description=text,
                source="online", category=CLUE_CATEGORY[category], reporter_contact=contact)
            tip = Tip.objects.create(receipt_hash=digest(code), submit_hash=submit_hash, category=category,
                                     clue=clue, submitted_on=today)
    except IntegrityError:  # the same submission, registered meanwhile
        return Tip.objects.get(submit_hash=submit_hash), ""
    return tip, code


@action(open_to="the public: a citizen report through the Open311 endpoint (a grid event by the platform)")
def submit_open311(*, actor, key: str, service_code: str, description: str, address_id: str, lat=None, long=None,
                   address_string: str = "", photos=()) -> tuple[Open311Request, bool]:
    """An Open311 request: a grid event (source 群众反映) in the grid or village ``address_id``. A retry
    with the same key returns the first request (``created`` False)."""
    key_hash = digest("open311|" + key) if key else None
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
                                            requested_on=clock.today())
    return req, True
