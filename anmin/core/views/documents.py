"""Printed documents (文书) of a record, and the city office's page of templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ..documents import actions, service
from ..documents.pdf import PdfUnavailable
from ..documents.registry import documents
from ..documents.render import TemplateBroken, current_template, default_template
from ..errors import ActionError, Invalid, NotFound, invalid

DOCX = service.FORMATS["docx"]


def _file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class DocumentView(View):
    """GET /documents/<key>/<pk>/?format=docx|pdf — the document of one record the user sees."""

    def get(self, request, key: str, pk: int):
        try:
            defn = service.definition(key)
            obj = service.target(defn, pk, request.user)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        fmt = request.GET.get("format", "docx")
        try:
            data, content_type, filename = service.produce(defn, obj, request.user, fmt, request=request)
        except Invalid as exc:
            return self.refuse(request, obj, exc.message, status=400)
        except PdfUnavailable as exc:
            return self.refuse(request, obj, str(exc), status=503)
        except TemplateBroken as exc:
            return self.refuse(request, obj, _("文书模板有误（%(e)s）：请市平安办在「文书模板」中修正或恢复默认模板")
                               % {"e": exc}, status=500)
        return _file(data, content_type, filename)

    def refuse(self, request, obj, message: str, *, status: int):
        return render(request, "core/document_refused.html", {"object": obj, "message": message}, status=status)


class TemplateListView(PermissionRequiredMixin, View):
    """The city office's templates: download the one in use, upload its own, go back to the default."""

    permission_required = actions.PERM

    def get(self, request):
        from ..models import DocumentTemplate

        own = {t.key: t for t in DocumentTemplate.objects.select_related("uploaded_by")}
        rows = [{"defn": d, "own": own.get(d.key)} for d in sorted(documents, key=lambda d: (d.order, d.key))]
        return render(request, "core/document_templates.html", {"rows": rows, "title": _("文书模板")})

    def post(self, request):
        key = request.POST.get("key", "")
        try:
            if request.POST.get("reset"):
                actions.reset_template(actor=request.user, key=key, request=request)
                messages.success(request, _("已恢复默认模板"))
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise invalid("file", "请选择要上传的 Word 文档（.docx）")
                actions.upload_template(actor=request.user, key=key, upload=upload, request=request)
                messages.success(request, _("模板已更新，之后打印的文书按新模板生成"))
        except ActionError as exc:
            messages.error(request, exc.message)
        return redirect("core:document_templates")


class TemplateDownloadView(PermissionRequiredMixin, View):
    permission_required = actions.PERM

    def get(self, request, key: str):
        try:
            defn = service.definition(key)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        data = default_template(defn) if request.GET.get("default") else current_template(defn)[0]
        return _file(data, DOCX, f"{defn.label}-模板.docx")
