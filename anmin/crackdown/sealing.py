"""Tips sealed to the 扫黑办 (libsodium through PyNaCl): no writes here, only the cryptography.

* **Sealing** needs only the office's public key: an anonymous sealed box (X25519 + XSalsa20-Poly1305)
  that nobody but the holder of the private key opens — not the server, not a database dump.
* **The private key** is kept only wrapped: ``SecretBox(argon2id(passphrase, salt)).encrypt(key)``.
  Every key of the office is wrapped with the same passphrase (and the same salt and limits, so one
  derivation opens them all); changing the passphrase re-wraps them.
* **A sealed file** is a sealed box over ``header-json \\n data`` — its name and type are sealed too.

``settings.ANMIN_TIP_KDF`` chooses argon2id's limits for new wrappings: ``moderate`` (default,
libsodium's 256 MiB, about a second), ``interactive`` (64 MiB) or ``min`` (tests only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from nacl import pwhash, secret, utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

KDF_LIMITS = {
    "moderate": (pwhash.argon2id.OPSLIMIT_MODERATE, pwhash.argon2id.MEMLIMIT_MODERATE),
    "interactive": (pwhash.argon2id.OPSLIMIT_INTERACTIVE, pwhash.argon2id.MEMLIMIT_INTERACTIVE),
    "min": (pwhash.argon2id.OPSLIMIT_MIN, pwhash.argon2id.MEMLIMIT_MIN),
}
MIN_PASSPHRASE = 12
SALT_BYTES = pwhash.argon2id.SALTBYTES


class WrongPassphrase(ValueError):
    """The passphrase does not open the office's key."""


@dataclass(frozen=True)
class Wrapping:
    """How a private key is wrapped: the salt and argon2id's limits (``TipKey``'s columns)."""

    salt: bytes
    opslimit: int
    memlimit: int


def new_wrapping() -> Wrapping:
    ops, mem = KDF_LIMITS[getattr(settings, "ANMIN_TIP_KDF", "moderate")]
    return Wrapping(utils.random(SALT_BYTES), ops, mem)


def derive(passphrase: str, w: Wrapping) -> bytes:
    return pwhash.argon2id.kdf(secret.SecretBox.KEY_SIZE, passphrase.encode(), bytes(w.salt),
                               opslimit=w.opslimit, memlimit=w.memlimit)


def new_key_pair() -> tuple[str, bytes]:
    """(public key as hex, private key bytes) — the private bytes must be wrapped at once."""
    private = PrivateKey.generate()
    return bytes(private.public_key).hex(), bytes(private)


def wrap(private: bytes, wrapping_key: bytes) -> bytes:
    return bytes(secret.SecretBox(wrapping_key).encrypt(private))


def unwrap(wrapped: bytes, wrapping_key: bytes) -> bytes:
    try:
        return secret.SecretBox(wrapping_key).decrypt(bytes(wrapped))
    except CryptoError as exc:
        raise WrongPassphrase from exc


def public_of(private: bytes) -> str:
    return bytes(PrivateKey(private).public_key).hex()


def seal(data: bytes, public_key_hex: str) -> bytes:
    return bytes(SealedBox(PublicKey(bytes.fromhex(public_key_hex))).encrypt(data))


def unseal(sealed: bytes, private: bytes) -> bytes:
    return SealedBox(PrivateKey(private)).decrypt(bytes(sealed))


def seal_text(text: str, public_key_hex: str) -> bytes:
    return seal(text.encode(), public_key_hex)


def unseal_text(sealed: bytes, private: bytes) -> str:
    return unseal(sealed, private).decode()


def seal_file(*, name: str, mime: str, data: bytes, public_key_hex: str) -> bytes:
    header = json.dumps({"name": name, "mime": mime}, ensure_ascii=False).encode()
    return seal(header + b"\n" + data, public_key_hex)


def unseal_file(sealed: bytes, private: bytes) -> tuple[str, str, bytes]:
    """(file name, MIME type, content)."""
    header, _, data = unseal(sealed, private).partition(b"\n")
    meta = json.loads(header)
    return meta["name"], meta["mime"], data


# The unlocked keys, while the office reads: in the server-side session only as a SecretBox whose key
# is in a cookie of the office's browser (``crackdown.vault``) — neither the database nor the browser
# alone holds them.
def lock_for_session(keys: dict[int, bytes]) -> tuple[bytes, bytes]:
    """(box key for the browser's cookie, the keys encrypted with it for the session)."""
    box_key = utils.random(secret.SecretBox.KEY_SIZE)
    payload = json.dumps({str(k): v.hex() for k, v in keys.items()}).encode()
    return box_key, bytes(secret.SecretBox(box_key).encrypt(payload))


def open_from_session(box_key: bytes, blob: bytes) -> dict[int, bytes] | None:
    try:
        payload = secret.SecretBox(box_key).decrypt(blob)
    except (CryptoError, ValueError, TypeError):
        return None
    return {int(k): bytes.fromhex(v) for k, v in json.loads(payload).items()}
