"""The kinds of file an attachment may be: each with its label, MIME type and file-name extension.

The kind is decided from the file's content (``detect.py``), never from the name or the
Content-Type the client sent, and the stored file name and the download's extension follow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    short: str  # as the rule in an error message names it
    mime: str
    ext: str
    family: str  # "image", "pdf" or "office"


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("jpeg", _("JPEG 图片"), "JPEG", "image/jpeg", "jpg", "image"),
        Kind("png", _("PNG 图片"), "PNG", "image/png", "png", "image"),
        Kind("webp", _("WebP 图片"), "WebP", "image/webp", "webp", "image"),
        Kind("pdf", _("PDF 文档"), "PDF", "application/pdf", "pdf", "pdf"),
        Kind("docx", _("Word 文档"), "Word（.docx）",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "office"),
        Kind("xlsx", _("Excel 表格"), "Excel（.xlsx）",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "office"),
        Kind("pptx", _("PowerPoint 演示文稿"), "PowerPoint（.pptx）",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "office"),
    )
}

KIND_CHOICES = [(k.code, k.label) for k in KINDS.values()]


def describe(codes) -> str:
    """「JPEG、PNG、PDF」: the kinds a rule allows, as an error message names them."""
    return "、".join(KINDS[c].short for c in KINDS if c in set(codes))
