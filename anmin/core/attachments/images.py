"""Images: decoded with Pillow and written out again, so nothing of the original file survives but the
pixels — no EXIF (camera, time, GPS position), no XMP/IPTC, no comments, no embedded thumbnails, no
ICC profile, and no payload smuggled behind the image data. The orientation the camera recorded is
applied to the pixels first, so the picture still shows the right way up.

Also here: lossless strippers for the JPEG and PNG images *inside* PDF and Office files
(``strip_jpeg`` drops the APP1 EXIF/XMP, MPF and comment segments, ``strip_png`` the text, EXIF and
time chunks), which must not be re-encoded because the document refers to them as they are.

This is the one implementation: photos of reports (``photos.py``) and attachments use it.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import Rejected

# Pillow's format name → attachment kind. MPO: phone JPEGs with a depth map (only the first frame is kept).
PILLOW_FORMATS = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp"}
OUTPUT = {"jpeg": ("JPEG", "image/jpeg"), "png": ("PNG", "image/png"), "webp": ("WEBP", "image/webp")}
NOT_AN_IMAGE = "不是可识别的图片文件（只接受 JPEG、PNG 或 WebP）"


@dataclass(frozen=True)
class CleanImage:
    """An image ready to store: freshly encoded, no metadata."""

    data: bytes
    width: int
    height: int
    sha256: str
    content_type: str = "image/jpeg"
    kind: str = "jpeg"

    @property
    def size(self) -> int:
        return len(self.data)


def _open(raw: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            if probe.format not in PILLOW_FORMATS:
                raise Rejected("只接受 JPEG、PNG 或 WebP 格式的图片")
            if probe.width * probe.height > max_pixels:
                raise Rejected(f"图片像素不能超过 {max_pixels // 1_000_000} 百万")
            probe.load()
    except Rejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Rejected(NOT_AN_IMAGE) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise Rejected("图片文件已损坏，无法读取") from exc
    return probe


def reencode_image(raw: bytes, *, max_pixels: int = 40_000_000, max_side: int | None = None,
                   output: str = "jpeg", quality: int = 85) -> CleanImage:
    """Decode ``raw`` and encode its pixels afresh. ``output``: "jpeg" (always JPEG, transparency on
    white, as grid photos are kept) or "same" (JPEG, PNG and WebP each stay what they are).
    Raises ``Rejected`` naming the rule."""
    if not raw:
        raise Rejected("文件是空的")
    probe = _open(raw, max_pixels)
    kind = PILLOW_FORMATS[probe.format] if output == "same" else output
    fmt, content_type = OUTPUT[kind]
    image = ImageOps.exif_transpose(probe)  # keep what the camera meant by "up"; metadata goes below
    if kind == "jpeg" and image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif kind != "jpeg" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A new image holding only the pixels: no info dict, no EXIF/XMP/ICC to carry over.
    pixels = Image.new(image.mode, image.size)
    pixels.paste(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels.save(out, format="JPEG", quality=quality, optimize=True)
    elif fmt == "PNG":
        pixels.save(out, format="PNG", optimize=True)
    else:
        pixels.save(out, format="WEBP", quality=quality)
    data = out.getvalue()
    return CleanImage(data=data, width=pixels.width, height=pixels.height, sha256=hashlib.sha256(data).hexdigest(),
                      content_type=content_type, kind=kind)


# -- Lossless strippers for images embedded in documents ------------------------------------------
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0–7


def _jpeg_segment_kept(marker: int, body: bytes) -> bool:
    if marker == 0xFE:  # COM
        return False
    if marker == 0xE2:  # APP2: ICC profiles stay (colour), MPF (further pictures, each with EXIF) goes
        return not body.startswith(b"MPF\x00")
    if marker == 0xE0 or marker == 0xEE:  # APP0 JFIF, APP14 Adobe (colour transform): needed to decode
        return True
    return not 0xE1 <= marker <= 0xEF  # APP1 EXIF/XMP, APP13 Photoshop/IPTC and the rest


def strip_jpeg(data: bytes) -> bytes:
    """The same JPEG without EXIF/XMP/IPTC/comment segments and without anything after its end
    (MPO's further pictures). Raises ``ValueError`` on a file it cannot walk."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            raise ValueError("marker expected")
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            break
        marker = data[i]
        i += 1
        if marker == 0xD9:  # EOI: the picture ends here, whatever follows
            out += b"\xff\xd9"
            return bytes(out)
        if marker in _JPEG_STANDALONE:
            out += bytes((0xFF, marker))
            continue
        if i + 2 > n:
            raise ValueError("truncated segment")
        length = int.from_bytes(data[i:i + 2], "big")
        if length < 2 or i + length > n:
            raise ValueError("bad segment length")
        body = data[i + 2:i + length]
        if _jpeg_segment_kept(marker, body):
            out += bytes((0xFF, marker)) + data[i:i + length]
        i += length
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            j = i
            while True:
                j = data.find(b"\xff", j)
                if j < 0 or j + 1 >= n:
                    raise ValueError("unterminated scan")
                following = data[j + 1]
                if following == 0x00 or following in _JPEG_STANDALONE or following == 0xFF:
                    j += 1 if following == 0xFF else 2
                    continue
                break
            out += data[i:j]
            i = j
    raise ValueError("no end of image")


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def strip_png(data: bytes) -> bytes:
    """The same PNG without text, EXIF and time chunks. Raises ``ValueError`` on a broken file."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out = bytearray(_PNG_SIGNATURE)
    i, n = len(_PNG_SIGNATURE), len(data)
    while i + 12 <= n:
        length = int.from_bytes(data[i:i + 4], "big")
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > n:
            raise ValueError("truncated chunk")
        if kind not in _PNG_DROPPED:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("no IEND")


def strip_embedded_image(name: str, data: bytes) -> bytes:
    """An image inside a document, stripped by its content (JPEG, PNG); other formats as they are."""
    if data[:3] == b"\xff\xd8\xff":
        return strip_jpeg(data)
    if data.startswith(_PNG_SIGNATURE):
        return strip_png(data)
    return data
