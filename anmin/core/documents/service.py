"""Printing a document of a record: who may, what it says, and the audit entry of every print."""

from __future__ import annotations

from django.db import transaction

from anmin.core import audit
from anmin.core.errors import Forbidden, NotFound, invalid
from anmin.core.guards import require_visible
from anmin.core.models.audit import AuditAction

from .pdf import docx_to_pdf
from .registry import DocumentDef, documents
from .render import render_docx

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf"}


def definition(key: str) -> DocumentDef:
    if key not in documents:
        raise NotFound("没有这种文书")
    return documents.get(key)


def target(defn: DocumentDef, pk, user):
    """The record, fetched through ``visible_to`` (out of scope: not found)."""
    model = defn.model_class()
    require_visible(user, model, pk)
    return model.objects.visible_to(user).get(pk=pk)


def produce(defn: DocumentDef, obj, user, fmt: str = "docx", *, request=None) -> tuple[bytes, str, str]:
    """The file (bytes, content type, file name) of one document of one record the user sees;
    every print is in the audit log (a document carries people's names and the record's facts)."""
    if fmt not in FORMATS:
        raise invalid("format", "格式只能是 docx 或 pdf")
    if not defn.allowed(user):
        raise Forbidden(f"您没有打印「{defn.label}」的权限")
    reason = defn.available(obj, user)
    if reason:
        raise invalid("document", reason)
    data = render_docx(defn, obj, user)
    if fmt == "pdf":
        data = docx_to_pdf(data)
    number = getattr(obj, "number", None) or getattr(getattr(obj, "case", None), "number", None) or obj.pk
    with transaction.atomic():
        audit.record(actor=user, action=AuditAction.EXPORT, obj=obj, request=request,
                     after={"文书": defn.label, "格式": fmt.upper(), "编号": str(number)})
    return data, FORMATS[fmt], f"{defn.label}-{number}.{fmt}"
