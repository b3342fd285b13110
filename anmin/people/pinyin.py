"""Search a name by its full pinyin ("hexuqiang" or "he xu qiang" finds 何旭强), beside initials ("hxq").

Names keep only their initials in an indexed column (``Person.name_initials``). A full-pinyin query is
split into syllables (every way it can be), each split gives initials that narrow the candidates
through that index, and the candidates whose names read as the query are kept — no column of full
pinyin to keep in step, and the index does the work.
"""

from __future__ import annotations

import functools
import re

from pypinyin import Style, lazy_pinyin

MAX_SPLITS = 8
MAX_CANDIDATES = 3000
_LETTERS = re.compile(r"^[a-z]{2,40}$")


@functools.cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (from pypinyin's own dictionary), ü written v as typed."""
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.style import convert

    out = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            out.add(convert(reading, Style.NORMAL, strict=False).replace("ü", "v"))
    # Interjection readings (嗯 n/ng, 呣 m, 哼 hng …) would split every word into nonsense.
    odd = {"n", "ng", "m", "hm", "hng", "r", "ê", "e", "o"}
    return frozenset(s for s in out if s.isascii() and s.isalpha() and s not in odd) | {"e", "o"}


@functools.cache
def syllable_prefixes() -> frozenset[str]:
    return frozenset(s[:i] for s in syllables() for i in range(1, len(s) + 1))


def splits(text: str) -> list[list[str]]:
    """The ways ``text`` reads as a run of syllables (a last, unfinished syllable allowed), longest
    syllables first, at most ``MAX_SPLITS``."""
    known, prefixes = syllables(), syllable_prefixes()
    out: list[list[str]] = []

    def walk(rest: str, acc: list[str]) -> None:
        if len(out) >= MAX_SPLITS:
            return
        if not rest:
            out.append(acc)
            return
        for n in range(min(6, len(rest)), 0, -1):
            head = rest[:n]
            if head in known or (n == len(rest) and head in prefixes):
                walk(rest[n:], [*acc, head])

    walk(text, [])
    return out


def full_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name or "", errors="ignore")).lower().replace("ü", "v")


def is_full_pinyin_query(text: str) -> bool:
    text = (text or "").replace(" ", "").lower()
    return bool(_LETTERS.match(text)) and bool(splits(text))


def matching_pks(queryset, text: str, *, fields=("name", "former_name")) -> list:
    """Primary keys of the rows in ``queryset`` whose name (or former name) reads as ``text``."""
    text = (text or "").replace(" ", "").lower()
    if not _LETTERS.match(text):
        return []
    pks: set = set()
    for parts in splits(text):
        initials = "".join(p[0] for p in parts)
        rows = queryset.filter(name_initials__startswith=initials).values_list("pk", *fields)[:MAX_CANDIDATES]
        for pk, *names in rows:
            if any(n and full_pinyin(n).startswith(text) for n in names):
                pks.add(pk)
    return sorted(pks)
