"""The in-memory form of a protected value: it prints masked and gives plaintext only when asked.

``str()``, ``repr()``, f-strings, ``%s`` in log calls, templates and DRF's default serialisation all see
``411***********1234``. Only :meth:`Protected.reveal` returns the plaintext, and templates cannot call
it (``alters_data``): revealing is a deliberate act of a view that has checked the permission and
recorded the reason. ``json.dumps`` refuses the object outright rather than guessing which form to use.

Values read from the database stay sealed until first used, so listing rows whose protected columns
are never shown costs no decryption; a value that cannot be opened shows as ``〔无法解密〕`` and
logs an error (the page still renders), while :meth:`reveal` raises.
"""

from __future__ import annotations

import hmac
import logging

from .crypto import DecryptionError, decrypt, encrypt, token_key_id
from .keys import KeyRing, get_keyring
from .kinds import TEXT, get_kind

logger = logging.getLogger("anmin.protected")

UNREADABLE = "〔无法解密〕"
#: Associated data for values pickled outside any column (a cache entry, say).
PICKLE_CONTEXT = "anmin.pickle"


class Protected:
    """A protected value. Immutable from the outside; compare with ``==`` or :meth:`matches`."""

    __slots__ = ("_context", "_failure", "_kind", "_plaintext", "_token")

    def __init__(self, plaintext: str, *, kind: str = TEXT, token: str | None = None, context: str | None = None):
        get_kind(kind)
        self._kind = kind
        self._plaintext: str | None = plaintext
        self._token = token
        self._context = context
        self._failure: DecryptionError | None = None

    @classmethod
    def sealed(cls, token: str, *, context: str, kind: str = TEXT) -> Protected:
        """A value still in its stored form; decrypted on first use."""
        value = cls("", kind=kind, token=token, context=context)
        value._plaintext = None
        return value

    # --- what callers use -------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def masked(self) -> str:
        try:
            return get_kind(self._kind).mask(self.reveal())
        except DecryptionError:
            return UNREADABLE

    @property
    def key_id(self) -> str | None:
        """The key the stored form was sealed with (None for a value not yet saved)."""
        return token_key_id(self._token) if self._token else None

    @property
    def token(self) -> str | None:
        """The stored (encrypted) form, if this value came from or went to the database."""
        return self._token

    @property
    def context(self) -> str | None:
        return self._context

    def reveal(self) -> str:
        """The plaintext. Call it only where showing or using the full value is intended and allowed."""
        if self._plaintext is None:
            self._open()
        return self._plaintext

    reveal.alters_data = True  # templates must not call it; reveal in the view, with permission and reason

    def matches(self, raw: str) -> bool:
        """Whether ``raw``, normalised like this kind (15-digit ID, spaced phone…), is this value."""
        other = get_kind(self._kind).normalize(str(raw))
        return hmac.compare_digest(self.reveal().encode(), other.encode())

    # --- sealing (used by the model field) ---------------------------------------------------------

    def sealed_for(self, context: str, *, ring: KeyRing | None = None) -> Protected:
        """This value sealed for ``context`` under the active key, reusing the stored form if it fits.

        Reusing an unchanged ciphertext keeps re-saves from rewriting every protected column; a value
        sealed under an older key or for another column is sealed afresh.
        """
        ring = ring or get_keyring()
        if self._token and self._context == context:
            if token_key_id(self._token) == ring.active_id:
                return self
            try:
                plaintext = self.reveal()
            except DecryptionError:
                # Unreadable: keep the stored form untouched rather than block saving the rest of the
                # record; `keys status`/`rotate` report it and the error is already logged.
                return self
        else:
            plaintext = self.reveal()
        token = encrypt(plaintext, context=context, ring=ring)
        return Protected(plaintext, kind=self._kind, token=token, context=context)

    def _open(self) -> None:
        if self._failure is not None:
            raise self._failure
        try:
            self._plaintext = decrypt(self._token or "", context=self._context or "")
        except DecryptionError as exc:
            self._failure = exc
            logger.error("protected.decrypt_failed context=%s key=%s reason=%s", exc.context, exc.key_id, exc.reason)
            raise

    # --- behaving like a value, without ever showing it -----------------------------------------------

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __repr__(self) -> str:
        return f"<Protected {self._kind}: {self.masked}>"

    def __bool__(self) -> bool:
        return bool(self._token) or bool(self._plaintext)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Protected):
            if self._token and self._token == other._token:
                return True
            if self._kind != other._kind:
                return False
            theirs = other._revealed_or_none()
        elif isinstance(other, str):
            theirs = other
        else:
            return NotImplemented
        mine = self._revealed_or_none()
        return mine is not None and theirs is not None and hmac.compare_digest(mine.encode(), theirs.encode())

    def __hash__(self) -> int:
        plaintext = self._revealed_or_none()
        return hash(plaintext if plaintext is not None else self._token)

    def _revealed_or_none(self) -> str | None:
        try:
            return self.reveal()
        except DecryptionError:
            return None

    def __copy__(self) -> Protected:
        return self

    def __deepcopy__(self, memo) -> Protected:
        return self

    def __reduce__(self):
        # Pickles (cache entries, task arguments) carry the ciphertext, never the plaintext.
        if self._token and self._context:
            return (_restore, (self._token, self._context, self._kind))
        return (_restore, (encrypt(self.reveal(), context=PICKLE_CONTEXT), PICKLE_CONTEXT, self._kind))


def _restore(token: str, context: str, kind: str) -> Protected:
    return Protected.sealed(token, context=context, kind=kind)


def reveal(value) -> str | None:
    """Plaintext of a Protected, or the value itself if it is a plain string or None."""
    return value.reveal() if isinstance(value, Protected) else value
