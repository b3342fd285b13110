"""Watches every log record of a test run for a full resident ID number or mobile phone number.

The security issue's promise: "a captured log of the whole test run contains no full ID number or
phone number". The root conftest installs ``PlaintextWatch`` on the root logger for the whole session
(at DEBUG, stricter than any deployment's level) and fails the test during which such a record was
written, naming the logger and showing the value masked.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from anmin.core.protected.idnumbers import is_valid_id_number
from anmin.core.protected.masking import ID_NUMBER_IN_TEXT, PHONE_IN_TEXT, mask_id_number, mask_phone

# 18 characters standing alone (not part of a longer code, hash or number); a match must also pass
# GB 11643's check digit and date, which rules out nearly every other run of 18 digits.
ID_NUMBER, PHONE = ID_NUMBER_IN_TEXT, PHONE_IN_TEXT


@dataclass(frozen=True)
class Finding:
    what: str
    masked: str
    logger: str


def scan(text: str) -> list[tuple[str, str]]:
    """(kind, masked value) of every full ID number and phone number in ``text``."""
    out = [("身份证号", mask_id_number(m.group())) for m in ID_NUMBER.finditer(text) if is_valid_id_number(m.group())]
    out += [("手机号", mask_phone(m.group())) for m in PHONE.finditer(text)]
    return out


def record_text(record: logging.LogRecord) -> str:
    try:
        text = record.getMessage()
    except Exception:  # a broken format string: look at the raw parts
        text = f"{record.msg} {record.args}"
    if record.exc_info:
        text += "\n" + "".join(traceback.format_exception(*record.exc_info))
    if record.stack_info:
        text += "\n" + record.stack_info
    return text


class PlaintextWatch(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.findings: list[Finding] = []

    def emit(self, record: logging.LogRecord) -> None:
        for what, masked in scan(record_text(record)):
            self.findings.append(Finding(what, masked, record.name))

    def take(self) -> list[Finding]:
        found, self.findings = self.findings, []
        return found


active: PlaintextWatch | None = None  # the session's watch (set by the root conftest)


def install() -> PlaintextWatch:
    """Watch the root logger from now on, at DEBUG (loggers with their own level keep it)."""
    global active
    if active is None:
        active = PlaintextWatch()
        root = logging.getLogger()
        root.addHandler(active)
        root.setLevel(logging.DEBUG)
    return active
