"""A dispute's risk colour (四色): the assessed colour, raised by the 民转刑 risk factors chosen by hand
and by those its parties carry in the person register (``anmin.people.risk`` signals — a party who is a
severe-mental-disorder patient at level 3, under 社区矫正, with a drug history, or in several disputes
this year). The colour follows the register: when a patient's level drops, the flag and colour drop.
Every change of the colour that no person chose is written on the timeline with its reason and both
colours as badges (the case kit's ``record_level_change``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Count

from anmin.core import audit, clock
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.i18n import source_text
from anmin.people.risk import signals_of
from anmin.workflow.actions import Level, record_case_event, record_level_change

from ..defaults import DEFAULT_FLAG_SIGNALS, DEFAULT_RISK_FLAGS, REPEAT_DISPUTES
from ..models import COLOUR_RANK, Dispute, DisputeParty, RiskColour, RiskFlag


def ensure_default_risk_flags() -> int:
    """Create the default risk flags that are missing (reference data, reloaded after every migrate)."""
    created = 0
    for code, name, colour, order in DEFAULT_RISK_FLAGS:
        created += RiskFlag.objects.get_or_create(code=code, defaults={
            "name": name, "raises_to": colour, "order": order, "signal": DEFAULT_FLAG_SIGNALS.get(code, "")})[1]
    return created


def effective_colour(assessed: str, flags: Iterable[str]) -> str:
    """The higher of the assessed colour and the colours the risk flags raise the dispute to."""
    colour = assessed or RiskColour.BLUE
    for flag in RiskFlag.objects.filter(code__in=list(flags or []), is_active=True):
        if COLOUR_RANK[flag.raises_to] > COLOUR_RANK[colour]:
            colour = flag.raises_to
    return colour


def colour_level(colour: str) -> Level:
    """A colour as the timeline shows it: its word (in Chinese, as stored) and its badge."""
    colour = colour or RiskColour.BLUE
    return Level(colour, source_text(RiskColour(colour).label), f"colour-{colour}")


def raising_flags(assessed: str, flags: Iterable[str]) -> list[RiskFlag]:
    """The active flags among ``flags`` that raise a dispute assessed ``assessed`` above it."""
    rank = COLOUR_RANK[assessed or RiskColour.BLUE]
    return [f for f in RiskFlag.objects.filter(code__in=list(flags or []), is_active=True).order_by("order", "code")
            if COLOUR_RANK[f.raises_to] > rank]


def record_colour_change(dispute: Dispute, *, by, before: str, after: str, reasons: list[str], automatic: bool,
                         action: str = "colour", label: str = "", note: str = "", data: dict | None = None,
                         now=None) -> None:
    """The colour moved (or, by hand, was confirmed): a line on the timeline with both colours."""
    raised = None if before == after else COLOUR_RANK[after] > COLOUR_RANK[before or RiskColour.BLUE]
    record_level_change(case=dispute.case_id, actor=by, what="风险等级", before=colour_level(before),
                        after=colour_level(after), reasons=reasons, automatic=automatic, raised=raised,
                        action=action, label=label, note=note, data={**(data or {}), "colour": after}, now=now)


def flag_reasons(flags: Iterable[RiskFlag]) -> list[str]:
    """Why hand-chosen flags raised the colour: 风险因素「有人扬言报复」提升至红."""
    return [f"风险因素「{f.name}」提升至{source_text(RiskColour(f.raises_to).label)}" for f in flags]


def check_flags(flags: list[str]) -> list[str]:
    flags = sorted(set(flags or []))
    known = set(RiskFlag.objects.filter(code__in=flags, is_active=True).values_list("code", flat=True))
    unknown = [f for f in flags if f not in known]
    if unknown:
        raise invalid("risk_flags", f"「风险因素」{'、'.join(unknown)} 不在风险因素表中")
    return flags


def signal_flags(person_ids: Iterable[int], names: dict[int, str]) -> dict[str, str]:
    """{flag code: reason} that the parties' risk signals raise (through ``RiskFlag.signal``)."""
    by_signal = dict(RiskFlag.objects.filter(is_active=True).exclude(signal="").values_list("signal", "code"))
    out: dict[str, str] = {}
    for pid, signals in signals_of(person_ids, keys=by_signal).items():
        for key, reason in sorted(signals.items()):
            flag = by_signal[key]
            out[flag] = "；".join(filter(None, [out.get(flag), f"当事人{names.get(pid, '')}：{reason}"]))
    return out


def apply_signals(dispute: Dispute, *, by, now=None) -> bool:
    """Recompute the flags the parties' signals raise and the colour; write the change (version, audit,
    a 风险提示 on the timeline) when there is one. Call inside the caller's transaction with the
    dispute locked or new. Returns whether anything changed."""
    parties = {p.person_id: p.name for p in dispute.parties.all() if p.person_id}
    auto = signal_flags(parties, parties)
    colour = effective_colour(dispute.assessed_colour, [*dispute.risk_flags, *auto])
    if auto == (dispute.auto_flags or {}) and colour == dispute.colour:
        return False
    before = {"auto_flags": dispute.auto_flags, "colour": dispute.colour}
    added = {k: v for k, v in auto.items() if k not in (dispute.auto_flags or {})}
    removed = [k for k in (dispute.auto_flags or {}) if k not in auto]
    dispute.auto_flags, dispute.colour = auto, colour
    dispute.version += 1
    dispute.save(update_fields=["auto_flags", "colour", "version"])
    audit.record(actor=by, action="update", obj=dispute, before=before,
                 after={"auto_flags": auto, "colour": colour}, reason="当事人风险信号变化")
    names = dict(RiskFlag.objects.filter(code__in=[*added, *removed]).values_list("code", "name"))
    lines = [f"自动加上「{names.get(k, k)}」（{v}）" for k, v in added.items()]
    lines += [f"自动撤销「{names.get(k, k)}」（当事人已不再具有该风险）" for k in removed]
    if colour != before["colour"]:
        record_colour_change(dispute, by=by, before=before["colour"], after=colour, automatic=True,
                             reasons=lines or ["风险因素表已调整"], action="risk_signal",
                             data={"auto_flags": auto}, now=now)
    else:
        lines.append(f"风险等级仍为「{colour_level(colour).label}」")
        record_case_event(case=dispute.case_id, actor=by, action="risk_signal", label="风险提示",
                          reason="；".join(lines), data={"auto_flags": auto, "colour": colour}, now=now)
    return True


@action(open_to="a reaction of the platform: called by the person register's signal publisher, inside its "
                "own checked action")
def refresh_party_signals(*, person_ids: Iterable[int], actor) -> int:
    """The person register changed something a signal reads: every open dispute with one of these
    persons as a party follows (subscribed to the signals in ``apps.py``). Returns how many changed."""
    ids = (DisputeParty.objects.filter(person_id__in=list(person_ids), dispute__case__is_open=True)
           .values_list("dispute_id", flat=True).distinct())
    changed = 0
    with transaction.atomic():
        for dispute in (Dispute.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk")
                        .prefetch_related("parties")):
            changed += apply_signals(dispute, by=actor)
    return changed


def repeat_dispute_holders(person_ids: Iterable[int]) -> dict[int, str]:
    """The ``repeat_disputes`` signal: parties to ``REPEAT_DISPUTES`` or more disputes registered in
    the last 12 months."""
    since = clock.today() - timedelta(days=365)
    rows = (DisputeParty.objects.filter(person_id__in=list(person_ids), dispute__found_on__gte=since)
            .values("person_id").annotate(n=Count("dispute_id", distinct=True)).filter(n__gte=REPEAT_DISPUTES))
    return {r["person_id"]: f"一年内涉及{r['n']}起矛盾纠纷" for r in rows}
