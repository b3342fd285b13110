"""Protected personal data: encrypted model fields, blind-index search, masking and validation.

What other apps use::

    from anmin.core.protected import ProtectedField, ProtectedModelMixin, Protected, blind_lookup
    from anmin.core.protected import mask_id_number, mask_phone, mask_text
    from anmin.core.protected import validate_id_number, validate_phone, check_id_number_agrees

See docs/security-protected-data.md for keys, the token format, rotation and the blind index.
"""

from . import checks  # noqa: F401  (registers the key-ring system checks)
from .crypto import DecryptionError
from .fields import (
    BlindIndexField,
    ProtectedField,
    ProtectedFormField,
    ProtectedModelMixin,
    blind_index_value,
    blind_lookup,
    with_blind_indexes,
)
from .idnumbers import (
    IdNumberInfo,
    Sex,
    check_id_number_agrees,
    derive_birth_date_and_sex,
    is_valid_id_number,
    make_id_number,
    normalize_id_number,
    parse_id_number,
)
from .keys import KeyConfigurationError, get_keyring
from .kinds import ID_NUMBER, PHONE, TEXT, ProtectedKind, register_kind
from .masking import mask_id_number, mask_phone, mask_text, mask_value
from .phones import normalize_phone, validate_phone_number
from .validators import IdNumberValidator, PhoneValidator, validate_id_number, validate_mobile, validate_phone
from .values import Protected, reveal

__all__ = [
    "ID_NUMBER",
    "PHONE",
    "TEXT",
    "BlindIndexField",
    "DecryptionError",
    "IdNumberInfo",
    "IdNumberValidator",
    "KeyConfigurationError",
    "PhoneValidator",
    "Protected",
    "ProtectedField",
    "ProtectedFormField",
    "ProtectedKind",
    "ProtectedModelMixin",
    "Sex",
    "blind_index_value",
    "blind_lookup",
    "check_id_number_agrees",
    "derive_birth_date_and_sex",
    "get_keyring",
    "is_valid_id_number",
    "make_id_number",
    "mask_id_number",
    "mask_phone",
    "mask_text",
    "mask_value",
    "normalize_id_number",
    "normalize_phone",
    "parse_id_number",
    "register_kind",
    "reveal",
    "validate_id_number",
    "validate_mobile",
    "validate_phone",
    "validate_phone_number",
    "with_blind_indexes",
]
