"""What the case engine prints of any case: 交办单, 督办通知书 and the 卷宗 (cover, timeline, files)."""

from __future__ import annotations

from anmin.core.documents.blank import Fields, Line, Para, Rows, Signatures, Title
from anmin.core.documents.registry import DocumentDef, register
from anmin.core.documents.render import cn_date, cn_datetime
from anmin.core.models import Attachment

from .models import Case, Supervision


def _org(org) -> str:
    return str(org) if org else ""


def case_context(case: Case, user) -> dict:
    return {
        "case": {
            "number": case.number, "title": case.title, "kind": case.kind_label, "status": case.status_label,
            "priority": case.priority_label, "description": case.description,
            "region": case.region.full_name if case.region_id else "",
            "opened_at": cn_datetime(case.opened_at), "due_at": cn_datetime(case.due_at),
            "closed_at": cn_datetime(case.closed_at),
            "center_org": _org(case.center_org), "handling_org": _org(case.handling_org),
            "handler": str(case.handler) if case.handler_id else "",
            "reporter": str(case.reporter) if case.reporter_id else case.reporter_name,
        },
    }


def _assignment(case: Case, user) -> dict:
    ctx = case_context(case, user)
    handed = case.events.filter(action__in=("assign", "open", "dispatch")).exclude(reason="").order_by("-seq").first()
    ctx["instruction"] = handed.reason if handed else ""
    return ctx


def _assignment_available(case: Case, user) -> str | None:
    return None if case.handling_org_id else "尚未交办承办单位"


def _dossier(case: Case, user) -> dict:
    ctx = case_context(case, user)
    ctx["events"] = [
        {"seq": e.seq, "at": cn_datetime(e.at), "actor": str(e.actor) if e.actor_id else "系统",
         "label": e.label, "reason": e.reason}
        for e in case.events.select_related("actor").order_by("seq")
    ]
    ctx["files"] = [
        {"no": i, "name": a.filename, "kind": a.kind_label, "at": cn_date(a.uploaded_at)}
        for i, a in enumerate(_case_files(case, user), 1)
    ]
    return ctx


def _case_files(case: Case, user) -> list[Attachment]:
    """The files of the case and of its domain record (a dispute's 协议书 hangs on the dispute)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from anmin.core.registry import attachment_owners

    where = Q(owner_type=ContentType.objects.get_for_model(Case), owner_id=case.pk)
    for owner in attachment_owners:
        model = apps.get_model(owner.model)
        if model is not Case and any(f.name == "case" for f in model._meta.get_fields()):
            ids = list(model.objects.filter(case=case).values_list("pk", flat=True))
            if ids:
                where |= Q(owner_type=ContentType.objects.get_for_model(model), owner_id__in=ids)
    return list(Attachment.objects.visible_to(user).filter(where).order_by("uploaded_at", "pk"))


def _supervision(s: Supervision, user) -> dict:
    ctx = case_context(s.case, user)
    ctx["notice"] = {
        "number": f"督〔{s.issued_at.year}〕{s.pk}号", "issued_at": cn_date(s.issued_at),
        "issued_by": str(s.issued_by) if s.issued_by_id else "系统（逾期自动督办）",
        "centre": _org(s.centre_org), "to_org": _org(s.to_org), "reason": s.reason,
        "reply_due_at": cn_datetime(s.reply_due_at), "reply": s.reply, "replied_at": cn_datetime(s.replied_at),
    }
    return ctx


CASE_FIELDS = (
    ("事项编号", "{{ case.number }}"), ("事项类型", "{{ case.kind }}"), ("标题", "{{ case.title }}"),
    ("所在区划", "{{ case.region }}"), ("上报时间", "{{ case.opened_at }}"), ("紧急程度", "{{ case.priority }}"),
)

ASSIGNMENT = (
    Title("事项交办单"),
    Line("{{ case.center_org }}　　　　编号：{{ case.number }}", align="right"),
    Fields((*CASE_FIELDS,
            ("情况描述", "{{ case.description }}"),
            ("承办单位", "{{ case.handling_org }}"), ("承办人", "{{ case.handler }}"),
            ("办理期限", "{{ case.due_at }}"), ("交办意见", "{{ instruction }}"))),
    Para("请承办单位按期办理，并在办理期限内通过平台反馈办理结果。"),
    Signatures(("交办人", "签收人")),
    Line("{{ case.center_org }}", align="right"),
    Line("{{ today }}", align="right"),
)

SUPERVISION = (
    Title("督办通知书"),
    Line("{{ notice.number }}", align="center"),
    Line("{{ notice.to_org }}："),
    Para("你单位承办的「{{ case.title }}」（编号 {{ case.number }}，{{ case.kind }}）"
         "{{ notice.reason }}现予督办，请于{{ notice.reply_due_at }}前办结并书面回复办理情况。"),
    Fields((*CASE_FIELDS, ("办理期限", "{{ case.due_at }}"), ("当前状态", "{{ case.status }}"),
            ("督办事由", "{{ notice.reason }}"), ("回复期限", "{{ notice.reply_due_at }}"))),
    Line("{{ notice.centre }}", align="right"),
    Line("{{ notice.issued_at }}", align="right"),
)

DOSSIER = (
    Title("{{ case.kind }}卷宗"),
    Fields((*CASE_FIELDS, ("主办中心", "{{ case.center_org }}"), ("承办单位", "{{ case.handling_org }}"),
            ("当前状态", "{{ case.status }}"), ("办结时间", "{{ case.closed_at }}"))),
    Line(""),
    Line("办理过程", align="center"),
    Rows(("序号", "时间", "经办人", "环节", "意见"), "e in events",
         ("{{ e.seq }}", "{{ e.at }}", "{{ e.actor }}", "{{ e.label }}", "{{ e.reason }}")),
    Line(""),
    Line("卷内材料目录", align="center"),
    Rows(("序号", "材料名称", "类别", "日期"), "f in files",
         ("{{ f.no }}", "{{ f.name }}", "{{ f.kind }}", "{{ f.at }}"), empty="（无附件材料）"),
    Line("立卷人：{{ printed_by }}　　立卷日期：{{ today }}", align="right"),
)


def register_documents() -> None:
    register(DocumentDef("case_assignment", "交办单", "workflow.Case", ASSIGNMENT, _assignment,
                         _assignment_available, order=10, description="承办单位、办理期限与交办意见"))
    register(DocumentDef("case_dossier", "卷宗（封面、办理过程、材料目录）", "workflow.Case", DOSSIER, _dossier,
                         order=90, description="立卷归档用：事项概况、全部办理过程与附件材料目录"))
    register(DocumentDef("supervision_notice", "督办通知书", "workflow.Supervision", SUPERVISION, _supervision,
                         order=20, description="督办事由、回复期限"))
