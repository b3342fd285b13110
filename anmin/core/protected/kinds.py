"""Kinds of protected value: how each is normalised, indexed, masked and validated.

A :class:`~anmin.core.protected.fields.ProtectedField` names its kind (``kind="id_number"``); the kind
decides everything that depends on what the value *is*. Apps may register further kinds (a bank card
number, say) in ``AppConfig.ready()``; a kind's name is stored in migrations and mixed into its blind
index, so it must never change once used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from . import idnumbers, masking, phones
from .validators import IdNumberValidator, PhoneValidator


def _text_index_form(value: str) -> str:
    """Free text matches ignoring width, case and runs of whitespace."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip().casefold()


def _no_validators(label: str) -> list:
    return []


@dataclass(frozen=True)
class ProtectedKind:
    name: str
    label: str  # default Chinese name of such a field, used in validation messages
    normalize: Callable[[str], str]  # the stored form, applied when a value is assigned
    mask: Callable[[str], str]
    index_form: Callable[[str], str] | None = None  # what the blind index hashes (default: the stored form)
    validators: Callable[[str], list] = field(default=_no_validators)  # field label -> validators

    def index_input(self, value: str) -> str:
        normalized = self.normalize(value)
        return self.index_form(normalized) if self.index_form else normalized


_kinds: dict[str, ProtectedKind] = {}


def register_kind(kind: ProtectedKind, *, replace: bool = False) -> None:
    if not replace and kind.name in _kinds:
        raise ValueError(f"protected kind {kind.name!r} is already registered")
    _kinds[kind.name] = kind


def get_kind(name: str) -> ProtectedKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"unknown protected kind {name!r}; known: {', '.join(sorted(_kinds))}") from None


def kind_names() -> list[str]:
    return sorted(_kinds)


ID_NUMBER = "id_number"
PHONE = "phone"
TEXT = "text"

register_kind(
    ProtectedKind(
        ID_NUMBER,
        idnumbers.DEFAULT_LABEL,
        normalize=idnumbers.normalize_id_number,
        mask=masking.mask_id_number,
        validators=lambda label: [IdNumberValidator(label)],
    )
)
register_kind(
    ProtectedKind(
        PHONE,
        phones.DEFAULT_LABEL,
        normalize=phones.normalize_phone,
        mask=masking.mask_phone,
        validators=lambda label: [PhoneValidator(label)],
    )
)
register_kind(ProtectedKind(TEXT, "敏感信息", normalize=str, mask=masking.mask_text, index_form=_text_index_form))
