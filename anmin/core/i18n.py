"""Labels that are data: stored and compared in Chinese, shown in the viewer's language.

Workflow states and steps, case kinds and the like are written into the database (a case event's
label, a case's source) and compared with what users type into import files, so the value kept is
always the Chinese source text; only the pages translate it (docs/decisions/0001).

- ``pgettext_noop(context, text)`` marks a label for the catalogue under a context and returns it
  unchanged (Django has ``gettext_noop`` but no context variant; ``make messages`` knows this name
  through ``core/management/commands/makemessages.py``). Show it with ``pgettext(context, label)``.
- ``source_text(value)`` is a lazily translated label (a ``TextChoices`` label, say) in the source
  language, whatever language the current request is in: use it for anything that is stored, and
  ``with in_source_language():`` around code that translates eagerly (``get_FOO_display()``).
- ``translated(label, context)`` is a source text (a state's, a kind's label) in the active language, from a
  table kept per process (the catalogues do not change while it runs): a ledger page asks for its
  rows' labels hundreds of times, each ``gettext`` a walk through Django's translation objects.
- ``zone()`` is the current time zone, read once inside ``with one_zone():`` as the language is.
- ``language()`` is the active language, as ``get_language()``; inside ``with one_language():`` (around
  the rows of a page, whose choice labels, code names and state labels ask for it cell by cell) it is
  read once on entry instead of from Django's thread-and-task-local on every call (about ten Python
  calls each: 3,600 of a 50-row dispute ledger's 80,000).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

_UNPINNED = object()
_pinned: ContextVar[Any] = ContextVar("anmin_language", default=_UNPINNED)
_zone: ContextVar[Any] = ContextVar("anmin_zone", default=None)


def language() -> str | None:
    """The active language: ``translation.get_language()``, or the one pinned by ``one_language``."""
    pinned = _pinned.get()
    return translation.get_language() if pinned is _UNPINNED else pinned


@contextmanager
def one_language(code: Any = _UNPINNED) -> Iterator[None]:
    """Inside the block ``language()`` answers the language active on entry (or ``code``) without
    asking Django again. Switch languages inside only through ``in_source_language()``, which pins
    its own."""
    token = _pinned.set(translation.get_language() if code is _UNPINNED else code)
    try:
        yield
    finally:
        _pinned.reset(token)


def translated(label: str, context: str | None = None) -> str:
    """``label`` (a Chinese source text, under ``context`` if given) in the active language; "" as "".
    The same as ``pgettext(context, label)`` / ``gettext(label)``, looked up once per process."""
    return _in(language(), context, label) if label else label


@functools.lru_cache(maxsize=4096)
def _in(language: str | None, context: str | None, label: str) -> str:
    # ``language`` is only the cache's key: the translation is the active one, which it names
    return translation.pgettext(context, label) if context else translation.gettext(label)


def zone() -> Any:
    """The current time zone: ``timezone.get_current_timezone()``, or the one pinned by ``one_zone``."""
    return _zone.get() or timezone.get_current_timezone()


@contextmanager
def one_zone() -> Iterator[None]:
    """Inside the block ``zone()`` answers the time zone current on entry, read once (a ledger page or
    an API list shows a moment or two per row, each read from Django's thread-and-task-local)."""
    token = _zone.set(timezone.get_current_timezone())
    try:
        yield
    finally:
        _zone.reset(token)


def pgettext_noop(context: str, message: str) -> str:
    """Mark ``message`` for translation under ``context``; return it untranslated."""
    return message


@contextmanager
def in_source_language() -> Iterator[None]:
    """``with in_source_language(): …`` evaluates labels in Chinese (``get_FOO_display()`` too)."""
    with translation.override(settings.LANGUAGE_CODE), one_language(settings.LANGUAGE_CODE):
        yield


def source_text(value: Any) -> str:
    """``value`` as text in the source language (Chinese), e.g. for a value written to the database.
    (A plain ``str`` is returned as it is: translate nothing before calling this.)"""
    if isinstance(value, str):
        return value
    with in_source_language():
        return str(value)
