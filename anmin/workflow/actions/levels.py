"""A case's level changed — a dispute's risk colour, a lead's grade, any kind's 等级 — written on the
timeline the same way for every kind: the old and the new level (words, drawn as coloured badges when
the level has a colour), whether a rule changed it or a person did, and why.

A domain calls ``record_level_change`` inside its own action's transaction whenever a level moves,
above all when no person chose the new one (a risk flag or a party's risk signal raised it, a sweep
escalated it): a level that changes without a line on the timeline is the one thing users cannot
explain to themselves. The timeline (``workflow/_timeline.html``) draws ``data["level"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from anmin.core.guards import action

from ..models import Case, CaseEvent
from .steps import record_case_event


@dataclass(frozen=True)
class Level:
    """One level as shown: its value, its word and (when it has one) the badge's CSS class, e.g.
    ``Level("red", "红", "colour-red")``."""

    value: str
    label: str
    badge: str = ""

    def as_dict(self) -> dict:
        return {"value": self.value, "label": self.label, "badge": self.badge}


@action(open_to="the engine's primitive, called inside a domain action that checked the actor")
def record_level_change(*, case: Case | int, actor, what: str, before: Level | None, after: Level,
                        reasons: Sequence[str] = (), automatic: bool, raised: bool | None = None,
                        action: str = "level_change", label: str = "", note: str = "",
                        data: dict | None = None, now: datetime | None = None) -> CaseEvent:
    """Write the change of ``what`` (风险等级) from ``before`` to ``after`` on the case's timeline.
    ``reasons`` say why, one phrase each (自动加上「当事人有精神障碍」（当事人赵某：…））; ``automatic``
    says no person chose the new level; ``raised`` True/False for up/down when the levels have an order. The event's
    reason reads 风险等级由「黄」升为「红」：… and its data carries both levels for the badges."""
    verb = "升为" if raised else "降为" if raised is False else "改为"
    if before is None or before.value == after.value:
        sentence = f"{what}为「{after.label}」"
    else:
        sentence = f"{what}由「{before.label}」{verb}「{after.label}」"
    if reasons:
        sentence += "：" + "；".join(r for r in reasons if r)
    if note:
        sentence += f"。{note}" if reasons else f"：{note}"
    if not label:
        if before is not None and before.value == after.value:
            label = f"{what}研判"
        elif automatic:
            label = f"{what}自动{'提升' if raised else '下调' if raised is False else '调整'}"
        else:
            label = f"{what}调整"
    level = {"what": what, "automatic": automatic, "raised": raised, "to": after.as_dict(),
             "from": before.as_dict() if before is not None and before.value != after.value else None}
    return record_case_event(case=case, actor=actor, action=action, label=label[:64], reason=sentence,
                             data={**(data or {}), "level": level}, now=now)
