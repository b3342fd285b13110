"""The upload → report → confirm pages of a ledger (a mixin for the apps' ledger views)."""

from __future__ import annotations

from typing import ClassVar

from django.http import Http404, HttpResponse
from django.shortcuts import render

from .base import MODES, DryRun, Ledger, LedgerImportError, xlsx_response
from .uploads import UploadStore

# --- the upload → report → confirm pages --------------------------------------------------------------------------


class LedgerImportMixin:
    """Adds a ledger import to a view: ``?import=1`` shows the upload form, ``?import=template``
    downloads the blank template; posts carry ``ledger_step`` = ``upload`` (store the file and show
    the dry-run report), ``confirm`` (with ``token`` and ``mode``) or ``errors`` (the error list as
    .xlsx). Users without ``import_permission`` get 404 for all of it."""

    ledger_class: ClassVar[type[Ledger]]
    import_permission: ClassVar[str | None] = None
    import_template_name: ClassVar[str] = "anmin/import.html"
    import_param: ClassVar[str] = "import"
    max_upload_bytes: ClassVar[int] = 20 * 1024 * 1024
    shown_errors: ClassVar[int] = 500

    def may_import(self) -> bool:
        return self.import_permission is None or self.request.user.has_perm(self.import_permission)

    def get_ledger(self) -> Ledger:
        return self.ledger_class(user=self.request.user, request=self.request)

    def upload_store(self) -> UploadStore:
        return UploadStore()

    def import_back_url(self) -> str:
        return self.request.path

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get(self.import_param)
        if wanted:
            if not self.may_import():
                raise Http404
            ledger = self.get_ledger()
            if wanted == "template":
                return xlsx_response(ledger.workbook(), f"{ledger.title}（模板）")
            return self.render_import(ledger, step="upload")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        step = request.POST.get("ledger_step")
        if step is None:
            handler = getattr(super(), "post", None)
            if handler is None:
                return HttpResponse(status=405)
            return handler(request, *args, **kwargs)
        if not self.may_import():
            raise Http404
        ledger = self.get_ledger()
        if step == "upload":
            return self.import_upload(ledger)
        if step in ("confirm", "errors"):
            return self.import_confirm(ledger, errors_only=step == "errors")
        return self.render_import(ledger, step="upload", problem="未知的操作", status=400)

    def render_import(self, ledger: Ledger, *, step: str, status: int = 200, **ctx) -> HttpResponse:
        report: DryRun | None = ctx.get("report")
        context = {
            "title": f"导入{ledger.title}",
            "ledger": ledger,
            "step": step,
            "back_url": self.import_back_url(),
            "modes": MODES,
            "import_param": self.import_param,
            **ctx,
        }
        if report is not None:
            errors = report.errors
            context.update(
                errors=errors[: self.shown_errors],
                error_count=len(errors),
                more_errors=max(0, len(errors) - self.shown_errors),
            )
        return render(self.request, self.import_template_name, context, status=status)

    def import_upload(self, ledger: Ledger) -> HttpResponse:
        f = self.request.FILES.get("file")
        if f is None:
            return self.render_import(ledger, step="upload", problem="请选择要导入的 Excel 文件（.xlsx）", status=400)
        if not f.name.lower().endswith(".xlsx"):
            return self.render_import(
                ledger, step="upload", problem="文件：只支持 .xlsx 格式（可在 Excel 中“另存为”）", status=400
            )
        if f.size > self.max_upload_bytes:
            return self.render_import(
                ledger, step="upload", status=400, problem=f"文件：不能超过 {self.max_upload_bytes // (1024 * 1024)} MB"
            )
        data = f.read()
        store = self.upload_store()
        token = store.put(user_id=self.request.user.pk, ledger_key=ledger.key, filename=f.name, data=data)
        report = ledger.dry_run(data)
        store.set_fingerprint(token, report.fingerprint)
        return self.render_import(ledger, step="report", report=report, token=token, filename=f.name)

    def import_confirm(self, ledger: Ledger, *, errors_only: bool) -> HttpResponse:
        token = self.request.POST.get("token", "")
        store = self.upload_store()
        try:
            upload = store.get(token, user_id=self.request.user.pk, ledger_key=ledger.key)
        except LookupError:
            return self.render_import(
                ledger, step="upload", status=409, problem="该上传已导入、已过期或不存在，请重新上传台账"
            )
        report = ledger.dry_run(upload.data)
        filename = upload.meta.get("filename", "")
        if errors_only:
            return xlsx_response(ledger.errors_workbook(report), f"{ledger.title}（错误清单）")
        mode = self.request.POST.get("mode", "")
        if mode not in MODES:
            return self.render_import(
                ledger,
                step="report",
                report=report,
                token=token,
                filename=filename,
                status=400,
                problem="请选择导入方式",
            )
        if report.fingerprint != upload.meta.get("fingerprint"):
            # The database changed since the user saw the report: show the new one, import nothing.
            store.set_fingerprint(token, report.fingerprint)
            return self.render_import(
                ledger,
                step="report",
                report=report,
                token=token,
                filename=filename,
                status=409,
                problem="预检结果与您确认时不同（其间数据已有变化），未导入任何行；请核对下面的最新结果后重新确认",
            )
        if not store.claim(token):
            return self.render_import(ledger, step="upload", status=409, problem="该上传正在导入或已导入，请勿重复提交")
        try:
            result = ledger.run_import(report, mode=mode)
        except LedgerImportError as exc:
            store.release(token)
            return self.render_import(
                ledger,
                step="report",
                report=report,
                token=token,
                filename=filename,
                status=422,
                problem=exc.message,
                chosen_mode=mode,
            )
        store.delete(token)
        return self.render_import(ledger, step="done", result=result, chosen_mode=mode, filename=filename)

