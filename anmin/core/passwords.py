"""Password rules of 等保 level 3 (GB/T 22239-2019 8.1.4.1 身份鉴别): length, character kinds, no
username inside, not a common password. Messages name the field and the rule, in Chinese."""

from __future__ import annotations

import string

from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoCommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Passwords that meet the character-kind rule yet are among the first an attacker tries on
# Chinese government and enterprise systems (compared lower-cased, like Django's list).
EXTRA_COMMON_PASSWORDS = frozenset(
    {
        "admin@123",
        "admin@1234",
        "admin@123456",
        "admin123!",
        "abc@123",
        "abc@1234",
        "abc@123456",
        "aa123456!",
        "aa123456@",
        "qwe123!@#",
        "1qaz@wsx",
        "1qaz2wsx!",
        "1qaz!qaz",
        "p@ssw0rd",
        "p@ssw0rd1",
        "p@ssword1",
        "passw0rd!",
        "root@123",
        "test@123",
        "huawei@123",
        "woaini@1314",
        "123qwe!@#",
        "qwer1234!",
        "zxcv1234!",
        "anmin@123",
        "anmin@123456",
    }
)


def character_kinds(password: str) -> int:
    """How many of the four kinds — upper case, lower case, digit, symbol — the password uses."""
    upper = any(c.isupper() for c in password)
    lower = any(c.islower() for c in password)
    digit = any(c.isdigit() for c in password)
    symbol = any(not c.isalnum() or c in string.punctuation for c in password)
    return sum((upper, lower, digit, symbol))


class MinimumLengthValidator:
    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码：长度至少 %(min_length)d 位（当前 %(length)d 位）。"),
                code="password_too_short",
                params={"min_length": self.min_length, "length": len(password)},
            )

    def get_help_text(self) -> str:
        return _("至少 %(min_length)d 位。") % {"min_length": self.min_length}


class CharacterKindsValidator:
    def __init__(self, min_kinds: int = 3):
        self.min_kinds = min_kinds

    def validate(self, password: str, user=None) -> None:
        kinds = character_kinds(password)
        if kinds < self.min_kinds:
            raise ValidationError(
                _("密码：须包含大写字母、小写字母、数字、符号四类中的至少 %(min_kinds)d 类（当前 %(kinds)d 类）。"),
                code="password_too_few_kinds",
                params={"min_kinds": self.min_kinds, "kinds": kinds},
            )

    def get_help_text(self) -> str:
        return _("包含大写字母、小写字母、数字、符号中的至少 %(min_kinds)d 类。") % {"min_kinds": self.min_kinds}


class UsernameNotContainedValidator:
    """The password must not contain the account name (in either direction, ignoring case)."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) < 3:  # a two-letter name would reject half of all passwords
            return
        lowered = password.lower()
        if username in lowered or username[::-1] in lowered:
            raise ValidationError(_("密码：不能包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("不能包含用户名。")


class CommonPasswordValidator(DjangoCommonPasswordValidator):
    """Django's 20,000 common passwords plus ones common on Chinese systems."""

    def validate(self, password: str, user=None) -> None:
        candidate = password.lower().strip()
        if candidate in self.passwords or candidate in EXTRA_COMMON_PASSWORDS:
            raise ValidationError(_("密码：不能使用常见的弱密码。"), code="password_too_common")

    def get_help_text(self) -> str:
        return _("不能是常见的弱密码。")
