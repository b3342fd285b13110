"""Code tables (GB/T 31000 and local ones): loading them from data and looking codes up.

The tables ship in data/codes.json and are loaded by ``anmin setup`` (and the demo); a city can
correct or extend them in the admin. Code is never an ``if`` chain over these values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from . import scopecache
from .errors import invalid
from .i18n import language
from .models import CodeItem, CodeTable

CODES_FILE = Path(__file__).resolve().parent / "data" / "codes.json"


def _flatten(items, parent_code=None, other_minor=None):
    """Yield (code, name, parent_code, order) depth first; majors get an "xx99 其他" minor if asked."""
    for order, entry in enumerate(items):
        code, name = entry[0], entry[1]
        children = entry[2] if len(entry) > 2 else []
        yield code, name, parent_code, order
        yield from _flatten(children, code)
        if other_minor and parent_code is None and not any(c[0] == f"{code}99" for c in children):
            yield f"{code}99", other_minor, code, 99


@transaction.atomic
def load_code_tables(path: Path | None = None) -> dict[str, int]:
    """Create missing tables and items; names of existing items are left as a city may have fixed them.
    Without ``path``: the foundation's tables and those every app registered (``registry.code_files``)."""
    created = 0
    for spec in _shipped_specs(path):
        table, _ = CodeTable.objects.get_or_create(
            key=spec["key"], defaults={"name": spec["name"], "source": spec.get("source", "")}
        )
        existing = {i.code: i for i in table.items.all()}
        for code, name, parent_code, order in _flatten(spec["items"], other_minor=spec.get("other_minor")):
            if code in existing:
                continue
            item = CodeItem.objects.create(
                table=table,
                code=code,
                name=name,
                order=order,
                parent=existing.get(parent_code) if parent_code else None,
            )
            existing[code] = item
            created += 1
    code_names.cache_clear()
    return {"code_items": created}


# Code tables are read by nearly every form, filter and ledger, and change when an administrator edits
# one: what is read from them is kept in this process's memory until the generation ``CODES`` moves
# (any write to a table or an item, on commit; ``core.scopecache``) — so an edit shows at once, in
# every process of the server.
CODES = "g:codes"
_SECONDS = 600


def cached(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, a value read from code tables only (``name`` says which and how), kept until a
    code table changes — the very object, in this process (a ledger page asks for a code's name on
    every row): callers must not change it."""
    return scopecache.reference_object(f"codes:{name}", compute, seconds=_SECONDS, generation=CODES,
                                       written={CODES})


def tables_changed(**kwargs) -> None:
    """A code table or item was written (a signal receiver, also called after set-based writes)."""
    if not kwargs.get("raw"):
        scopecache.bump_keys({CODES})


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (CodeTable, CodeItem):
        uid = f"anmin.codes.{model._meta.label_lower}"
        post_save.connect(tables_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(tables_changed, sender=model, dispatch_uid=uid + ".delete")


def foreign_language() -> str:
    """The request's language when it is not Chinese (the names are written in Chinese), else ""."""
    lang = language() or ""
    return "" if not lang or lang.startswith("zh") else lang


def in_language(name: str, base: Callable[[], Any], translate: Callable[[Any], Any]) -> Any:
    """``cached(name, base)``, and in a foreign language ``translate`` of it, kept per language: a
    shipped name in the catalogue (``core.codenames``), one an administrator wrote as written."""
    value = cached(name, base)
    lang = foreign_language()
    return cached(f"{name}:{lang}", lambda: translate(value)) if lang else value


_held: ContextVar[dict | None] = ContextVar("anmin_code_names_held", default=None)


@contextmanager
def held() -> Iterator[None]:
    """Inside the block each table's names are looked up once (``code_names``): around the rows of a
    page, which ask for a code's name cell by cell — ten Python calls each through the caches, 3,000
    a dispute ledger. Nothing inside may write a code table (the block reads a page's rows)."""
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def code_names(table_key: str) -> dict[str, str]:
    """code → name for a table's items in use (in the request's language, ``in_language``)."""
    kept = _held.get()
    if kept is not None and table_key in kept:
        return kept[table_key]
    names = in_language(f"names:{table_key}",
                        lambda: dict(CodeItem.objects.of(table_key).values_list("code", "name")),
                        lambda names: {code: gettext(name) for code, name in names.items()})
    if kept is not None:
        kept[table_key] = names
    return names


code_names.cache_clear = tables_changed  # type: ignore[attr-defined]  (after a set-based update)


def code_name(table_key: str, code: str) -> str:
    return code_names(table_key).get(code, code)


def code_choices(table_key: str, *, leaves_only: bool = False) -> list[tuple[str, str]]:
    def compute() -> list[tuple[str, str]]:
        qs = CodeItem.objects.of(table_key)
        if leaves_only:
            qs = qs.filter(children__isnull=True)
        return list(qs.order_by("code").values_list("code", "name"))  # names, not codes, in code order

    return in_language(f"choices:{table_key}:{leaves_only}", compute,
                       lambda choices: [(code, gettext(name)) for code, name in choices])


@dataclass(frozen=True)
class CodeList:
    """One code table a domain keeps its codes in (shipped in ``file``, kept in ``CodeTable`` so an
    administrator can rename, add or switch off codes), with what its forms, filters, actions and
    ledgers ask of it::

        CATEGORIES = CodeList("<app>_category", what="<事项>类别", label="<字段名>", file=DATA / "categories.json")
        form.fields["category"].choices = CATEGORIES.choices()
        category = CATEGORIES.check(category)      # raise invalid("category", "「<字段名>」… 不在<事项>类别表中")
    """

    table: str
    what: str  # the table's name in messages
    label: str  # the field's label
    field: str = "category"
    file: Path | None = None

    def load(self) -> dict[str, int]:
        """Create the table and any missing codes from ``file``; names an administrator changed are kept."""
        return load_code_tables(self.file)

    def choices(self) -> list[tuple[str, str]]:
        """Active codes as (code, name), in the table's order."""
        return code_choices(self.table)

    def names(self) -> dict[str, str]:
        return code_names(self.table)

    def name(self, code: str) -> str:
        return code_name(self.table, code)

    def listed(self) -> list[str]:
        """The codes as the API schema lists them (``listed_codes``)."""
        return listed_codes(self.table)

    def is_active(self, code: str) -> bool:
        return code in code_names(self.table)

    def check(self, code: str | None) -> str:
        """The stripped code when it is an active one; else ``invalid`` on ``field``."""
        code = (code or "").strip()
        if not self.is_active(code):
            raise invalid(self.field, f"「{self.label}」{code or '（空）'} 不在{self.what}表中")
        return code


def _shipped_specs(path: Path | None = None):
    """The tables of the data files: ``path``'s, else the foundation's and every app's
    (``registry.code_files``)."""
    from .registry import code_files

    for p in [path] if path is not None else [CODES_FILE, *code_files]:
        yield from json.loads(p.read_text(encoding="utf-8"))["tables"]


def shipped_codes(table_key: str) -> list[str]:
    """A table's codes as the data files ship them (the foundation's and every app's), in their order."""
    for spec in _shipped_specs():
        if spec["key"] == table_key:
            return [code for code, *_ in _flatten(spec["items"], other_minor=spec.get("other_minor"))]
    return []


def listed_codes(table_key: str) -> list[str]:
    """The codes a table accepts, as the API schema lists them (an ``enum``): the active ones in the
    database — a city's own codes in, switched-off ones out — or, when the schema is built with no
    database to read (``manage.py spectacular`` before ``migrate``, a test module's import), as shipped,
    which is what ``load_code_tables`` puts there."""
    try:
        codes = sorted(code_names(table_key))
    except Exception:  # no database, no table yet, or database access refused (a test's collection)
        codes = []
    return codes or sorted(shipped_codes(table_key))
