"""What a dispute prints: the 人民调解协议书 of a successful mediation and the 调解笔录 of its sessions.

Parties' ID numbers and phones print the way the screen shows them (masked): a 协议书 is signed on
paper, where the parties write their numbers themselves when the office's practice asks for it.
"""

from __future__ import annotations

from anmin.core.documents.blank import Fields, Heading, Line, Para, Rows, Signatures, Title
from anmin.core.documents.registry import DocumentDef, register
from anmin.core.documents.render import cn_date

from .models import Dispute, Outcome


def _parties(d: Dispute) -> list[dict]:
    return [
        {"role": p.get_role_display(), "name": p.name, "id_number": str(p.id_number or ""),
         "phone": str(p.phone or ""), "address": p.address}
        for p in d.parties.all()
    ]


def _mediators(d: Dispute) -> str:
    names = {m.name for s in d.sessions.prefetch_related("mediators") for m in s.mediators.all()}
    if d.case.handler_id:
        names.add(str(d.case.handler))
    return "、".join(sorted(names))


def _base(d: Dispute) -> dict:
    return {
        "number": d.case.number, "title": d.case.title, "facts": d.case.description,
        "org": str(d.mediation_org or d.case.handling_org or d.case.center_org or ""),
        "region": d.case.region.full_name, "parties": _parties(d), "mediators": _mediators(d),
        "found_on": cn_date(d.found_on),
    }


def _agreement(d: Dispute, user) -> dict:
    ctx = _base(d)
    ctx.update(agreement=d.agreement, concluded_on=cn_date(d.concluded_on),
               amount=f"{d.agreement_amount:,.2f}元" if d.agreement_amount is not None else "")
    return ctx


def _agreement_available(d: Dispute, user) -> str | None:
    if d.outcome != Outcome.SUCCESS:
        return "调解成功后才能生成调解协议书"
    if not d.agreement.strip():
        return "尚未登记调解协议内容"
    return None


def _record(d: Dispute, user) -> dict:
    ctx = _base(d)
    ctx["sessions"] = [
        {"held_on": cn_date(s.held_on), "method": s.get_method_display(),
         "mediators": "、".join(m.name for m in s.mediators.all()), "record": s.record,
         "recorded_by": str(s.recorded_by) if s.recorded_by_id else ""}
        for s in d.sessions.prefetch_related("mediators").select_related("recorded_by")
    ]
    return ctx


def _record_available(d: Dispute, user) -> str | None:
    return None if d.sessions.exists() else "尚未登记调解记录"


PARTIES = Rows(("当事人", "姓名/名称", "身份证号码", "联系电话", "住址"), "p in parties",
               ("{{ p.role }}", "{{ p.name }}", "{{ p.id_number }}", "{{ p.phone }}", "{{ p.address }}"))

AGREEMENT = (
    Title("人民调解协议书"),
    Line("编号：{{ number }}", align="right"),
    PARTIES,
    Heading("一、纠纷的主要事实、争议事项"),
    Para("{{ facts }}"),
    Heading("二、经调解，自愿达成如下协议"),
    Para("{{ agreement }}"),
    Para("{% if amount %}协议金额：{{ amount }}。{% endif %}"),
    Heading("三、履行协议的方式、地点、期限"),
    Para("按上述协议内容履行。本协议自各方当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章之日起生效。"
         "本协议一式三份，当事人各执一份，人民调解委员会留存一份。"),
    Signatures(("当事人（签名）", "当事人（签名）", "人民调解员（签名）")),
    Line("{{ org }}（印章）", align="right"),
    Line("{{ concluded_on }}", align="right"),
)

RECORD = (
    Title("人民调解笔录"),
    Fields((("纠纷编号", "{{ number }}"), ("纠纷名称", "{{ title }}"), ("发生地", "{{ region }}"),
            ("调解组织", "{{ org }}"), ("调解员", "{{ mediators }}"))),
    Line(""),
    PARTIES,
    Line(""),
    Rows(("调解日期", "方式", "调解员", "调解记录", "记录人"), "s in sessions",
         ("{{ s.held_on }}", "{{ s.method }}", "{{ s.mediators }}", "{{ s.record }}", "{{ s.recorded_by }}")),
    Para("以上笔录经当事人阅读（或向其宣读），确认无误。"),
    Signatures(("当事人（签名）", "调解员（签名）", "记录人（签名）")),
    Line("{{ today }}", align="right"),
)


def register_documents() -> None:
    register(DocumentDef("dispute_agreement", "人民调解协议书", "disputes.Dispute", AGREEMENT, _agreement,
                         _agreement_available, order=10, description="调解成功的纠纷：当事人、事实、协议内容与签名栏"))
    register(DocumentDef("mediation_record", "调解笔录", "disputes.Dispute", RECORD, _record,
                         _record_available, order=20, description="每次调解的日期、方式、调解员和记录"))
