"""Pages of the crackdown registers: suspects (ID numbers masked, revealed with a reason), assets,
officials handled and the candidates' joint review — a ledger (filters, Excel export of the filtered
rows in the import's columns, audited; 导入 from the office's Excel file, ``register_imports``) and a
detail page each. Reads through ``visible_to`` (the kit's ``ScopedMixin``);
the writes are the audited reveal and, for suspects and assets, bringing the record up to date
(``SuspectEdit``, ``AssetEdit``: the kit's ``record_edit``), through ``actions``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anmin.core.errors import run_action
from anmin.core.ledgers import LedgerImportMixin
from anmin.core.money import MoneyField, money
from anmin.core.tables import shown
from anmin.core.views.base import DetailPage, LedgerView
from anmin.workflow.kit.record_edit import edit_link, record_edit

from . import actions
from .filters import AssetFilter, CandidateFilter, OfficialFilter, SuspectFilter
from .forms import RevealForm
from .models import REVIEW_DEPARTMENTS, Asset, Candidate, Official, Suspect
from .register_imports import AssetImport, CandidateImport, OfficialImport, SuspectImport
from .tables import AssetTable, CandidateTable, OfficialTable, SuspectTable


class SuspectLedgerView(LedgerImportMixin, LedgerView):
    model, filterset_class, table_class = Suspect, SuspectFilter, SuspectTable
    ledger_class, import_permission = SuspectImport, "crackdown.add_suspect"  # 导入 Excel; the export masks ID numbers
    title, export_name = _("涉黑涉恶犯罪嫌疑人"), "涉黑涉恶犯罪嫌疑人台账"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "region").order_by("org_id", "pk")


class AssetLedgerView(LedgerImportMixin, LedgerView):
    model, filterset_class, table_class = Asset, AssetFilter, AssetTable
    ledger_class, import_permission = AssetImport, "crackdown.add_asset"  # 导入 Excel, re-importable export
    title, export_name = _("涉案资产"), "涉案资产台账"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "region").order_by("-on", "pk")


def with_create_link(ctx: dict, user, perm: str, url_name: str, label) -> dict:
    """The ledger's 登记 button, for holders of the add permission (the page is 404 to anyone else)."""
    if user.has_perm(perm):
        ctx["create_url"], ctx["create_label"] = reverse(url_name), label
    return ctx


class OfficialLedgerView(LedgerImportMixin, LedgerView):
    model, filterset_class, table_class = Official, OfficialFilter, OfficialTable
    ledger_class, import_permission = OfficialImport, "crackdown.add_official"  # 导入 Excel, re-importable export
    title, export_name = _("处理公职人员"), "处理公职人员台账"

    def get_context_data(self, **kwargs):
        return with_create_link(super().get_context_data(**kwargs), self.request.user, "crackdown.add_official",
                                "crackdown:official_new", _("登记处理公职人员"))

    def get_queryset(self):
        return super().get_queryset().select_related("org", "region").order_by("-handled_on", "pk")


class CandidateLedgerView(LedgerImportMixin, LedgerView):
    model, filterset_class, table_class = Candidate, CandidateFilter, CandidateTable
    ledger_class, import_permission = CandidateImport, "crackdown.add_candidate"  # the 联审汇总表, one row a candidate
    title, export_name = _("村“两委”换届候选人联审"), "换届候选人联审台账"

    def get_context_data(self, **kwargs):
        return with_create_link(super().get_context_data(**kwargs), self.request.user, "crackdown.add_candidate",
                                "crackdown:candidate_new", _("候选人联审登记"))

    def get_queryset(self):
        return super().get_queryset().select_related("region").order_by("region_id", "pk")


class RecordDetailView(DetailPage):
    """One register record: its fields as label/value rows; for a record with an ID number, the
    office may reveal it with a reason (audited)."""

    template_name = "crackdown/record_detail.html"
    reveal_perm: str = ""
    reveal = None  # the action: reveal(actor=, <target>=, reason=, request=)
    target = ""
    edit_url_name = ""  # the page bringing the record up to date (``kit.record_edit``), for who may change it
    edit_label: object = _("更新")

    def rows(self, obj) -> list[tuple[str, object]]:
        return [(str(f.verbose_name), self._value(obj, f)) for f in obj._meta.concrete_fields
                if f.name not in ("id", "person", "checks") and f.editable]  # not a protected number's index

    @staticmethod
    def _value(obj, f):
        display = getattr(obj, f"get_{f.name}_display", None)
        if callable(display):
            return display()
        value = getattr(obj, f.name)
        if f.name == "region":
            return value.full_name
        if isinstance(f, MoneyField) and value is not None:
            return money(value)
        return "—" if value in (None, "") else shown(value)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["rows"] = self.rows(obj)
        ctx["ledger_url"] = self.request.path.rsplit("/", 2)[0] + "/"
        edit_link(ctx, self.request.user, obj, self.edit_url_name, self.edit_label)
        may = bool(self.reveal_perm) and self.request.user.has_perm(self.reveal_perm) and bool(obj.id_number)
        ctx["may_reveal"] = may
        ctx.setdefault("reveal_form", RevealForm() if may else None)
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not (self.reveal_perm and request.user.has_perm(self.reveal_perm)):
            return self.render_to_response(self.get_context_data(denied=True), status=403)
        form = RevealForm(request.POST)
        status = 400
        if form.is_valid():
            value, status = run_action(form, type(self).reveal, actor=request.user,
                                       **{self.target: self.object}, reason=form.cleaned_data["reason"],
                                       request=request)
            if value is not None:
                response = self.render_to_response(self.get_context_data(revealed=value, reveal_form=None))
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(reveal_form=form), status=status)


class SuspectDetailView(RecordDetailView):
    model, reveal_perm, target = Suspect, "crackdown.change_suspect", "suspect"
    reveal = staticmethod(actions.reveal_suspect)
    edit_url_name, edit_label = "crackdown:suspect_edit", _("更新诉讼状态")

    def rows(self, obj):
        return [(_("所属组织"), obj.org.name if obj.org_id else "—"), *super().rows(obj)[1:]]


class AssetDetailView(RecordDetailView):
    model = Asset
    edit_url_name, edit_label = "crackdown:asset_edit", _("更新处置情况")


SuspectEdit = record_edit(Suspect, fields=("status", "caught_on"), action=actions.update_suspect,
                          title=_("更新诉讼状态"), done=_("已更新诉讼状态"))
AssetEdit = record_edit(Asset, fields=("measure", "value", "on"), action=actions.update_asset,
                        title=_("更新处置情况"), done=_("已更新涉案资产"))


class OfficialDetailView(RecordDetailView):
    model = Official


class CandidateDetailView(RecordDetailView):
    model, reveal_perm, target = Candidate, "crackdown.change_candidate", "candidate"
    reveal = staticmethod(actions.reveal_candidate)

    def rows(self, obj):
        checks = obj.checks or {}
        answers = []
        for key, label in REVIEW_DEPARTMENTS:
            answer = checks.get(key)
            if answer is None:
                answers.append((label, _("未反馈")))
            elif answer.get("ok"):
                answers.append((label, _("无异议")))
            else:
                answers.append((label, _("有异议：%(reason)s") % {"reason": answer.get("reason") or "—"}))
        return [*super().rows(obj), *answers]
