"""Anchors of the audit chain kept OUTSIDE the database: a chain alone cannot show that its tail
was cut off, an anchor (the head's ``seq:hash`` copied somewhere the database administrators cannot
write) can.

* ``write_anchor()`` takes the head and appends ``<ISO time> <seq>:<hash>`` to
  ``ANMIN_AUDIT_ANCHOR_FILE`` and/or pipes it to ``ANMIN_AUDIT_ANCHOR_COMMAND`` (e.g. ``logger -t
  anmin-audit`` for a remote syslog, or a script that mails it). The scheduler does it once a day
  (task ``core.audit_anchor``); ``anmin audit anchor`` does it by hand.
* ``read_anchors(path)`` gives them back; ``anmin audit verify --anchor-file PATH`` checks every one
  (each must still be in the chain with the same hash; the newest catches a cut tail).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import AuditEntry

LINE = re.compile(r"^(\S+)\s+(\d+):([0-9a-f]{64})\s*$")


def head() -> tuple[int, str] | None:
    return AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()


def anchor_file() -> Path | None:
    value = getattr(settings, "ANMIN_AUDIT_ANCHOR_FILE", "") or ""
    return Path(value) if value else None


def anchor_command() -> str:
    return getattr(settings, "ANMIN_AUDIT_ANCHOR_COMMAND", "") or ""


def read_anchors(path: Path) -> list[tuple[dt.datetime, int, str]]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        match = LINE.match(raw.strip())
        if match:
            out.append((dt.datetime.fromisoformat(match.group(1)), int(match.group(2)), match.group(3)))
    return out


def write_anchor(*, path: Path | None = None, command: str | None = None) -> str | None:
    """Write the head as an anchor to the file and/or the command; returns the line (None when the
    log is empty or nowhere to write)."""
    path = path if path is not None else anchor_file()
    command = command if command is not None else anchor_command()
    current = head()
    if current is None or (path is None and not command):
        return None
    line = f"{timezone.now().isoformat(timespec='seconds')} {current[0]}:{current[1]}"
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
    if command:
        subprocess.run(shlex.split(command), input=line + "\n", text=True, check=True, timeout=60)
    return line


def anchor_due(now=None) -> bool:
    """Whether today's anchor is still to be written (the file's newest is from an earlier day)."""
    path = anchor_file()
    if path is None:
        return bool(anchor_command())
    if not path.exists():
        return True
    anchors = read_anchors(path)
    if not anchors:
        return True
    today = timezone.localdate(now or timezone.now())
    return timezone.localdate(anchors[-1][0]) < today if timezone.is_aware(anchors[-1][0]) else (
        anchors[-1][0].date() < today)
