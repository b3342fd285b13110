"""Fill a document's template with a record: DOCX (docxtpl), and PDF through LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.utils import timezone
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from anmin.core import clock
from anmin.core.errors import invalid

from . import blank
from .registry import DocumentDef

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # a Word file is mostly XML: anything bigger is a bomb


class TemplateBroken(Exception):
    """The office's template could not be filled (a Jinja mistake in an edited Word file)."""


def cn_date(value) -> str:
    """2020年12月10日 — dates in Arabic numerals, as GB/T 9704 writes them."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value) -> str:
    if value is None:
        return ""
    value = timezone.localtime(value)
    return f"{cn_date(value)} {value:%H:%M}"


def default_template(defn: DocumentDef) -> bytes:
    return blank.build(defn.label, defn.blocks)


def current_template(defn: DocumentDef) -> tuple[bytes, bool]:
    """The template in use and whether it is the office's own."""
    from anmin.core.models import DocumentTemplate

    own = DocumentTemplate.objects.filter(key=defn.key).only("content").first()
    if own is not None:
        return bytes(own.content), True
    return default_template(defn), False


def check_template(data: bytes, *, field: str = "file") -> None:
    """Refuse what is not a usable Word template, before parsing more than the archive's index."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise invalid(field, f"模板文件超过 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if "word/document.xml" not in names:
                raise invalid(field, "不是 Word 文档（.docx）：请用 Word 或 WPS 另存为 .docx 后上传")
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED_BYTES:
                raise invalid(field, "模板文件解压后过大，已拒绝")
    except zipfile.BadZipFile:
        raise invalid(field, "不是 Word 文档（.docx）：请用 Word 或 WPS 另存为 .docx 后上传") from None
    try:
        DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except TemplateError as exc:
        raise invalid(field, f"模板中的填充标记有误：{exc}") from None


def render_docx(defn: DocumentDef, obj, user, *, template: bytes | None = None) -> bytes:
    data = template if template is not None else current_template(defn)[0]
    tpl = DocxTemplate(io.BytesIO(data))
    context = {
        "today": cn_date(clock.today()),
        "printed_by": str(user),
        "printed_org": str(getattr(user, "org_unit", "") or ""),
        **defn.context(obj, user),
    }
    try:
        tpl.render(context, autoescape=True)
    except TemplateError as exc:
        raise TemplateBroken(str(exc)) from exc
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def document_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one a line (tests, previews)."""
    from docx import Document as Docx

    doc = Docx(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)
