"""Photos taken with a report (a grid event, a patrol check-in, a hazard): checked, re-encoded and
stripped of metadata before they are kept, then written under random names.

The re-encoding is ``images.reencode_image``: every photo is decoded with Pillow and written out again
as a new JPEG, so nothing of the original file survives but the pixels — no EXIF (camera, time, GPS
position), no XMP/IPTC, no comments, no embedded thumbnails, no payload behind the image data —
turned the way the camera meant. Limits (settings, with these defaults): 10 MB per file, 40
megapixels, JPEG/PNG/WebP only, 6 photos per record, longest side scaled down to 2048 px.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile

from ..actors import as_user
from ..errors import invalid
from .errors import Rejected
from .images import CleanImage, reencode_image
from .sanitize import human_size, read_upload
from .storage import upload_storage

log = logging.getLogger("anmin.attachments")
CleanPhoto = CleanImage  # a photo ready to store: a fresh JPEG with no metadata


def max_bytes() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_PIXELS", 40_000_000))


def max_side() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_SIDE", 2048))


def max_photos() -> int:
    return int(getattr(settings, "ANMIN_PHOTO_MAX_COUNT", 6))


def clean_photo(upload, *, index: int = 0, field: str = "photos") -> CleanPhoto:
    """Check one uploaded file and return it re-encoded; errors name the photo and the rule."""
    limit = max_bytes()
    too_big = f"第{index + 1}张照片：文件大小不能超过 {human_size(limit)}"
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise invalid(field, too_big)
    raw = read_upload(upload, limit)
    if len(raw) > limit:
        raise invalid(field, too_big)
    try:
        return reencode_image(raw, max_pixels=max_pixels(), max_side=max_side(), output="jpeg")
    except Rejected as exc:
        raise invalid(field, f"第{index + 1}张照片：{exc.rule}") from exc


def clean_photos(uploads, *, field: str = "photos", label: str = "现场照片") -> list[CleanPhoto]:
    uploads = list(uploads or [])
    if len(uploads) > max_photos():
        raise invalid(field, f"「{label}」最多 {max_photos()} 张")
    return [clean_photo(u, index=i, field=field) for i, u in enumerate(uploads)]


class PhotoRows(list):
    """The rows ``write_photos`` made, with their ``model`` (known when there are none)."""

    model: Any = None


def write_photos(photos: Sequence[CleanPhoto], model, *, saved: list[str]) -> list:
    """Unsaved ``model`` rows (a photo model with ``file``, ``content_type``, ``width``, ``height``,
    ``size``, ``sha256``) with their files written. Write them before the transaction (file I/O stays out
    of the locked part of the write) and create the rows inside it; ``saved`` collects the names for
    ``discard`` if the transaction fails. A random name: the stored path says nothing about the
    record, the place or the person."""
    rows = PhotoRows()
    rows.model = model
    for photo in photos:
        row = model(content_type=photo.content_type, width=photo.width, height=photo.height, size=photo.size,
                    sha256=photo.sha256)
        row.file.save(f"{uuid.uuid4().hex}.jpg", ContentFile(photo.data), save=False)
        saved.append(row.file.name)
        rows.append(row)
    return rows


def discard(names: Iterable[str]) -> None:
    """Delete files written for a record that was not created."""
    for name in names:
        try:
            upload_storage().delete(name)
        except OSError:  # pragma: no cover - nothing more to do than log it
            log.warning("attachments.photo.discard_failed name=%s", name)


@contextmanager
def stored(photos: Sequence[CleanPhoto], model) -> Iterator[list]:
    """``write_photos`` for the block that creates the record: yields the unsaved rows with their files
    written (before the block's transaction) and deletes the files again if the block fails.

        with stored(clean_photos(uploads), ReportPhoto) as rows, transaction.atomic():
            report = Report.objects.create(...)
            attach(rows, report, actor=actor, now=now)
    """
    saved: list[str] = []
    try:
        yield write_photos(photos, model, saved=saved)
    except BaseException:
        discard(saved)
        raise


def attach(rows: Sequence, owner, *, actor, now) -> list:
    """Create the rows ``stored`` yielded on their record (the photo model's ``owner_field``), the
    record just created in the same block: they are all its photos, so the record keeps them as
    fetched (``owner.photos.all()`` — what its answer lists — needs no query)."""
    for row in rows:
        setattr(row, row.owner_field, owner)
        row.uploaded_by, row.uploaded_at = as_user(actor), now
    model = getattr(rows, "model", None) or (type(rows[0]) if rows else None)
    created = model.objects.bulk_create(rows) if rows else []
    if model is not None:
        accessor = model._meta.get_field(model.owner_field).remote_field.get_accessor_name()
        kept = getattr(owner, accessor).all()
        kept._result_cache, kept._prefetch_done = list(created), True
        if not hasattr(owner, "_prefetched_objects_cache"):
            owner._prefetched_objects_cache = {}
        owner._prefetched_objects_cache[accessor] = kept
    return created
