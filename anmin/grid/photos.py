"""Photo uploads of grid events: checked, re-encoded and stripped of metadata before they are kept.

The re-encoding is the attachment service's (``anmin.core.attachments.images.reencode_image``):
every photo is decoded with Pillow and written out again as a new JPEG, so nothing of the original
file survives but the pixels — no EXIF (camera, time, GPS position), no XMP/IPTC, no comments, no
embedded thumbnails, no payload behind the image data — turned the way the camera meant. Photos are
kept in the same upload storage as attachments, outside the web root. Limits (settings, with these
defaults): 10 MB per file, 40 megapixels, JPEG/PNG/WebP only, 6 photos per event, longest side
scaled down to 2048 px.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from anmin.core.attachments.errors import Rejected
from anmin.core.attachments.images import CleanImage, reencode_image
from anmin.core.attachments.sanitize import human_size, read_upload

CleanPhoto = CleanImage  # a photo ready to store: a fresh JPEG with no metadata


def max_bytes() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_PIXELS", 40_000_000))


def max_side() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_SIDE", 2048))


def max_photos() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_COUNT", 6))


def _error(index: int, message: str) -> ValidationError:
    return ValidationError({"photos": f"第{index + 1}张照片：{message}"})


def clean_photo(upload, *, index: int = 0) -> CleanPhoto:
    """Check one uploaded file and return it re-encoded; errors name the photo and the rule."""
    limit = max_bytes()
    too_big = f"文件大小不能超过 {human_size(limit)}"
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _error(index, too_big)
    raw = read_upload(upload, limit)
    if len(raw) > limit:
        raise _error(index, too_big)
    try:
        return reencode_image(raw, max_pixels=max_pixels(), max_side=max_side(), output="jpeg")
    except Rejected as exc:
        raise _error(index, exc.rule) from exc


def clean_photos(uploads) -> list[CleanPhoto]:
    uploads = list(uploads or [])
    if len(uploads) > max_photos():
        raise ValidationError({"photos": f"「现场照片」最多 {max_photos()} 张"})
    return [clean_photo(u, index=i) for i, u in enumerate(uploads)]
