"""HTML built by hand where a page builds a lot of it (ledger rows, long drop-downs).

``format_html`` escapes each argument through two lazy-aware wrappers and ``str.format``: right for a
tag or two, but a ledger page of 50 rows × 11 cells or a city user's drop-down of 3,000 villages and
grids called it thousands of times, a third of the page's CPU. ``esc`` is what it does to one argument
(``conditional_escape``): a safe string as it is, anything else through ``html.escape``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# What ``html.escape(text, quote=True)`` replaces, in one pass of ``str.translate`` (one call in C, not
# ``html.escape``'s five ``replace`` calls: a ledger page escapes some 1,200 values).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def esc(value: Any) -> str:
    """``value`` as HTML text: already-safe markup unchanged, anything else escaped (quotes too)."""
    if type(value) is str:  # plain text (not a safe string, a subclass): the common case first
        return value.translate(_ESCAPES)
    if hasattr(value, "__html__"):
        return value.__html__()
    return str(value).translate(_ESCAPES)


def options_html(choices: Iterable) -> str:
    """The ``<option>``/``<optgroup>`` markup of ``choices``, nothing selected (``select`` marks it)."""
    parts = []
    for key, label in choices:
        if isinstance(label, list | tuple):  # an option group
            inner = "".join(f'<option value="{esc("" if k is None else k)}">{esc(lb)}</option>' for k, lb in label)
            parts.append(f'<optgroup label="{esc(key)}">{inner}</optgroup>')
        else:
            parts.append(f'<option value="{esc("" if key is None else key)}">{esc(label)}</option>')
    return "".join(parts)


def select(options: str, chosen: Iterable[str]) -> str:
    """``options`` (from ``options_html``) with the options whose value is in ``chosen`` selected."""
    for value in chosen:
        tag = f'<option value="{esc(value)}">'
        options = options.replace(tag, f'<option value="{esc(value)}" selected>', 1)
    return options
