"""Photo uploads of grid events: checked, re-encoded and stripped of metadata before they are kept.

Every photo is decoded with Pillow and written out again as a new JPEG, so nothing of the original
file survives but the pixels: no EXIF (camera, time, GPS position), no XMP/IPTC, no comments, no
embedded thumbnails — and no payload smuggled behind the image data. The orientation the camera
recorded is applied to the pixels first, so the photo still shows the right way up. Limits
(settings, with these defaults): 10 MB per file, 40 megapixels, JPEG/PNG/WebP only, 6 photos per
event, longest side scaled down to 2048 px.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "MPO": "JPEG"}  # MPO: phone JPEGs with a depth map


def max_bytes() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_PIXELS", 40_000_000))


def max_side() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_SIDE", 2048))


def max_photos() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_COUNT", 6))


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: a fresh JPEG with no metadata."""

    data: bytes
    width: int
    height: int
    sha256: str
    content_type: str = "image/jpeg"

    @property
    def size(self) -> int:
        return len(self.data)


def _error(index: int, message: str) -> ValidationError:
    return ValidationError({"photos": f"第{index + 1}张照片：{message}"})


def clean_photo(upload, *, index: int = 0) -> CleanPhoto:
    """Check one uploaded file and return it re-encoded; errors name the photo and the rule."""
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise _error(index, f"文件大小不能超过 {limit // (1024 * 1024)} MB")
    raw = upload.read() if hasattr(upload, "read") else bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(raw) > limit:
        raise _error(index, f"文件大小不能超过 {limit // (1024 * 1024)} MB")
    if not raw:
        raise _error(index, "文件是空的")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise _error(index, "只接受 JPEG、PNG 或 WebP 格式的图片")
            if probe.width * probe.height > max_pixels():
                raise _error(index, f"图片像素不能超过 {max_pixels() // 1_000_000} 百万")
            probe.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _error(index, "不是可识别的图片文件（只接受 JPEG、PNG 或 WebP）") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise _error(index, "图片文件已损坏，无法读取") from exc
    image = ImageOps.exif_transpose(probe)  # keep what the camera meant by "up"; metadata goes below
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    side = max_side()
    if max(image.size) > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A new image holding only the pixels: no info dict, no EXIF/XMP/ICC to carry over.
    pixels = Image.new(image.mode, image.size)
    pixels.paste(image)
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=85, optimize=True)
    data = out.getvalue()
    return CleanPhoto(data=data, width=pixels.width, height=pixels.height, sha256=hashlib.sha256(data).hexdigest())


def clean_photos(uploads) -> list[CleanPhoto]:
    uploads = list(uploads or [])
    if len(uploads) > max_photos():
        raise ValidationError({"photos": f"「现场照片」最多 {max_photos()} 张"})
    return [clean_photo(u, index=i) for i, u in enumerate(uploads)]
