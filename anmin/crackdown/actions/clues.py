"""Writes of clues (线索) and 三书一函: registering, the verification's result, the reply to a notice,
the reporter's feedback, and bulk imports of past ones (the demo world, a ledger).

The generic steps (受理, 交办, 延期 with approval, 核查通过 …) are the case engine's; the domain's own
step (反馈 as 登记核查结果 / 登记回复) is taken here with its fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.checks import choice, day, phone, place, text
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.i18n import source_text
from anmin.core.models import OrgUnit, Region
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase

from ..models import Clue, ClueCategory, ClueResult, ClueSource, ClueSubject, Industry, Notice, NoticeKind
from ..workflows import CLUE, NOTICE
from .common import check_version, office, require_handler

ADD_CLUE = "crackdown.add_clue"
ADD_NOTICE = "crackdown.add_notice"


@action(perm=ADD_CLUE, region="region", region_label="线索涉及区域", what="登记线索")
def register_clue(
    *, actor, title: str, region: Region | str, description: str, source: str, category: str = ClueCategory.EVIL,
    subject: str = ClueSubject.PEOPLE, subject_name: str = "", industry: str = Industry.OTHER,
    received_on: date | str | None = None, reporter_contact: str = "", priority: str = "normal", now=None,
) -> Clue:
    """登记线索: a case of kind XS in 待受理 at the 扫黑办 (which hands it to a unit to verify)."""
    now = now or clock.now()
    today = timezone.localdate(now)
    where = place(region, label="线索涉及区域")
    description = text(description, "description", "线索内容", 5000, required=True)
    title = text(title, "title", "线索标题", 200) or description.splitlines()[0][:30]
    choice(source, "source", "线索来源", ClueSource)
    choice(category, "category", "线索类别", ClueCategory)
    choice(subject, "subject", "线索对象", ClueSubject)
    choice(industry, "industry", "行业领域", Industry)
    subject_name = text(subject_name, "subject_name", "被反映对象", 100)
    received = day(received_on, "received_on", "收到日期", today, required=False) or today
    contact = phone(reporter_contact, "reporter_contact", "举报人联系电话")
    with transaction.atomic(), audit.batch():
        case = case_actions.open_case(
            kind=CLUE, title=title, region=where, reporter=actor, priority=priority, description=description,
            source=source_text(ClueSource(source).label), now=now, center_org=office(where))
        clue = Clue.objects.create(case=case, source=source, category=category, subject=subject,
                                   subject_name=subject_name, industry=industry, received_on=received,
                                   reporter_contact=contact)
        audit.record(actor=actor, action="create", obj=clue,
                     after={"number": case.number, "source": source, "category": category})
    return clue


def _lock_clue(clue) -> Clue:
    return Clue.objects.select_for_update().select_related("case").get(pk=getattr(clue, "pk", clue))


@action(target="clue", model=Clue, what="登记核查结果")
def record_result(*, actor, clue: Clue, expected_version: int, result: str, note: str,
                  public_feedback: str = "", now=None) -> Clue:
    """登记核查结果 (查实 / 部分查实 / 查否 / 移送): the verifying unit's answer; hands the clue back to
    the 扫黑办 to check and close (反馈, a step only this action takes)."""
    now = now or clock.now()
    with transaction.atomic():
        c = _lock_clue(clue)
        check_version(c.case, expected_version)
        require_handler(actor, c.case, "登记核查结果")
        if c.case.status != "in_progress":
            raise invalid("result", f"线索当前状态为「{c.case.status_label}」，只有核查中的线索可以登记核查结果")
        choice(result, "result", "核查结果", ClueResult)
        note = text(note, "note", "核查情况", 5000, required=True)
        c.result, c.result_note, c.concluded_on = result, note, timezone.localdate(now)
        c.public_feedback = text(public_feedback, "public_feedback", "向举报人反馈", 1000) or c.public_feedback
        c.version += 1
        c.save()
        audit.record(actor=actor, action="update", obj=c, after={"result": result})
        c.case = case_actions.transition_case(
            case=c.case, actor=actor, transition="feedback", expected_version=c.case.version, domain="crackdown",
            data={"result": f"核查结果：{ClueResult(result).label}。{note}"}, now=now)
    return c


@action(target="clue", model=Clue, perm="crackdown.change_clue", what="答复举报人")
def reply_to_reporter(*, actor, clue: Clue, feedback: str, now=None) -> Clue:
    """答复举报人: what the reporter reads with the receipt code (no personal data)."""
    with transaction.atomic():
        c = _lock_clue(clue)
        c.public_feedback = text(feedback, "feedback", "向举报人反馈", 1000, required=True)
        c.version += 1
        c.save(update_fields=["public_feedback", "version"])
        case_actions.record_case_event(case=c.case, actor=actor, action="reporter_feedback", label="答复举报人",
                                       reason=c.public_feedback, now=now)
        audit.record(actor=actor, action="update", obj=c, after={"public_feedback": len(c.public_feedback)})
    return c


# The reporter's conversation, on the clue's timeline: what the reporter reads with the receipt code
# and passphrase (the office's answer and questions) and what they add anonymously.
REPORTER_EVENTS = {"reporter_feedback": "office", "reporter_question": "office", "reporter_answer": "reporter"}


@action(target="clue", model=Clue, perm="crackdown.change_clue", what="向举报人提问")
def ask_reporter(*, actor, clue: Clue, question: str, now=None) -> Clue:
    """向举报人提问: a question the anonymous reporter of an online tip reads with the receipt code and
    passphrase, and may answer (``add_reporter_answer``)."""
    with transaction.atomic():
        c = _lock_clue(clue)
        if c.source != ClueSource.ONLINE:
            raise invalid("question", "只有网上举报的线索可以向举报人提问（其他来源请直接联系举报人）")
        question = text(question, "question", "向举报人提问", 1000, required=True)
        case_actions.record_case_event(case=c.case, actor=actor, action="reporter_question", label="向举报人提问",
                                       reason=question, now=now)
        audit.record(actor=actor, action="update", obj=c, after={"reporter_question": len(question)})
    return c


@dataclass
class PastClue:
    case: PastCase
    source: str
    category: str
    received_on: date
    result: str = ""
    industry: str = Industry.OTHER
    subject: str = ClueSubject.PEOPLE
    concluded_on: date | None = None
    result_note: str = ""


@action(perm=ADD_CLUE, what="导入线索")
def import_clues(items: Sequence[PastClue], *, actor, note: str = "") -> list[Clue]:
    """Past clues in bulk (the kit's ``import_details``): the cases and their steps through the engine's
    ``import_cases``, then the rows."""
    return case_actions.import_details(items, kind=CLUE, model=Clue, actor=actor, note=note, check=_check_past_clue)


def _check_past_clue(item: PastClue) -> None:
    choice(item.source, "source", "线索来源", ClueSource)
    if item.result:
        choice(item.result, "result", "核查结果", ClueResult)


# -- 三书一函 ------------------------------------------------------------------------------------
@action(perm=ADD_NOTICE, region="region", region_label="所属区域", what="制发三书一函")
def issue_notice(*, actor, notice_kind: str, title: str, region: Region | str, to_org: OrgUnit | int, issuer: str,
                 problem: str, recommendation: str, issued_on: date | str | None = None, doc_number: str = "",
                 industry: str = Industry.OTHER, now=None) -> Notice:
    """制发三书一函: opened, taken in and handed to the unit that must reply within 30 days (overdue
    replies are supervised by the sweep like any case)."""
    now = now or clock.now()
    where = place(region, label="所属区域")
    choice(notice_kind, "notice_kind", "文书类型", NoticeKind)
    choice(industry, "industry", "行业领域", Industry)
    title = text(title, "title", "标题", 200, required=True)
    issuer = text(issuer, "issuer", "制发单位", 100, required=True)
    problem = text(problem, "problem", "发现的问题", 5000, required=True)
    recommendation = text(recommendation, "recommendation", "建议", 5000, required=True)
    issued = day(issued_on, "issued_on", "制发日期", timezone.localdate(now), required=False) or timezone.localdate(now)
    if to_org in (None, ""):
        raise invalid("to_org", "「被建议单位」为必填项")
    with transaction.atomic(), audit.batch():
        case = case_actions.open_case(kind=NOTICE, title=title, region=where, reporter=actor, now=now,
                                      description=problem, source=source_text(NoticeKind(notice_kind).label),
                                      center_org=office(where))
        notice = Notice.objects.create(case=case, notice_kind=notice_kind, doc_number=text(doc_number, "doc_number",
                                       "文号", 64), issuer=issuer, industry=industry, problem=problem,
                                       recommendation=recommendation, issued_on=issued)
        case = case_actions.transition_case(case=case, actor=actor, transition="accept",
                                            expected_version=case.version, now=now)
        notice.case = case_actions.transition_case(case=case, actor=actor, transition="assign",
                                                   expected_version=case.version, target_org=to_org, now=now)
        audit.record(actor=actor, action="create", obj=notice, after={"number": case.number, "kind": notice_kind})
    return notice


@action(target="notice", model=Notice, what="登记回复")
def record_reply(*, actor, notice: Notice, expected_version: int, reply: str, now=None) -> Notice:
    """登记回复: the unit's reply and rectification; hands the notice back to the 扫黑办 to close."""
    now = now or clock.now()
    with transaction.atomic():
        n = Notice.objects.select_for_update().select_related("case").get(pk=getattr(notice, "pk", notice))
        check_version(n.case, expected_version)
        require_handler(actor, n.case, "登记回复")
        if n.case.status != "in_progress":
            raise invalid("reply", f"当前状态为「{n.case.status_label}」，只有待回复的三书一函可以登记回复")
        n.reply, n.replied_on = text(reply, "reply", "回复及整改情况", 5000, required=True), timezone.localdate(now)
        n.version += 1
        n.save()
        audit.record(actor=actor, action="update", obj=n, after={"replied_on": str(n.replied_on)})
        n.case = case_actions.transition_case(case=n.case, actor=actor, transition="feedback",
                                              expected_version=n.case.version, domain="crackdown",
                                              data={"result": n.reply[:500]}, now=now)
    return n


@dataclass
class PastNotice:
    case: PastCase
    notice_kind: str
    issuer: str
    problem: str
    recommendation: str
    issued_on: date
    industry: str = Industry.OTHER
    reply: str = ""
    replied_on: date | None = None


@action(perm=ADD_NOTICE, what="导入三书一函")
def import_notices(items: Sequence[PastNotice], *, actor, note: str = "") -> list[Notice]:
    return case_actions.import_details(
        items, kind=NOTICE, model=Notice, actor=actor, note=note,
        check=lambda item: choice(item.notice_kind, "notice_kind", "文书类型", NoticeKind))
