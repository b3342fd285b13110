"""Sealing and opening protected values: the token format, the associated data, the blind index.

A stored value is a text token ``v1:<key id>:<base64url(nonce | ciphertext | tag)>``. It names its key
so keys can rotate while old values stay readable, and it is plain ASCII so it fits any text column
and survives dumps, fixtures and CSV.

The associated data binds a value to the column it was written for (``"people.person.id_number"``):
a ciphertext copied into another column, or into another table, fails to decrypt. (It does not bind
the row: the primary key is unknown before an insert. Swapping values between rows of one column is
the audit trail's to catch.)
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, hmac

from .ciphers import NONCE_SIZE, TAG_SIZE, AuthenticationFailed, get_cipher
from .keys import KeyRing, UnknownKeyError, get_keyring, get_keyring_for

FORMAT_VERSION = "v1"
_TOKEN_RE = re.compile(r"^v1:([a-z0-9][a-z0-9_-]{0,31}):([A-Za-z0-9_-]+)$")
_INDEX_HASHES = {"hmac-sha256": hashes.SHA256, "hmac-sm3": hashes.SM3}


class DecryptionError(Exception):
    """A protected value could not be opened. The message names the column and key, never the data."""

    def __init__(self, context: str, key_id: str | None, reason: str) -> None:
        self.context, self.key_id, self.reason = context, key_id, reason
        super().__init__(f"cannot decrypt protected value of {context} (key {key_id or '?'}): {reason}")


@dataclass(frozen=True)
class Token:
    key_id: str
    nonce: bytes
    sealed: bytes  # ciphertext followed by the tag


def parse_token(token: str) -> Token | None:
    """Split a token into its parts, or None if the text is not a well-formed token."""
    match = _TOKEN_RE.match(token) if isinstance(token, str) else None
    if match is None:
        return None
    body = match.group(2)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) < NONCE_SIZE + TAG_SIZE:
        return None
    return Token(match.group(1), raw[:NONCE_SIZE], raw[NONCE_SIZE:])


def token_key_id(token: str) -> str | None:
    """The key id a stored token names (cheap: no decryption)."""
    parsed = parse_token(token)
    return parsed.key_id if parsed else None


def key_id_prefix(key_id: str) -> str:
    """What every token made with ``key_id`` starts with; used for counting values per key in SQL."""
    return f"{FORMAT_VERSION}:{key_id}:"


def associated_data(key_id: str, context: str) -> bytes:
    return f"anmin/protected/{FORMAT_VERSION}|{key_id}|{context}".encode()


def encrypt(plaintext: str, *, context: str, ring: KeyRing | None = None) -> str:
    """Seal ``plaintext`` for the column named by ``context`` under the active key."""
    ring = ring or get_keyring()
    key = ring.active
    cipher = get_cipher(key.cipher)
    # Random 96-bit nonces: collision odds stay negligible far beyond this platform's write volume
    # (see docs/security-protected-data.md for the bound and when to rotate because of it).
    nonce = secrets.token_bytes(NONCE_SIZE)
    sealed = cipher.encrypt(key.secret, nonce, plaintext.encode("utf-8"), associated_data(key.key_id, context))
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
    return f"{FORMAT_VERSION}:{key.key_id}:{body}"


def decrypt(token: str, *, context: str, ring: KeyRing | None = None) -> str:
    """Open a token written for ``context``; raise :class:`DecryptionError` if that is impossible."""
    parsed = parse_token(token)
    if parsed is None:
        raise DecryptionError(context, None, "not a protected-value token")
    try:
        key = (ring or get_keyring_for(parsed.key_id)).get(parsed.key_id)
    except UnknownKeyError as exc:
        raise DecryptionError(context, parsed.key_id, str(exc)) from None
    cipher = get_cipher(key.cipher)
    try:
        plaintext = cipher.decrypt(key.secret, parsed.nonce, parsed.sealed, associated_data(key.key_id, context))
    except AuthenticationFailed:
        raise DecryptionError(
            context, parsed.key_id, "authentication failed (altered, or written for another column)"
        ) from None
    return plaintext.decode("utf-8")


def blind_index(kind: str, normalized: str, *, ring: KeyRing | None = None) -> str:
    """Keyed hash of a normalised value, for exact-match search without decrypting every row.

    The hash input is prefixed with the value's kind so an ID number and a phone number can never
    share an index value; values of one kind share an index across tables, so the same person can be
    found in every register with one lookup.
    """
    ring = ring or get_keyring()
    mac = hmac.HMAC(ring.index_key, _INDEX_HASHES[ring.index_algorithm]())
    mac.update(f"{kind}\x1f{normalized}".encode())
    return mac.finalize().hex()
