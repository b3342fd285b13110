"""Masked forms of personal data, as every page, API response, log line and export shows them.

The rules keep just enough to tell records apart and to let a caller confirm "the one ending 1234"
(first 3 and last 4 characters of a number; the first character of free text) and nothing that
narrows a person down further. They take any string, valid or not, and never fail, because they
are also used on bad input that must still be shown safely.
"""

from __future__ import annotations

import re

STAR = "*"
TEXT_MASK = STAR * 3


def _keep_ends(value: str, head: int, tail: int) -> str:
    value = value.strip()
    if len(value) <= head + tail:
        # Too short to keep both ends without revealing most of it: keep at most the last two.
        return STAR * max(len(value) - 2, 2) + value[-2:] if len(value) > 4 else STAR * len(value)
    return value[:head] + STAR * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """``41108119800101123X`` -> ``411***********123X`` (province and city kept, birth date hidden)."""
    return _keep_ends(value, 3, 4)


def mask_phone(value: str) -> str:
    """``13812345678`` -> ``138****5678``; landlines likewise keep the first 3 and last 4 digits."""
    return _keep_ends(value, 3, 4)


def mask_text(value: str) -> str:
    """Free text -> its first character and a fixed ``***`` (the length is not revealed)."""
    value = value.strip()
    if len(value) <= 1:
        return TEXT_MASK if value else ""
    return value[0] + TEXT_MASK


def mask_value(kind: str, value: str) -> str:
    """Mask ``value`` by the rule of its protected kind (``id_number``, ``phone``, ``text`` or a registered one)."""
    from .kinds import get_kind

    return get_kind(kind).mask(value)


def mask_identifiers_in_text(text: str) -> str:
    """Free text (a file name, a note) with every full resident ID number and mobile number in it
    masked, so that such text can be stored and shown in the clear. An 18-character run counts as an
    ID number only when GB 11643's check digit and date hold."""
    from .idnumbers import is_valid_id_number

    text = ID_NUMBER_IN_TEXT.sub(lambda m: mask_id_number(m.group()) if is_valid_id_number(m.group()) else m.group(),
                                 text)
    return PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)


# Standing alone: not part of a longer code, hash or number.
ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
