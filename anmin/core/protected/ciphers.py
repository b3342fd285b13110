"""AEAD ciphers for protected personal data, behind a small registry so a deployment can choose SM4.

Every cipher here is an authenticated (AEAD) construction taken whole from the ``cryptography``
package: a tampered or misplaced ciphertext fails to decrypt instead of yielding garbage. Nothing
here implements a block cipher or a mode by hand.

- ``aes-gcm``: AES-256-GCM, the default.
- ``sm4-gcm``: SM4-GCM (GB/T 32907 block cipher, GCM mode as in RFC 8998), for deployments where
  商用密码 rules require the national algorithms. ``cryptography`` exposes SM4 in GCM mode when its
  OpenSSL has it; the cipher checks itself against the RFC 8998 test vector before first use, so a
  build without SM4-GCM fails loudly instead of writing something unreadable elsewhere.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_SIZE = 12  # 96-bit random nonces: the size GCM is designed for
TAG_SIZE = 16


class CipherError(Exception):
    """A cipher is unknown, unavailable on this system, or was given a key of the wrong size."""


class AuthenticationFailed(Exception):
    """The ciphertext, its nonce or its associated data was altered, or the key is wrong."""


class AEADCipher(ABC):
    """One authenticated cipher: ``encrypt`` returns ciphertext followed by the 16-byte tag."""

    #: Name stored in the key file next to each key (``"aes-gcm"``).
    name: str = ""
    #: Key length in bytes.
    key_size: int = 0
    #: Short human description for ``keys status`` and the docs.
    description: str = ""

    @abstractmethod
    def encrypt(self, key: bytes, nonce: bytes, plaintext: bytes, associated_data: bytes) -> bytes: ...

    @abstractmethod
    def decrypt(self, key: bytes, nonce: bytes, ciphertext_and_tag: bytes, associated_data: bytes) -> bytes:
        """Return the plaintext or raise :class:`AuthenticationFailed`."""

    def check_available(self) -> None:  # noqa: B027  (an optional hook: most ciphers are always there)
        """Raise :class:`CipherError` when this system cannot run the cipher."""

    def check_key(self, key: bytes) -> None:
        if len(key) != self.key_size:
            raise CipherError(f"{self.name} needs a {self.key_size}-byte key, got {len(key)} bytes")


class AesGcm(AEADCipher):
    name = "aes-gcm"
    key_size = 32
    description = "AES-256-GCM"

    def encrypt(self, key, nonce, plaintext, associated_data):
        return AESGCM(key).encrypt(nonce, plaintext, associated_data)

    def decrypt(self, key, nonce, ciphertext_and_tag, associated_data):
        try:
            return AESGCM(key).decrypt(nonce, ciphertext_and_tag, associated_data)
        except InvalidTag as exc:
            raise AuthenticationFailed from exc


# RFC 8998, appendix A.1: SM4-GCM test vector. Used as a self-test before the first real use.
_SM4_GCM_VECTOR = {
    "key": bytes.fromhex("0123456789ABCDEFFEDCBA9876543210"),
    "nonce": bytes.fromhex("00001234567800000000ABCD"),
    "aad": bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"),
    "plaintext": bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    ),
    "ciphertext": bytes.fromhex(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    ),
    "tag": bytes.fromhex("83DE3541E4C2B58177E065A9BF7B62EC"),
}


class Sm4Gcm(AEADCipher):
    name = "sm4-gcm"
    key_size = 16  # SM4 is a 128-bit block cipher with a 128-bit key
    description = "SM4-GCM (GB/T 32907, RFC 8998)"

    def __init__(self) -> None:
        self._checked: bool | None = None
        self._lock = threading.Lock()

    def check_available(self) -> None:
        if self._checked is None:
            with self._lock:
                if self._checked is None:
                    self._checked = self._self_test()
        if not self._checked:
            raise CipherError(
                "SM4-GCM is not available from the cryptography package on this system "
                "(its OpenSSL lacks SM4 or GCM for it); choose aes-gcm or install a build with SM4"
            )

    def _self_test(self) -> bool:
        v = _SM4_GCM_VECTOR
        try:
            sealed = self._encrypt(v["key"], v["nonce"], v["plaintext"], v["aad"])
            opened = self._decrypt(v["key"], v["nonce"], sealed, v["aad"])
        except (UnsupportedAlgorithm, ValueError, InvalidTag):
            return False
        return sealed == v["ciphertext"] + v["tag"] and opened == v["plaintext"]

    def encrypt(self, key, nonce, plaintext, associated_data):
        self.check_available()
        return self._encrypt(key, nonce, plaintext, associated_data)

    def decrypt(self, key, nonce, ciphertext_and_tag, associated_data):
        self.check_available()
        try:
            return self._decrypt(key, nonce, ciphertext_and_tag, associated_data)
        except InvalidTag as exc:
            raise AuthenticationFailed from exc

    @staticmethod
    def _encrypt(key, nonce, plaintext, associated_data):
        encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated_data)
        ciphertext = encryptor.update(plaintext) + encryptor.finalize()
        return ciphertext + encryptor.tag

    @staticmethod
    def _decrypt(key, nonce, ciphertext_and_tag, associated_data):
        if len(ciphertext_and_tag) < TAG_SIZE:
            raise InvalidTag
        ciphertext, tag = ciphertext_and_tag[:-TAG_SIZE], ciphertext_and_tag[-TAG_SIZE:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag, min_tag_length=TAG_SIZE)).decryptor()
        decryptor.authenticate_additional_data(associated_data)
        return decryptor.update(ciphertext) + decryptor.finalize()


_registry: dict[str, AEADCipher] = {}


def register_cipher(cipher: AEADCipher, *, replace: bool = False) -> None:
    """Make a cipher usable by name in the key file. Keys name their cipher, so names are permanent."""
    if not replace and cipher.name in _registry:
        raise CipherError(f"cipher {cipher.name!r} is already registered")
    _registry[cipher.name] = cipher


def get_cipher(name: str) -> AEADCipher:
    try:
        cipher = _registry[name]
    except KeyError:
        raise CipherError(f"unknown cipher {name!r}; known: {', '.join(sorted(_registry))}") from None
    cipher.check_available()
    return cipher


def cipher_names() -> list[str]:
    return sorted(_registry)


register_cipher(AesGcm())
register_cipher(Sm4Gcm())
