"""Uploaded ledgers kept server-side (encrypted) between the dry run and the confirmation."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from ..protected.crypto import decrypt, encrypt

# --- uploads kept between the steps ---------------------------------------------------------------------------

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class StoredUpload:
    token: str
    data: bytes
    meta: dict[str, Any]


class UploadStore:
    """Uploaded ledgers kept server-side between the dry run and the confirmation: encrypted with the
    data key (they hold ID numbers), bound to the user and the ledger, removed after the import or
    after ``ANMIN_LEDGER_UPLOAD_HOURS`` (24)."""

    def __init__(self, directory: Path | None = None) -> None:
        default = Path(getattr(settings, "VAR_DIR", Path("var"))) / "ledger-uploads"
        self.directory = Path(directory or getattr(settings, "ANMIN_LEDGER_UPLOAD_DIR", default))

    def _paths(self, token: str) -> tuple[Path, Path]:
        if not _TOKEN.match(token or ""):
            raise LookupError("bad token")
        return self.directory / f"{token}.bin", self.directory / f"{token}.json"

    @staticmethod
    def _context(ledger_key: str, user_id: Any) -> str:
        return f"anmin.ledgers.upload|{ledger_key}|{user_id}"

    def put(self, *, user_id: Any, ledger_key: str, filename: str, data: bytes) -> str:
        self.purge()
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        token = secrets.token_urlsafe(24)
        blob, meta = self._paths(token)
        sealed = encrypt(base64.b64encode(data).decode("ascii"), context=self._context(ledger_key, user_id))
        _write_private(blob, sealed.encode("ascii"))
        _write_private(
            meta,
            json.dumps(
                {
                    "user": user_id,
                    "ledger": ledger_key,
                    "filename": filename[:200],
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "created": time.time(),
                    "fingerprint": "",
                }
            ).encode(),
        )
        return token

    def get(self, token: str, *, user_id: Any, ledger_key: str) -> StoredUpload:
        blob, meta_path = self._paths(token)
        try:
            meta = json.loads(meta_path.read_text())
            sealed = blob.read_text()
        except (OSError, ValueError):
            raise LookupError("no such upload") from None
        if meta.get("user") != user_id or meta.get("ledger") != ledger_key:
            raise LookupError("not this user's upload")
        data = base64.b64decode(decrypt(sealed, context=self._context(ledger_key, user_id)))
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            raise LookupError("upload changed")
        return StoredUpload(token, data, meta)

    def meta_of(self, token: str, *, user_id: Any, ledger_key: str) -> dict[str, Any]:
        """The upload's meta (not its contents), if it is this user's and ledger's."""
        _blob, meta_path = self._paths(token)
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            raise LookupError("no such upload") from None
        if meta.get("user") != user_id or meta.get("ledger") != ledger_key:
            raise LookupError("not this user's upload")
        return meta

    def replace(self, token: str, data: bytes) -> None:
        """Put new contents under an existing token (a background export's finished file)."""
        blob, meta_path = self._paths(token)
        meta = json.loads(meta_path.read_text())
        sealed = encrypt(base64.b64encode(data).decode("ascii"), context=self._context(meta["ledger"], meta["user"]))
        _write_private(blob, sealed.encode("ascii"))
        self.set_meta(token, sha256=hashlib.sha256(data).hexdigest())

    def set_fingerprint(self, token: str, fingerprint: str) -> None:
        self.set_meta(token, fingerprint=fingerprint)

    def set_meta(self, token: str, **values: Any) -> None:
        """Keep more about the upload (the confirmed column mapping, a background job's id)."""
        _blob, meta_path = self._paths(token)
        meta = json.loads(meta_path.read_text())
        meta.update(values)
        _write_private(meta_path, json.dumps(meta).encode())

    def claim(self, token: str) -> bool:
        """Take the upload for importing; only one of two concurrent confirmations gets it."""
        blob, _meta = self._paths(token)
        try:
            os.rename(blob, blob.with_suffix(".importing"))
        except OSError:
            return False
        return True

    def release(self, token: str) -> None:
        blob, _meta = self._paths(token)
        with contextlib.suppress(OSError):
            os.rename(blob.with_suffix(".importing"), blob)

    def delete(self, token: str) -> None:
        blob, meta = self._paths(token)
        for p in (blob, blob.with_suffix(".importing"), meta):
            p.unlink(missing_ok=True)

    def purge(self) -> None:
        if not self.directory.exists():
            return
        cutoff = time.time() - 3600 * int(getattr(settings, "ANMIN_LEDGER_UPLOAD_HOURS", 24))
        for p in self.directory.iterdir():
            try:
                if p.stat().st_mtime < cutoff:
                    p.unlink(missing_ok=True)
            except OSError:
                continue


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


# --- the upload → report → confirm pages --------------------------------------------------------------------------

