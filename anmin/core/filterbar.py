"""A ledger's filter bar, drawn once for everyone who would see the same one.

Drawing a ledger's filter bar — the kit's polish (placeholders, type-to-filter hints) and a widget
template per field — cost a third of the CPU of a ledger page (6–8 ms of 20–26 ms: the case, grid and
dispute ledgers at 1M cases), and gives the same markup to every request that asks with the same
filters, in the same language, over the same choices. ``fields_html`` keeps the markup in this
process's cache (``default``) under a key made of

* the filter set's class, the language, the query string (bar values; the page number left out),
* each field's type, widget, attributes, label and initial value,
* each drop-down's choices: a fixed or computed list by its content (code tables, registries, the
  user's own — whatever ``choices`` holds when the form is built); a list drawn from reference data
  (a scope's townships, villages, grids: ``core.forms.option_name``) by its query — which carries
  the user's scope — and the ``REF`` generation, which moves on every write to the region tree or an
  org unit.

So the key changes whenever what would be drawn changes (the generation moves when the writer's
transaction commits; inside a transaction that wrote, the bar is drawn afresh, as ``scopecache``
does). A bar with a drop-down over other records (not reference data) or with errors is drawn afresh
each time. The kit (``core.formkit``) is applied only to a bar being drawn, and to a bound form whose
values are invalid, before its errors are told.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.core.cache import caches
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import scopecache
from .formkit import filter_polish
from .forms import option_name, quicken_selects
from .i18n import one_language

SECONDS = 600
#: Query parameters that choose the page, not the bar's values.
NOT_BAR = frozenset({"page", "per_page", "cursor"})


def is_filtered(filterset, query) -> bool:
    """Whether the bar narrows the list: some field of the bar has a value in ``query``. A query that
    only turns the page (?page=2) is bound but filters nothing; it neither opens the bar nor says 已筛选."""
    if filterset is None or not filterset.is_bound:
        return False
    fields = filterset.form.fields

    def of_bar(key: str) -> bool:  # a range's halves come as found_on_after, amount_min, day_0 …
        return key in fields or key.rsplit("_", 1)[0] in fields

    return any(v.strip() for k in query if k not in NOT_BAR and of_bar(k) for v in query.getlist(k))


def valid(filterset) -> bool:
    """Whether a bound filter set's values are valid. When they are not, the form is polished and
    checked again, so that its errors name the field in the kit's wording (a valid bar needs the kit
    only when it is drawn, and is mostly drawn from the cache)."""
    if filterset.is_valid():
        return True
    _polish(filterset.form)
    filterset.form.full_clean()
    return False


def _polish(form) -> None:
    filter_polish(form)
    quicken_selects(form)


def draw(form) -> SafeString:
    """The bar's fields, each in its label (what ``anmin/ledger.html`` shows before the buttons)."""
    _polish(form)
    return format_html_join("\n", '<label class="filter-field"><span>{}</span>{}</label>',
                            ((bf.label, bf) for bf in form))


def _choices_text(choices) -> list:
    """The choices as plain text (labels in the active language), groups nested."""
    return [(str(key), _choices_text(label) if isinstance(label, list | tuple) else str(label))
            for key, label in choices]


def key_for(filterset, query) -> str | None:
    """The cache key of the bar as ``query`` (the request's GET) fills it; None: not to be cached."""
    form = filterset.form
    parts: list = [type(filterset).__module__, type(filterset).__qualname__, get_language() or "",
                   [(k, values) for k, values in sorted(query.lists()) if k not in NOT_BAR]]
    reference = False
    for name, field in form.fields.items():
        widget = field.widget
        parts.append((name, type(field).__qualname__, type(widget).__qualname__, str(field.label),
                      sorted((str(k), str(v)) for k, v in widget.attrs.items()), repr(field.initial),
                      repr(form.initial.get(name)), field.required, field.disabled))
        choices = getattr(field, "choices", None)
        if choices is None:
            continue
        if isinstance(choices, ModelChoiceIterator):
            source = option_name(choices)  # the name only: the options are read when the bar is drawn
            if source is None:  # a drop-down of other records: drawn afresh
                return None
            parts.append(source)
            reference = True
        elif isinstance(field, forms.ChoiceField):
            parts.append(_choices_text(choices))
    if reference:
        parts.append(scopecache.generations([scopecache.REF])[0])
    # repr of plain strings, lists and tuples: unambiguous (a value holding "&" or "=" is not two values)
    return "fb:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def fields_html(filterset, request) -> SafeString:
    """The bar's fields for ``filterset``, from the cache when someone drew the same bar."""
    form = filterset.form
    if (form.is_bound and form.errors) or scopecache.memo() is not None:  # errors; or this transaction wrote
        return draw(form)
    with one_language():  # the state lists' labels ask for the language label by label (core.i18n)
        key = key_for(filterset, request.GET)
    if key is None:
        return draw(form)
    cache = caches["default"]
    html = cache.get(key)
    if html is None:
        html = str(draw(form))
        cache.set(key, html, SECONDS)
    return mark_safe(html)
