"""Who the case engine tells what (站内消息, ``anmin.core.notices``): a case handed to a person or unit,
returned to its reporter, sent back by the check, near its deadline, overdue and supervised, a
supervision answered. Called inside the step's transaction; one message per person and event."""

from __future__ import annotations

from anmin.core.models.notices import NoticeKind
from anmin.core.notices import notify

from .rules import owner_org_id


def _url(case) -> str:
    return case.domain_url or case.get_absolute_url()


def on_step(case, t, event, inputs: dict) -> None:
    key = f"case:{case.pk}:step:{event.seq}"
    head = f"{case.number} {case.title}"
    if t.effect in ("assign", "transfer") and inputs.get("target_org") is not None:
        user = inputs.get("target_user")
        notify(kind=NoticeKind.ASSIGNED, title=f"{t.label}给您：{head}", key=key, url=_url(case),
               users=[user] if user else (), orgs=() if user else [inputs["target_org"]], now=event.at)
    elif t.effect == "escalate":
        notify(kind=NoticeKind.ASSIGNED, title=f"下级上报：{head}", key=key, url=_url(case), orgs=[case.center_org_id],
               now=event.at)
    elif t.name == "return" and case.reporter_id:
        notify(kind=NoticeKind.RETURNED, title=f"已退回：{head}", body=event.reason, key=key, url=_url(case),
               users=[case.reporter_id], now=event.at)
    elif t.name == "verify_fail":
        notify(kind=NoticeKind.RETURNED, title=f"核查不通过：{head}", body=event.reason, key=key, url=_url(case),
               users=[case.handler_id] if case.handler_id else (),
               orgs=() if case.handler_id else [case.handling_org_id], now=event.at)


def _owners(case) -> dict:
    """Whose move it is: the handler, or else the unit (handling unit or centre)."""
    if case.handler_id and case.workflow.state(case.status).owner == "handler":
        return {"users": [case.handler_id]}
    return {"orgs": [owner_org_id(case)]}


def on_warning(case, now) -> None:
    # The case page (which links to the domain's): no query per case in the sweep.
    notify(kind=NoticeKind.WARNING, title=f"临期预警：{case.number} {case.title}", url=case.get_absolute_url(), now=now,
           key=f"case:{case.pk}:warning:{case.stage_no}", **_owners(case))


def on_overdue(case, now, to_org=None, centre=None) -> None:
    key = f"case:{case.pk}:overdue:{case.stage_no}"
    title = f"已逾期{'并被督办' if to_org else ''}：{case.number} {case.title}"
    url = case.get_absolute_url()
    notify(kind=NoticeKind.SUPERVISED if to_org else NoticeKind.OVERDUE, title=title, url=url, now=now, key=key,
           **_owners(case))
    if to_org is not None:
        notify(kind=NoticeKind.SUPERVISED, title=title, url=url, now=now, key=key, orgs=[to_org])


def on_supervision(supervision, now) -> None:
    notify(kind=NoticeKind.SUPERVISED, title=f"督办：{supervision.case.number} {supervision.case.title}",
           body=supervision.reason, url=supervision.get_absolute_url(), key=f"supervision:{supervision.pk}",
           orgs=[supervision.to_org_id], now=now)


def on_reply(supervision, now) -> None:
    notify(kind=NoticeKind.REPLIED, title=f"督办已回复：{supervision.case.number} {supervision.case.title}",
           url=supervision.get_absolute_url(), key=f"supervision:{supervision.pk}:reply",
           users=[supervision.issued_by_id] if supervision.issued_by_id else (),
           orgs=[supervision.centre_org_id] if supervision.centre_org_id else (), now=now)
