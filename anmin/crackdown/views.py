"""Pages of the crackdown domain: clues (ledger, detail, 登记线索, 登记核查结果, 答复举报人), 三书一函
(ledger, detail, 制发, 登记回复) and the organisations broken up. Every page reads through
``visible_to``; every write calls ``actions``. The engine's steps (受理, 交办, 延期 …) are on the
generic case page (``workflow:case_act``)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anmin.core.ledgers import LedgerImportMixin
from anmin.core.views.base import DetailPage, LedgerView
from anmin.workflow.definitions import HANDLER
from anmin.workflow.kit.views import CaseDetailPage, CaseLedgerView, CaseReportView, CaseStepView, DomainAction
from anmin.workflow.rules import may_take

from . import actions, vault
from .actions import tips
from .filters import ClueFilter, CrimeOrgFilter, NoticeFilter, RectificationFilter
from .forms import AskForm, ClueForm, FeedbackForm, MeasuresForm, NoticeForm, RectificationForm, ReplyForm, ResultForm
from .models import Clue, CrimeOrg, Notice, Rectification
from .register_imports import OrgImport
from .register_views import with_create_link
from .tables import ClueTable, CrimeOrgTable, NoticeTable, RectificationTable
from .workflows import CRACKDOWN


def _handles(user, case) -> bool:
    return may_take(user, case, (HANDLER, CRACKDOWN))


class ClueLedgerView(CaseLedgerView):
    model, filterset_class, table_class = Clue, ClueFilter, ClueTable
    title, export_name = _("涉黑涉恶线索台账"), "涉黑涉恶线索台账"
    create_perm, create_label = actions.ADD_CLUE, _("登记线索")


class ClueDetailView(CaseDetailPage):
    model, template_name = Clue, "crackdown/clue_detail.html"
    ledger_url_name, ledger_title = "crackdown:clue_list", _("涉黑涉恶线索台账")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        clue, user = self.object, self.request.user
        if clue.sealed_tip is not None and user.has_perm(tips.OFFICE_PERM):
            keys = vault.keys(self.request)
            ctx["tip_sealed"] = True
            ctx["tip"] = tips.read_tip(actor=user, clue=clue, keys=keys) if keys else None
        return ctx

    def domain_actions(self, clue, user) -> list[DomainAction]:
        out = []
        if clue.case.status == "in_progress" and _handles(user, clue.case):
            out.append(DomainAction("result", reverse("crackdown:clue_result", args=[clue.pk]), _("登记核查结果"),
                                    "primary"))
        if user.has_perm("crackdown.change_clue"):
            out.append(DomainAction("feedback", reverse("crackdown:clue_feedback", args=[clue.pk]), _("答复举报人")))
            if clue.source == "online":
                out.append(DomainAction("ask", reverse("crackdown:clue_ask", args=[clue.pk]), _("向举报人提问")))
        return out


class ClueReportView(CaseReportView):
    form_class, scoped_create, title = ClueForm, actions.ADD_CLUE, _("登记线索")
    ledger_url_name, form_name = "crackdown:clue_list", "clue-report"
    success_message = _("已登记线索 %(number)s")

    def report(self, data):
        return actions.register_clue(actor=self.request.user, **{k: data[k] for k in (
            "region", "source", "category", "description", "title", "subject", "subject_name", "industry",
            "received_on", "reporter_contact")})


class ResultView(CaseStepView):
    model, form_class = Clue, ResultForm
    step_title, done_message = _("登记核查结果"), _("已登记核查结果，转扫黑办审核")

    def step(self, d):
        return actions.record_result(actor=self.request.user, clue=self.object, expected_version=d["version"],
                                     result=d["result"], note=d["note"], public_feedback=d["public_feedback"])


class FeedbackView(CaseStepView):
    model, form_class = Clue, FeedbackForm
    step_title, done_message = _("答复举报人"), _("已保存答复，举报人凭回执码可见")

    def get_initial(self):
        return {"feedback": self.object.public_feedback}

    def step(self, d):
        return actions.reply_to_reporter(actor=self.request.user, clue=self.object, feedback=d["feedback"])


class AskView(CaseStepView):
    model, form_class = Clue, AskForm
    step_title, done_message = _("向举报人提问"), _("已发出，举报人凭回执码和口令可见")

    def step(self, d):
        return actions.ask_reporter(actor=self.request.user, clue=self.object, question=d["question"])


class NoticeLedgerView(CaseLedgerView):
    model, filterset_class, table_class = Notice, NoticeFilter, NoticeTable
    title, export_name = _("三书一函台账"), "三书一函台账"
    create_perm, create_label = actions.ADD_NOTICE, _("制发三书一函")


class NoticeDetailView(CaseDetailPage):
    model, template_name = Notice, "crackdown/notice_detail.html"
    ledger_url_name, ledger_title = "crackdown:notice_list", _("三书一函台账")

    def domain_actions(self, notice, user) -> list[DomainAction]:
        if notice.case.status == "in_progress" and _handles(user, notice.case):
            return [DomainAction("reply", reverse("crackdown:notice_reply", args=[notice.pk]), _("登记回复"),
                                 "primary")]
        return []


class NoticeIssueView(CaseReportView):
    form_class, scoped_create, title = NoticeForm, actions.ADD_NOTICE, _("制发三书一函")
    ledger_url_name, form_name = "crackdown:notice_list", "notice-issue"
    success_message = _("已制发三书一函 %(number)s")

    def report(self, data):
        return actions.issue_notice(actor=self.request.user, **{k: data[k] for k in (
            "notice_kind", "title", "region", "to_org", "issuer", "doc_number", "industry", "problem",
            "recommendation", "issued_on")})


class ReplyView(CaseStepView):
    model, form_class = Notice, ReplyForm
    step_title, done_message = _("登记回复"), _("已登记回复，转扫黑办审核")

    def step(self, d):
        return actions.record_reply(actor=self.request.user, notice=self.object, expected_version=d["version"],
                                    reply=d["reply"])


class RectificationLedgerView(CaseLedgerView):
    model, filterset_class, table_class = Rectification, RectificationFilter, RectificationTable
    title, export_name = _("督导反馈问题整改清单"), "督导反馈问题整改清单"
    create_perm, create_label = actions.ADD_RECTIFICATION, _("登记整改问题")


class RectificationDetailView(CaseDetailPage):
    model, template_name = Rectification, "crackdown/rectification_detail.html"
    ledger_url_name, ledger_title = "crackdown:rectification_list", _("督导反馈问题整改清单")

    def domain_actions(self, item, user) -> list[DomainAction]:
        if item.case.status == "in_progress" and _handles(user, item.case):
            return [DomainAction("measures", reverse("crackdown:rectification_report", args=[item.pk]),
                                 _("报送整改情况"), "primary")]
        return []


class RectificationNewView(CaseReportView):
    form_class, scoped_create, title = RectificationForm, actions.ADD_RECTIFICATION, _("登记整改问题")
    ledger_url_name, form_name = "crackdown:rectification_list", "rectification-new"
    success_message = _("已登记整改问题 %(number)s")

    def report(self, data):
        return actions.register_rectification(actor=self.request.user, **{k: data[k] for k in (
            "inspection", "problem", "title", "region", "responsible", "to_org", "deadline")})


class MeasuresView(CaseStepView):
    model, form_class = Rectification, MeasuresForm
    step_title, done_message = _("报送整改情况"), _("已报送整改情况，转扫黑办审核")

    def step(self, d):
        return actions.report_rectification(actor=self.request.user, item=self.object,
                                            expected_version=d["version"], measures=d["measures"])


class CrimeOrgLedgerView(LedgerImportMixin, LedgerView):
    model, filterset_class, table_class = CrimeOrg, CrimeOrgFilter, CrimeOrgTable
    ledger_class, import_permission = OrgImport, "crackdown.add_crimeorg"  # 导入 Excel, re-importable export
    title, export_name = _("涉黑涉恶组织"), "涉黑涉恶组织"

    def get_context_data(self, **kwargs):
        return with_create_link(super().get_context_data(**kwargs), self.request.user, "crackdown.add_crimeorg",
                                "crackdown:org_new", _("登记涉黑涉恶组织"))

    def get_queryset(self):
        return (super().get_queryset().select_related("region").annotate(n_suspects=Count("suspects"))
                .order_by("-broken_on", "pk"))


class CrimeOrgDetailView(DetailPage):
    model, template_name = CrimeOrg, "crackdown/org_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.object
        ctx["suspects"] = org.suspects.order_by("pk")[:500]
        ctx["assets"] = org.assets.order_by("pk")
        ctx["assets_total"] = org.assets.aggregate(total=Sum("value"))["total"] or 0
        ctx["officials"] = org.officials.order_by("pk")
        user = self.request.user
        ctx["may"] = {what: user.has_perm(perm) for what, perm in (
            ("stage", "crackdown.change_crimeorg"), ("suspect", "crackdown.add_suspect"),
            ("asset", "crackdown.add_asset"), ("official", "crackdown.add_official"))}
        return ctx
