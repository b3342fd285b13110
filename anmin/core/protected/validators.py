"""Django validators for ID numbers and phone numbers, usable on model, form and DRF fields.

Each validator carries the label of the field it guards, so its Chinese message names the field and
the rule: "监护人身份证号码校验位错误（第18位应为X）". Validators accept plain strings and
:class:`~anmin.core.protected.values.Protected` values alike.
"""

from __future__ import annotations

from django.utils.deconstruct import deconstructible

from . import idnumbers, phones


def _plain(value) -> str:
    reveal = getattr(value, "reveal", None)
    return reveal() if callable(reveal) else str(value)


@deconstructible(path="anmin.core.protected.validators.IdNumberValidator")
class IdNumberValidator:
    """A resident ID number per GB 11643 (18 characters, check character, real birth date, known province)."""

    def __init__(self, label: str = idnumbers.DEFAULT_LABEL) -> None:
        self.label = label

    def __call__(self, value) -> None:
        idnumbers.parse_id_number(_plain(value), label=str(self.label))

    def __eq__(self, other) -> bool:
        return isinstance(other, IdNumberValidator) and str(self.label) == str(other.label)

    def __hash__(self) -> int:
        return hash((type(self), str(self.label)))


@deconstructible(path="anmin.core.protected.validators.PhoneValidator")
class PhoneValidator:
    """A mainland mobile number, or (unless ``mobile_only``) a landline with its area code."""

    def __init__(self, label: str = phones.DEFAULT_LABEL, *, mobile_only: bool = False) -> None:
        self.label = label
        self.mobile_only = mobile_only

    def __call__(self, value) -> None:
        phones.validate_phone_number(_plain(value), label=str(self.label), mobile_only=self.mobile_only)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, PhoneValidator)
            and str(self.label) == str(other.label)
            and self.mobile_only == other.mobile_only
        )

    def __hash__(self) -> int:
        return hash((type(self), str(self.label), self.mobile_only))


validate_id_number = IdNumberValidator()
validate_phone = PhoneValidator()
validate_mobile = PhoneValidator("手机号码", mobile_only=True)
