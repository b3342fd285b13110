"""The city office replaces a document's template with its own Word file, or goes back to the default.

A template decides what every printed 协议书 or 通知书 says, so changing it is audited like any
write and needs ``core.change_documenttemplate`` (the city safety office by default).
"""

from __future__ import annotations

from django.db import transaction

from anmin.core import audit, clock
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.models import DocumentTemplate

from .registry import documents
from .render import check_template

PERM = "core.change_documenttemplate"


def _definition(key: str):
    if key not in documents:
        raise invalid("key", f"没有名为「{key}」的文书")
    return documents.get(key)


@action(perm=PERM, what="上传文书模板")
def upload_template(*, actor, key: str, upload, request=None) -> DocumentTemplate:
    defn = _definition(key)
    name = getattr(upload, "name", "") or f"{defn.label}.docx"
    if not name.lower().endswith(".docx"):
        raise invalid("file", "请上传 Word 文档（.docx）")
    if getattr(upload, "size", 0) and upload.size > 2 * 1024 * 1024:
        raise invalid("file", "模板文件超过 2 MB")
    data = upload.read()
    check_template(data)
    with transaction.atomic():
        row = DocumentTemplate.objects.select_for_update().filter(key=key).first()
        before = {"文件": row.filename, "版本": row.version} if row else {"文件": "（默认模板）"}
        if row is None:
            row = DocumentTemplate(key=key)
        else:
            row.version += 1
        row.content, row.filename, row.size = data, name[:200], len(data)
        row.uploaded_by, row.uploaded_at = actor, clock.now()
        row.save()
        audit.record(actor=actor, action="update", obj=row, region_code="", request=request,
                     before=before, after={"文书": defn.label, "文件": row.filename, "版本": row.version})
    return row


@action(perm=PERM, what="恢复默认文书模板")
def reset_template(*, actor, key: str, request=None) -> None:
    defn = _definition(key)
    with transaction.atomic():
        row = DocumentTemplate.objects.select_for_update().filter(key=key).first()
        if row is None:
            return
        audit.record(actor=actor, action="delete", obj=row, region_code="", request=request,
                     before={"文书": defn.label, "文件": row.filename, "版本": row.version},
                     after={"文件": "（默认模板）"})
        row.delete()
