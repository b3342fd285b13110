"""Every write of the campus domain: schools and 护学岗 posts (the registry kit's actions), the
五个100% check of a term, check-ins, incidents around schools. Bulk writes (a ledger import, the demo
world) go through the ``import_*`` actions: every row checked and inside the actor's jurisdiction,
one audit entry per call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction

from anmin.core import audit, clock
from anmin.core.errors import Conflict, invalid
from anmin.core.guards import action
from anmin.workflow.kit.record_edit import record_update
from anmin.workflow.kit.record_ledgers import bulk_records

from .coverage import five_items, term_label
from .models import CampusIncident, GuardCheckin, GuardPost, SafetyCheck, School
from .registries import POSTS, SCHOOLS

# The registries' own actions (the kit): create, update (version check), status, retire, bulk import.
create_school, update_school, set_school_status, retire_school, import_schools = SCHOOLS.actions()
create_post, update_post, set_post_status, retire_post, import_posts = POSTS.actions()

TERM = re.compile(r"^20\d\d-[12]$")



def clean_items(items) -> list[str]:
    codes = [c for c, _n in five_items()]
    items = [str(i).strip() for i in (items or []) if str(i).strip()]
    unknown = [i for i in items if i not in codes]
    if unknown:
        raise invalid("items", f"「达标项目」{'、'.join(unknown)} 不在五个100%项目中")
    return [c for c in codes if c in items]


def check_safety(c: SafetyCheck) -> None:
    if not TERM.match(c.term or ""):
        raise invalid("term", "「学期」格式为 2020-1（春季）或 2020-2（秋季）")
    c.items = clean_items(c.items)


@action(perm="campus.add_safetycheck", what="导入五个100%检查")
def import_checks(rows: Sequence[SafetyCheck], *, actor, note: str = "") -> int:
    for row in rows:
        row.region_id = row.region_id or row.school.region_id
    return len(bulk_records(SafetyCheck, rows, actor=actor, note=note, check=check_safety))


@action(perm="campus.add_safetycheck", target="school", model=School, what="登记五个100%检查")
def record_check(*, actor, school: School, term: str, items, checked_on: date | None = None, checked_by: str = "",
                 note: str = "", expected_version: int | None = None) -> SafetyCheck:
    """The check of a school in a term: creates it, or (with the version) changes the items met."""
    row = SafetyCheck(school=school, region_id=school.region_id, term=(term or "").strip(), items=items,
                      checked_on=checked_on or clock.today(), checked_by=checked_by, note=note)
    check_safety(row)
    with transaction.atomic():
        existing = SafetyCheck.objects.select_for_update().filter(school=school, term=row.term).first()
        if existing is None:
            row.save()
            audit.record(actor=actor, action="create", obj=row, after=audit.snapshot(row))
            return row
        current = {"id": existing.pk, "version": existing.version, "items": existing.items}
        if expected_version is None:  # a new form for a school and term already checked
            raise Conflict(f"{school.name}{term_label(row.term)}的检查已登记（检查日期 {existing.checked_on}），"
                           "您的内容未保存。请在五个100%检查台账中点该校该学期的「修改」，在已登记的内容上修改",
                           current=current)
        if existing.version != expected_version:
            raise Conflict(f"{school.name}{term_label(row.term)}的检查在您打开后已被他人修改，您的内容未保存。"
                           "请重新打开该学校的检查，在最新内容上修改", current=current)
        before = audit.snapshot(existing)
        existing.items, existing.checked_on, existing.checked_by, existing.note = (
            row.items, row.checked_on, row.checked_by or existing.checked_by, note or existing.note)
        existing.version += 1
        existing.save()
        audit.record(actor=actor, action="update", obj=existing, before=before, after=audit.snapshot(existing))
        return existing


@action(perm="campus.add_guardcheckin", target="post", model=GuardPost, what="护学岗签到")
def check_in(*, actor, post: GuardPost, note: str = "", at: datetime | None = None) -> GuardCheckin:
    now = clock.now()
    at = at or now
    if at > now:
        raise invalid("at", "「签到时间」不能晚于现在")
    with transaction.atomic():
        row = GuardCheckin.objects.create(post=post, region_id=post.region_id, at=at, note=(note or "")[:500],
                                          by=actor if getattr(actor, "pk", None) else None)
        audit.record(actor=actor, action="create", obj=row, after=audit.snapshot(row))
    return row


@action(perm="campus.add_guardcheckin", what="导入护学岗签到")
def import_checkins(rows: Sequence[GuardCheckin], *, actor, note: str = "") -> int:
    return len(bulk_records(GuardCheckin, rows, actor=actor, note=note))


@action(perm="campus.add_campusincident", what="导入校园周边案(事)件")
def import_incidents(rows: Sequence[CampusIncident], *, actor, note: str = "") -> int:
    for row in rows:
        row.region_id = row.region_id or row.school.region_id
    return len(bulk_records(CampusIncident, rows, actor=actor, note=note))


#: How an incident was dealt with, brought up to date on its page as the station works on it.
update_campusincident = record_update(CampusIncident, fields=("handling", "resolved"), what="校园周边案(事)件")
