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
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation


def pgettext_noop(context: str, message: str) -> str:
    """Mark ``message`` for translation under ``context``; return it untranslated."""
    return message


def in_source_language() -> translation.override:
    """``with in_source_language(): …`` evaluates labels in Chinese (``get_FOO_display()`` too)."""
    return translation.override(settings.LANGUAGE_CODE)


def source_text(value: Any) -> str:
    """``value`` as text in the source language (Chinese), e.g. for a value written to the database.
    (A plain ``str`` is returned as it is: translate nothing before calling this.)"""
    if isinstance(value, str):
        return value
    with in_source_language():
        return str(value)
