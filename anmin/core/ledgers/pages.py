"""The upload → (mapping) → dry-run report → confirm pages (``LedgerImportMixin``)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from .base import MODES, DryRun, Ledger, LedgerImportError
from .export import xlsx_response
from .files import ACCEPTED_SUFFIXES, max_bytes
from .store import UploadStore


class LedgerImportMixin:
    """Adds a ledger import to a view: ``?import=1`` shows the upload form, ``?import=template``
    downloads the blank template; posts carry ``ledger_step`` = ``upload`` (store the file and show
    the dry-run report), ``mapping`` (the user's column mapping: ``map_<field>`` = column index; the
    report again), ``confirm`` (with ``token`` and ``mode``) or ``errors`` (the error list as .xlsx).
    Files with more than ``background_rows`` rows are checked and imported in the background
    (``jobs``) with a progress page. Users without ``import_permission`` get 404 for all of it."""

    ledger_class: ClassVar[type[Ledger]]
    import_permission: ClassVar[str | None] = None
    import_template_name: ClassVar[str] = "anmin/import.html"
    import_param: ClassVar[str] = "import"
    max_upload_bytes: ClassVar[int | None] = None  # default: ANMIN_LEDGER_MAX_BYTES (20 MB)
    shown_errors: ClassVar[int] = 500

    def may_import(self) -> bool:
        return self.import_permission is None or self.request.user.has_perm(self.import_permission)

    def get_ledger(self) -> Ledger:
        return self.ledger_class(user=self.request.user, request=self.request)

    def upload_store(self) -> UploadStore:
        return UploadStore()

    def write_export(self, out, qs, *, progress=None, reveal: bool = False) -> int:
        """A background export in the ledger's own columns (re-importable); ``reveal``: full numbers."""
        return self.get_ledger().write_workbook(out, qs, progress=progress, reveal=reveal)

    def export_response(self, qs):
        """导出 Excel in the ledger's own columns, as the background export writes them: the file imports
        again (its rows 已存在). The page's table columns came out for an export under the background
        threshold — 网格事件台账's export then asked for every column to be mapped by hand."""
        if not getattr(self, "ledger_class", None):
            return super().export_response(qs)  # type: ignore[misc]
        name = getattr(self, "export_name", "") or getattr(self, "title", "")
        return self.get_ledger().export_response(qs, filename=str(name) if name else None)

    def get_context_data(self, **kwargs):
        """The ledger page offers the import (``import_url``) to who may import."""
        ctx = super().get_context_data(**kwargs)  # type: ignore[misc]
        if self.may_import():
            ctx.setdefault("import_url", f"?{self.import_param}=1")
        return ctx

    def import_back_url(self) -> str:
        return self.request.path

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get(self.import_param)
        if wanted:
            if not self.may_import():
                raise Http404
            ledger = self.get_ledger()
            if wanted == "template":
                return ledger.template_response()
            if wanted == "job":
                return self.import_job(ledger, request.GET.get("token", ""))
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
        if step == "mapping":
            return self.import_mapping(ledger)
        if step == "cancel":
            from .jobs import cancel

            upload = self._upload(ledger)
            if upload is not None:
                cancel(upload.token)
                return self.import_job(ledger, upload.token)
            return self.render_import(ledger, step="upload", status=409, problem="该上传已导入、已过期或不存在")
        if step in ("confirm", "errors"):
            return self.import_confirm(ledger, errors_only=step == "errors")
        return self.render_import(ledger, step="upload", problem="未知的操作", status=400)

    def render_import(self, ledger: Ledger, *, step: str, status: int = 200, **ctx) -> HttpResponse:
        report: DryRun | None = ctx.get("report")
        context = {
            # The ledger's title is its file's (Chinese) name; the page reads it in the reader's language
            # where the catalogue has it (a ledger page of the same title does).
            "title": gettext("导入{what}").format(what=gettext(ledger.title)),
            "ledger": ledger,
            "step": step,
            "back_url": self.import_back_url(),
            "modes": MODES,
            "import_param": self.import_param,
            "accept": ",".join(ACCEPTED_SUFFIXES),
            **ctx,
        }
        if report is not None:
            errors = report.errors
            context.update(
                errors=errors[: self.shown_errors],
                error_count=len(errors),
                more_errors=max(0, len(errors) - self.shown_errors),
                warnings=report.warnings[: self.shown_errors],
                mapping_rows=report.mapping_rows(ledger),
                fields=[(c.field, f"{c.header}{'*' if c.required else ''}") for c in ledger.columns],
            )
        return render(self.request, self.import_template_name, context, status=status)

    def import_upload(self, ledger: Ledger) -> HttpResponse:
        f = self.request.FILES.get("file")
        limit = self.max_upload_bytes or max_bytes()
        if f is None:
            return self.render_import(ledger, step="upload", status=400,
                                      problem="请选择要导入的台账文件（Excel .xlsx、.xls 或 CSV）")
        if not f.name.lower().endswith(ACCEPTED_SUFFIXES):
            return self.render_import(
                ledger, step="upload", status=400,
                problem="文件：只支持 Excel（.xlsx、.xls）和 CSV 文件（可在 Excel 或 WPS 中“另存为”）")
        if f.size > limit:
            return self.render_import(ledger, step="upload", status=400,
                                      problem=f"文件：不能超过 {limit // (1024 * 1024)} MB；请分成几个文件导入")
        data = f.read()
        store = self.upload_store()
        token = store.put(user_id=self.request.user.pk, ledger_key=ledger.key, filename=f.name, data=data)
        from .jobs import wants_background

        if wants_background(data):
            return self.start_background(ledger, token, f.name)
        report = ledger.dry_run(data, filename=f.name)
        store.set_fingerprint(token, report.fingerprint)
        return self.render_import(ledger, step="report", report=report, token=token, filename=f.name)

    def start_background(self, ledger: Ledger, token: str, filename: str, *, mode: str = "") -> HttpResponse:
        from .jobs import start

        job = start(ledger, token, user=self.request.user, mode=mode)
        return self.render_import(ledger, step="job", job=job, token=token, filename=filename)

    def import_job(self, ledger: Ledger, token: str) -> HttpResponse:
        """The progress (and later the result) of a ledger checked or imported in the background."""
        from .jobs import state

        job = state(token, user_id=self.request.user.pk, ledger_key=ledger.key)
        if job is None:
            return self.render_import(ledger, step="upload", status=404, problem="没有找到这次导入（已过期或不存在）")
        if (job.get("report") or {}).get("needs_mapping"):
            # the mapping step: reading the header is quick, the rows are not checked until mapped
            upload = self.upload_store().get(token, user_id=self.request.user.pk, ledger_key=ledger.key)
            report = ledger.dry_run(upload.data, filename=upload.meta.get("filename", ""),
                                    mapping=upload.meta.get("mapping"))
            return self.render_import(ledger, step="report", report=report, token=token,
                                      filename=upload.meta.get("filename", ""))
        percent = int(100 * job.get("done", 0) / job["total"]) if job.get("total") else 0
        return self.render_import(ledger, step="job", job=job, token=token, percent=percent,
                                  job_report=job.get("report"))

    def posted_mapping(self, ledger: Ledger) -> dict[str, int | None]:
        """The mapping step's answer: ``col_<index>`` = field for each file column (every field not
        chosen is unmapped), or ``map_<field>`` = column index for single fields."""
        out: dict[str, int | None] = {}
        fields = {c.field for c in ledger.columns}
        by_column = {k: v for k, v in self.request.POST.items() if k.startswith("col_")}
        if by_column:
            out = dict.fromkeys(fields)
            for key, f in by_column.items():
                idx = key[4:]
                if f in fields and idx.isdigit():
                    out[f] = int(idx)
        for col in ledger.columns:
            raw = self.request.POST.get(f"map_{col.field}")
            if raw is None:
                continue
            out[col.field] = int(raw) if raw.strip().lstrip("-").isdigit() and int(raw) >= 0 else None
        return out

    def _upload(self, ledger: Ledger):
        token = self.request.POST.get("token", "")
        try:
            return self.upload_store().get(token, user_id=self.request.user.pk, ledger_key=ledger.key)
        except LookupError:
            return None

    def import_mapping(self, ledger: Ledger) -> HttpResponse:
        upload = self._upload(ledger)
        if upload is None:
            return self.render_import(ledger, step="upload", status=409,
                                      problem="该上传已导入、已过期或不存在，请重新上传台账")
        mapping = self.posted_mapping(ledger)
        chosen = [i for i in mapping.values() if i is not None]
        picked = [v for k, v in self.request.POST.items() if k.startswith("col_") and v]
        if len(set(picked)) < len(picked):  # one field chosen for two columns
            chosen = [*chosen, -1, -1]
        filename = upload.meta.get("filename", "")
        if len(chosen) != len(set(chosen)):
            report = ledger.dry_run(upload.data, filename=filename, mapping=upload.meta.get("mapping"))
            return self.render_import(ledger, step="report", report=report, token=upload.token, filename=filename,
                                      status=400, problem="同一列只能对应一项内容，请检查列对应")
        store = self.upload_store()
        store.set_meta(upload.token, mapping=mapping)
        from .jobs import wants_background

        if wants_background(upload.data):
            return self.start_background(ledger, upload.token, filename)
        report = ledger.dry_run(upload.data, filename=filename, mapping=mapping)
        store.set_fingerprint(upload.token, report.fingerprint)
        return self.render_import(ledger, step="report", report=report, token=upload.token, filename=filename)

    def import_confirm(self, ledger: Ledger, *, errors_only: bool) -> HttpResponse:
        upload = self._upload(ledger)
        store = self.upload_store()
        if upload is None:
            return self.render_import(
                ledger, step="upload", status=409, problem="该上传已导入、已过期或不存在，请重新上传台账"
            )
        token = upload.token
        mapping: dict[str, Any] | None = upload.meta.get("mapping")
        filename = upload.meta.get("filename", "")
        mode = self.request.POST.get("mode", "")
        from .jobs import wants_background

        if not errors_only and mode in MODES and wants_background(upload.data):
            if not store.claim(token):
                return self.render_import(ledger, step="upload", status=409,
                                          problem="该上传正在导入或已导入，请勿重复提交")
            store.release(token)
            return self.start_background(ledger, token, filename, mode=mode)
        report = ledger.dry_run(upload.data, filename=filename, mapping=mapping)
        if errors_only:
            return xlsx_response(ledger.errors_workbook(report), f"{ledger.title}（错误清单）")
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
        if mapping:
            remember(ledger, report)
        return self.render_import(ledger, step="done", result=result, chosen_mode=mode, filename=filename)


def remember(ledger: Ledger, report: DryRun) -> None:
    """After an import with a mapping the user confirmed: keep it for the organisation's next file."""
    from .mappings import remember_mapping

    if ledger.user is None or not getattr(ledger.user, "pk", None):
        return
    remember_mapping(actor=ledger.user, ledger_key=ledger.key, layout=report.layout,
                     columns=dict(report.mapping), labels=list(report.file_columns))
