"""Figures from the KPI registry (``anmin.core.registry.kpis``): computed for a viewer, kept fresh,
formatted the way the office writes them, and marked when the KPI does not exist yet.

Analytics never imports a domain: a figure is a KPI key. ``Figures(user, year)`` answers
``value(key, region)`` for what ``user`` may see (the KPI's own ``visible_to`` scoping; ``user=None``
is the platform itself, for commands and reports run by the system).

Caching. A KPI is an aggregate over many records; the dashboards ask for dozens of them per page.
Each value is kept in Django's cache with the audit chain's head at the moment it was computed
(every write is audited, ``anmin.core.audit.head``). When the head has moved, the entries written
since are read (``audit.changed_regions``): a value is recomputed only if one of them lies inside its
region (or has no region, as a bulk import or a sweep), so a write in 古城镇 leaves 无梁镇's figures
cached and the dashboard is right at once after any write. Figures that move with the time of day
(``Kpi.volatile``: open cases past their limit now) are kept at most ``ANMIN_FIGURES_TTL`` seconds
(default 60); the others up to ``ANMIN_FIGURES_MAX_AGE`` (default an hour: a safety net, the audit
chain is what keeps them right) and never past the business day they were computed on (figures "as
of today" move at midnight). A value that takes longer to compute than the short limit therefore
stays useful: it is not thrown away before the next page asks for it.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache

from anmin.core import areas, audit, clock, registry
from anmin.core.dbtune import parallel_plans
from anmin.core.models.regions import level_of, prefix_for

from .bindings import CURRENT, RATE_BASES

MISSING_TEXT = "暂无数据"
NO_RATE_TEXT = "—"  # a rate with nothing to divide by
_NOT_KNOWN = object()  # not prefetched (None is a value: a KPI not registered)


def region_prefix(code: str | None) -> str:
    return prefix_for(code, level_of(code)) if code else ""


def resolve(key: str) -> registry.Kpi | None:
    """The registered KPI for ``key``; ``"a,b"`` tries each in turn (a KPI that moved apps, e.g.
    ``care.x,people.x`` while the severe-mental-disorder care moves into its own app)."""
    for k in key.split(","):
        k = k.strip()
        if k in registry.kpis:
            return registry.kpis.get(k)
    return None


def is_current(kpi: registry.Kpi | None) -> bool:
    """A figure of things as they stand now (``year`` is not used): not a year's, so not compared
    with last year's."""
    return kpi is not None and (kpi.volatile or kpi.key in CURRENT)


def rate_base(key: str) -> str | None:
    """The count a rate KPI divides by (``bindings.RATE_BASES``), if known."""
    kpi = resolve(key)
    return RATE_BASES.get(kpi.key) if kpi is not None else None


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


@dataclass
class Figure:
    key: str
    label: str
    unit: str
    year: int
    region: str | None
    value: Any = None
    registered: bool = True
    link: str = ""

    @property
    def missing(self) -> bool:
        return not self.registered

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "unit": self.unit, "year": self.year, "region": self.region,
                "value": plain(self.value), "registered": self.registered, "link": self.link}


def drill_url(key: str, region: str | None, year: int) -> str:
    for k in key.split(","):
        k = k.strip()
        if k in registry.drill_links:
            try:
                return registry.drill_links.get(k).url(region=region, year=year) or ""
            except Exception:
                return ""
    return ""


def scope_signature(user, region: str | None) -> str:
    """Users who would see the same figure share a cache entry: same permissions and the region
    inside their jurisdiction. Anyone else (assigned-only roles, a region outside) is keyed alone."""
    if user is None:
        return "all"
    prefixes = tuple(getattr(user.scope, "prefixes", ()))
    rp = region_prefix(region)
    if region and any(rp.startswith(p) for p in prefixes):
        perms = ",".join(sorted(user.get_all_permissions()))
        return "p:" + hashlib.sha256(perms.encode()).hexdigest()[:20]
    return f"u:{user.pk}"


def _ttl() -> int:
    return int(getattr(settings, "ANMIN_FIGURES_TTL", 60))


def _max_age(volatile: bool) -> int:
    return _ttl() if volatile else int(getattr(settings, "ANMIN_FIGURES_MAX_AGE", 3600))


@dataclass
class Figures:
    """Figures of one year for one viewer. ``used`` collects every figure asked for (a report keeps
    them as the data it was made from)."""

    user: Any
    year: int
    use_cache: bool = True
    used: list[Figure] = field(default_factory=list)
    _head: tuple[int, str] | None = None
    _changed: dict = field(default_factory=dict)
    _sig: dict = field(default_factory=dict)
    _today: str | None = None
    _known: dict = field(default_factory=dict)  # prefetched by area, for this viewer

    def head(self) -> tuple[int, str]:
        if self._head is None:
            self._head = audit.head()
        return self._head

    def _changed_since(self, stamp: tuple[int, str]):
        stamp = tuple(stamp)
        if stamp not in self._changed:
            self._changed[stamp] = audit.changed_regions(stamp)
        return self._changed[stamp]

    def _still_valid(self, entry: dict, region: str | None, volatile: bool) -> bool:
        if time.time() - entry["at"] > _max_age(volatile) or entry.get("day") != self.today():
            return False
        if tuple(entry["head"]) == self.head():
            return True
        changed = self._changed_since(entry["head"])
        if changed is None:
            return False
        prefix = region_prefix(region)
        return not any(code == "" or code.startswith(prefix) for code in changed)

    def today(self) -> str:
        if self._today is None:
            self._today = clock.today().isoformat()
        return self._today

    def _key(self, name: str, region: str | None, year: int) -> str:
        sig = self._sig.get(region)
        if sig is None:
            sig = self._sig[region] = scope_signature(self.user, region)
        return f"anmin:fig:{sig}:{name}:{year}:{region or '-'}"

    def _kept(self, cache_key: str, region: str | None, volatile: bool) -> tuple[bool, Any]:
        entry = cache.get(cache_key)
        if entry is None or not self._still_valid(entry, region, volatile):
            return False, None
        if tuple(entry["head"]) != self.head():
            entry["head"] = self.head()
            cache.set(cache_key, entry, _max_age(volatile))
        return True, entry["value"]

    def _keep(self, cache_key: str, head, day: str, value: Any, volatile: bool) -> None:
        cache.set(cache_key, {"head": head, "at": time.time(), "day": day, "value": value}, _max_age(volatile))

    def cached(self, name: str, region: str | None, year: int, compute: Callable[[], Any], *,
               volatile: bool = False) -> Any:
        """``compute()`` — an aggregate over the records of ``region`` the viewer may see — kept in the
        cache under ``name`` as KPI values are (fresh after any write inside ``region``)."""
        if not self.use_cache:
            return compute()
        cache_key = self._key(name, region, year)
        hit, value = self._kept(cache_key, region, volatile)
        if hit:
            return value
        head = self.head()  # read before computing: a write during the computation counts as after it
        day = self.today()
        with parallel_plans():  # counted once for everyone who reads it until a write (decision 0018)
            value = compute()
        self._keep(cache_key, head, day, value, volatile)
        return value

    def prefetch(self, key: str, codes, region: str | None = None, year: int | None = None) -> None:
        """Compute the KPI for each of the sibling areas ``codes`` inside ``region`` that is not kept
        already, at once when the KPI has a by-area form (``Kpi.by_area``, ``core.areas``): a table of
        26 townships is one statement instead of 26. ``compute``/``figure`` then find them kept."""
        kpi = resolve(key)
        year = year or self.year
        if kpi is None or kpi.by_area is None or areas.digits(codes) is None:  # areas of one level only
            return
        missing = [code for code in codes if (kpi.key, code, year) not in self._known]
        if self.use_cache:
            missing = [code for code in missing
                       if not self._kept(self._key(kpi.key, code, year), code, kpi.volatile)[0]]
        if len(missing) < 2:
            return
        head, day = self.head(), self.today()
        with parallel_plans():
            values = kpi.by_area(year=year, region=region, codes=missing, user=self.user)
        for code in missing:
            self._known[(kpi.key, code, year)] = values[code]
            if self.use_cache:
                self._keep(self._key(kpi.key, code, year), head, day, values[code], kpi.volatile)

    def compute(self, key: str, region: str | None = None, year: int | None = None) -> Any:
        """The KPI's value, or None when no KPI of that key is registered."""
        kpi = resolve(key)
        if kpi is None:
            return None
        year = year or self.year
        known = self._known.get((kpi.key, region, year), _NOT_KNOWN)
        if known is not _NOT_KNOWN:
            return known
        return self.cached(kpi.key, region, year, lambda: kpi.compute(year=year, region=region, user=self.user),
                           volatile=kpi.volatile)

    def figure(self, key: str, region: str | None = None, year: int | None = None) -> Figure:
        year = year or self.year
        kpi = resolve(key)
        if kpi is None:
            fig = Figure(key, key, "", year, region, None, registered=False)
        else:
            fig = Figure(kpi.key, str(kpi.label), kpi.unit, year, region, self.compute(key, region, year),
                         link=drill_url(kpi.key, region, year))
        self.used.append(fig)
        return fig

    def value(self, key: str, region: str | None = None, year: int | None = None) -> Any:
        return self.figure(key, region, year).value


# --- formatting ----------------------------------------------------------------------------------
def number(value: Any) -> str:
    """3458 → "3458"; 92.5 → "92.5"; 92.54 → "92.54"."""
    if value is None:
        return MISSING_TEXT
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def approx(value: Any) -> str:
    """The office's rounded-down figures: 3458 → "3400余", 600 → "600", 15234 → "1.5万余",
    702000 → "70余万"."""
    if value is None:
        return MISSING_TEXT
    n = float(value)
    if n >= 100000:
        head = math.floor(n / 10000)
        return f"{head}余万" if head * 10000 < n else f"{head}万"
    if n >= 10000:
        head = math.floor(n / 1000) / 10
        text = f"{head:.1f}".rstrip("0").rstrip(".")
        return f"{text}万余" if head * 10000 < n else f"{text}万"
    if n >= 100:
        digits = len(str(int(n)))
        step = 10 ** (digits - 2)
        head = int(n // step * step)
        return f"{head}余" if head < n else str(head)
    return number(value)


def percent(value: Any) -> str:
    return MISSING_TEXT if value is None else f"{float(value):.2f}%"


def wan(value: Any) -> str:
    """元 → 万元, rounded down: 89680000 → "8968万元"."""
    return MISSING_TEXT if value is None else f"{math.floor(float(value) / 10000)}万元"


def yi(value: Any) -> str:
    """元 → 亿元, one decimal: 220000000 → "约2.2亿元"."""
    return MISSING_TEXT if value is None else f"约{float(value) / 1e8:.1f}亿元"


def change(current: Any, previous: Any) -> str:
    """"同比增长 12.5%" / "同比下降 37%" / "与上年持平"; "" when last year has nothing to compare."""
    if current is None or previous in (None, 0) or isinstance(current, dict):
        return ""
    c, p = float(current), float(previous)
    if c == p:
        return "与上年持平"
    pct = abs(c - p) / p * 100
    text = f"{pct:.1f}".rstrip("0").rstrip(".")
    return f"同比{'增长' if c > p else '下降'}{text}%"
