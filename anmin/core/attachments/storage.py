"""Where uploaded files are kept: ``settings.ANMIN_UPLOAD_DIR`` (default ``$ANMIN_VAR_DIR/uploads``),
a directory no URL maps to — not ``STATIC_ROOT``, not a ``MEDIA_ROOT`` — so a file leaves the
server only through a scoped view. Files get random names; the client's name is never on disk.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone
from django.utils.deconstruct import deconstructible

log = logging.getLogger("anmin.attachments")


def upload_dir() -> Path:
    return Path(settings.ANMIN_UPLOAD_DIR)


@deconstructible(path="anmin.core.attachments.storage.UploadStorage")
class UploadStorage(FileSystemStorage):
    """A file-system storage rooted at ``settings.ANMIN_UPLOAD_DIR``, read on every use (tests point
    it at a temporary directory), readable only by the platform's own account."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(upload_dir())

    @property
    def location(self) -> str:  # type: ignore[override]
        return str(upload_dir().resolve())

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None  # no URL serves these files

    def url(self, name) -> str:
        raise ValueError("uploaded files have no public URL; serve them through a scoped view")


def upload_storage() -> Storage:
    """The storage of attachments and grid photos (a callable, as ``FileField(storage=…)`` takes it):
    ``STORAGES["uploads"]`` — ``UploadStorage`` by default; an S3-compatible object store when
    ``ANMIN_UPLOAD_STORAGE=s3`` (several app servers, docs/scaling-out.md)."""
    return storages["uploads"]


def save_bytes(data: bytes, *, ext: str, folder: str = "attachments") -> str:
    """Write ``data`` under a random name (``<folder>/YYYY/MM/<32 hex>.<ext>``); return the name."""
    now = timezone.now()
    name = f"{folder}/{now:%Y/%m}/{secrets.token_hex(16)}.{ext}"
    return upload_storage().save(name, ContentFile(data))


def discard(names) -> None:
    for name in names:
        try:
            upload_storage().delete(name)
        except OSError:  # pragma: no cover - nothing more to do than log it
            log.warning("attachments.discard_failed name=%s", name)


def _inside(path: Path, root) -> bool:
    if not root:
        return False
    try:
        path.resolve().relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True


def web_roots() -> list[Path]:
    """Directories something serves over HTTP: static files (collected and source) and MEDIA_ROOT."""
    from django.contrib.staticfiles.finders import get_finders

    roots = [Path(p) for p in (settings.STATIC_ROOT, getattr(settings, "MEDIA_ROOT", "")) if p]
    for finder in get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return roots


@checks.register(checks.Tags.security)
def check_upload_dir(app_configs=None, **kwargs):
    """The upload directory must not lie inside anything served as static or media files."""
    if not isinstance(upload_storage(), FileSystemStorage):
        return []  # an object store: nothing on this machine's disk
    path = upload_dir()
    errors = []
    for root in web_roots():
        if _inside(path, root) or _inside(root, path):
            errors.append(checks.Error(
                f"ANMIN_UPLOAD_DIR ({path}) overlaps a directory served over HTTP ({root})",
                hint="Keep uploads outside STATIC_ROOT, MEDIA_ROOT and the static directories.",
                id="anmin.E010",
            ))
    return errors
