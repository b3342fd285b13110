"""The anti-fraud blacklist as the public portal's 反诈查询 (``core.registry.public_checks``).

The citizen types one thing: a phone number, a bank account or a link. Which it is follows from its
shape; the answer says only whether it is known to be fraudulent, never who listed it or why.
"""

from __future__ import annotations

import re

from anmin.core.errors import ActionError
from anmin.core.registry import PublicCheck, PublicCheckResult

from .actions import public_check

_ACCOUNT = re.compile(r"^\d{12,19}$")


def kind_of(value: str) -> str:
    text = re.sub(r"[\s\-]", "", value or "")
    if re.search(r"[A-Za-z]", text) or "." in text or "/" in text:
        return "url"
    digits = text.removeprefix("+86").lstrip("0") if text.startswith("+86") else text
    if _ACCOUNT.match(digits) and not (len(digits) == 11 and digits.startswith("1")):
        return "account"
    return "phone"


def check(value: str) -> PublicCheckResult:
    try:
        answer = public_check(kind_of(value), value)
    except ActionError as exc:
        return PublicCheckResult(risky=False, message=exc.message)
    return PublicCheckResult(risky=bool(answer["known"]), message=answer["advice"])


FRAUD_CHECK = PublicCheck("antifraud", "电话号码、银行账户、网址涉诈查询", check,
                          help_text="输入对方的电话号码、银行账户或网址", app="antifraud")
