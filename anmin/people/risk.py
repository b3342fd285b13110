"""Risk signals: one registry warns another through the person they share.

A registry that knows something about people publishes a ``RiskSignal`` — "this person is a
severe-mental-disorder patient at level ≥ 3", "is under 社区矫正", "took part in three disputes this
year" — as a function from person ids to a reason. A case kind subscribes with a
``SignalSubscriber``: when a dispute names a party, the dispute asks ``signals_of`` for that person and
raises its colour; when the publisher changes a person's standing, it calls ``signals_changed`` inside
its own transaction and every subscriber refreshes what it derived from that person.

Registered in ``AppConfig.ready()`` (the publishers in their registries' apps, the subscribers in the
domains); nobody imports the other side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from anmin.core.registry import Registry


@dataclass(frozen=True)
class RiskSignal:
    key: str  # "severe_mental_disorder"
    label: str  # "严重精神障碍患者（3级及以上）"
    # holders(person_ids) → {person_id: reason} for the persons (among those given) who carry it now.
    holders: Callable[[Iterable[int]], dict[int, str]]
    app: str = ""


@dataclass(frozen=True)
class SignalSubscriber:
    key: str  # "disputes"
    signals: tuple[str, ...]  # the signal keys it follows; ("*",): every signal
    # refresh(person_ids=, actor=) — called inside the publisher's transaction.
    refresh: Callable[..., None]


risk_signals: Registry[RiskSignal] = Registry("risk signals")
signal_subscribers: Registry[SignalSubscriber] = Registry("risk signal subscribers")


def signals_of(person_ids: Iterable[int], keys: Iterable[str] | None = None) -> dict[int, dict[str, str]]:
    """{person_id: {signal key: reason}} for the persons that carry any of the signals (``keys``: only
    those)."""
    ids = sorted({int(p) for p in person_ids if p is not None})
    wanted = set(keys) if keys is not None else None
    out: dict[int, dict[str, str]] = {}
    if not ids:
        return out
    for signal in risk_signals:
        if wanted is not None and signal.key not in wanted:
            continue
        for pid, reason in signal.holders(ids).items():
            out.setdefault(pid, {})[signal.key] = reason
    return out


def signals_changed(*, person_ids: Iterable[int], signal: str, actor) -> None:
    """A publisher changed something its signal reads for these persons: every subscriber of the
    signal refreshes (inside the caller's transaction, so both stand or fall together)."""
    ids = sorted({int(p) for p in person_ids if p is not None})
    if not ids:
        return
    for sub in signal_subscribers:
        if signal in sub.signals or "*" in sub.signals:
            sub.refresh(person_ids=ids, actor=actor)
