"""From an uploaded file to one fit to keep: limits, kind by content, metadata stripped.

``clean_upload(upload, field=, label=, kinds=)`` returns a ``CleanFile`` or raises a
``ValidationError`` on ``field`` whose message names the field and the rule
(「附件」文件大小不能超过 10 MB).

* Size: ``settings.ANMIN_ATTACHMENT_MAX_BYTES`` (default 10 MB), checked before and while reading.
* Kind: from the first bytes (``detect.py``), then confirmed by parsing; the client's file name
  and Content-Type are ignored. Allowed: ``settings.ANMIN_ATTACHMENT_KINDS`` (default JPEG, PNG,
  WebP, PDF, docx, xlsx, pptx), narrowed per owner.
* Images are re-encoded (``images.py``; at most ``ANMIN_ATTACHMENT_IMAGE_MAX_SIDE`` px, default
  4096, and ``ANMIN_ATTACHMENT_IMAGE_MAX_PIXELS``, default 40 million), Office files rewritten
  (``office.py``), PDFs rewritten (``pdf.py``).
* The file name kept for the download is the client's, cleaned, with the extension of the kind
  found — a program renamed ``.pdf`` is refused, and a PDF named ``.exe`` comes back as ``.pdf``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from ..protected.masking import mask_identifiers_in_text
from .detect import sniff
from .errors import Rejected
from .images import reencode_image
from .kinds import KINDS, describe
from .office import clean_ooxml
from .pdf import clean_pdf

MB = 1024 * 1024
DEFAULT_KINDS = ("jpeg", "png", "webp", "pdf", "docx", "xlsx", "pptx")


def max_bytes() -> int:
    return int(getattr(settings, "ANMIN_ATTACHMENT_MAX_BYTES", 10 * MB))


def allowed_kinds(narrowed=None) -> tuple[str, ...]:
    kinds = tuple(getattr(settings, "ANMIN_ATTACHMENT_KINDS", DEFAULT_KINDS))
    if narrowed is not None:
        kinds = tuple(k for k in kinds if k in set(narrowed))
    return kinds


def image_max_side() -> int:
    return int(getattr(settings, "ANMIN_ATTACHMENT_IMAGE_MAX_SIDE", 4096))


def image_max_pixels() -> int:
    return int(getattr(settings, "ANMIN_ATTACHMENT_IMAGE_MAX_PIXELS", 40_000_000))


def human_size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f}".removesuffix(".0") + " MB"
    if n >= 1024:
        return f"{n / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{n} 字节"


@dataclass(frozen=True)
class CleanFile:
    data: bytes
    kind: str
    filename: str
    sha256: str
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def mime(self) -> str:
        return KINDS[self.kind].mime

    @property
    def ext(self) -> str:
        return KINDS[self.kind].ext


_FORBIDDEN_IN_NAMES = set('<>:"/\\|?*')


def safe_filename(name: str | None, kind: str) -> str:
    """The client's file name fit for a Content-Disposition header and a Windows desktop: no path,
    no control or direction-override characters, no full ID number or phone (masked: the name is
    stored, shown and audited in the clear), at most 100 characters, and the extension of the kind
    the content really is."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    stem = "".join(ch for ch in stem if ch not in _FORBIDDEN_IN_NAMES and not unicodedata.category(ch).startswith("C"))
    stem = mask_identifiers_in_text(" ".join(stem.split())).strip(" .")[:100].strip(" .") or "附件"
    return f"{stem}.{KINDS[kind].ext}"


def read_upload(upload, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of an uploaded file (or of bytes), so an oversized one is seen
    without reading it all."""
    if isinstance(upload, bytes | bytearray):
        return bytes(upload[: limit + 1])
    if hasattr(upload, "seek"):
        upload.seek(0)
    raw = upload.read(limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return raw


def clean_bytes(raw: bytes, *, kinds: tuple[str, ...]) -> tuple[str, bytes, int | None, int | None]:
    """(kind, cleaned data, width, height) — or ``Rejected`` naming the rule."""
    if not raw:
        raise Rejected("文件是空的")
    refused = f"只接受 {describe(kinds)} 文件"
    sniffed = sniff(raw[:16])
    if sniffed is None:
        raise Rejected(refused)
    if sniffed == "zip":
        if not any(KINDS[k].family == "office" for k in kinds):
            raise Rejected(refused)
        kind, data = clean_ooxml(raw, max_unpacked=max(5 * max_bytes(), 50 * MB))  # held in memory while cleaning
        if kind not in kinds:
            raise Rejected(refused)
        return kind, data, None, None
    if sniffed not in kinds:
        raise Rejected(refused)
    if sniffed == "pdf":
        return "pdf", clean_pdf(raw), None, None
    image = reencode_image(raw, max_pixels=image_max_pixels(), max_side=image_max_side(), output="same")
    return image.kind, image.data, image.width, image.height


def clean_upload(upload, *, field: str = "file", label: str = "附件", kinds=None,
                 filename: str | None = None) -> CleanFile:
    """Check one uploaded file and return it cleaned; errors name the field and the rule."""
    limit = max_bytes()
    kinds = allowed_kinds(kinds)

    def error(rule: str) -> ValidationError:
        return ValidationError({field: f"「{label}」{rule}"})

    if upload is None:
        raise error("为必填项")
    size = getattr(upload, "size", None)
    too_big = f"文件大小不能超过 {human_size(limit)}"
    if size is not None and size > limit:
        raise error(f"{too_big}（该文件 {human_size(size)}）")
    raw = read_upload(upload, limit)
    if len(raw) > limit:
        raise error(too_big)
    try:
        kind, data, width, height = clean_bytes(raw, kinds=kinds)
    except Rejected as exc:
        raise error(exc.rule) from exc
    name = filename if filename is not None else getattr(upload, "name", "")
    return CleanFile(data=data, kind=kind, filename=safe_filename(name, kind),
                     sha256=hashlib.sha256(data).hexdigest(), width=width, height=height)
