"""The case-kind registry: domains register their kinds of case in ``AppConfig.ready()``.

    from anmin.workflow.registry import CaseKind, register_kind
    register_kind(CaseKind(code="MD", key="dispute", label=pgettext_noop("case kind", "矛盾纠纷"),
                           workflow=DISPUTE_WORKFLOW, view_perm="disputes.view_dispute",
                           detail_url=lambda case: ...))

``label`` is the Chinese (what messages and stored records say); pages show ``display_label``, its
translation under the context "case kind" (``pgettext_noop`` from ``anmin.core.i18n`` marks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anmin.core.i18n import translated
from anmin.core.models.regions import RegionLevel
from anmin.core.registry import Registry

from .definitions import Workflow

_CODE = re.compile(r"^[A-Z]{2,4}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
KIND = "case kind"  # the translation context of kind labels


@dataclass(frozen=True)
class CaseKind:
    code: str  # the number prefix, e.g. "MD" → MD-2020-000123; stored in Case.kind
    key: str  # a readable identifier, e.g. "dispute"
    label: str  # e.g. "矛盾纠纷"
    workflow: Workflow
    view_perm: str  # "app_label.codename" a role needs to see cases of this kind in its jurisdiction
    detail_url: Callable[[Any], str | None] | None = None  # the domain's own page for a case, if any
    app: str = ""
    # The lowest level whose 综治中心 takes in a new case (a grid event goes to the village centre;
    # a kind taken in by townships only says RegionLevel.TOWNSHIP).
    intake_level: int = RegionLevel.VILLAGE
    creatable: bool = False  # may be opened through the generic case form/API (no domain detail needed)
    # Called inside the transition's transaction: on_transition(case=, event=, transition=, actor=, data=).
    on_transition: Callable[..., None] | None = None
    # Preconditions per transition name, checked inside the step's lock (also when a pending request
    # is approved): guard(case=, actor=, transition=, data=) returns None or a Chinese reason to refuse.
    guards: Mapping[str, Callable[..., str | None]] = field(default_factory=dict, hash=False, compare=False)
    # Steps only the domain's own actions take (a dispute's outcome is registered with its fields, not
    # as a bare "反馈"): the generic case page does not offer them and the generic endpoint refuses them.
    domain_steps: frozenset[str] = frozenset()
    # What the domain page calls each of its steps, for the refusal's message ("登记调解结果").
    domain_step_labels: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def display_label(self) -> str:
        """The label in the active language (``label`` is the Chinese)."""
        return translated(self.label, KIND)

    def url_for(self, case) -> str | None:
        return self.detail_url(case) if self.detail_url else None

    def owns(self, transition: str) -> bool:
        """Whether a step is the domain's own (taken through its page and actions only)."""
        return transition in self.domain_steps

    def refusal(self, *, case, actor, transition, data) -> str | None:
        """The guard's reason to refuse ``transition`` now, or None."""
        guard = self.guards.get(transition.name)
        return guard(case=case, actor=actor, transition=transition, data=data or {}) if guard else None


def detail_page(related_name: str) -> Callable[[Any], str | None]:
    """``CaseKind.detail_url`` for a kind whose cases have a domain record (a ``CaseDetail``, reached from
    the case by ``related_name``, "<app_label>_<model>"): that record's page, or None without one."""

    def url(case) -> str | None:
        detail = getattr(case, related_name, None)
        return detail.get_absolute_url() if detail is not None else None

    return url


case_kinds: Registry[CaseKind] = Registry("case kinds")


def register_kind(kind: CaseKind) -> CaseKind:
    if not _CODE.match(kind.code):
        raise ValueError(f"case kind code {kind.code!r} must be 2-4 capital letters")
    if not _KEY.match(kind.key):
        raise ValueError(f"case kind key {kind.key!r} must be a lower-case identifier")
    if any(k.key == kind.key for k in case_kinds):
        raise ValueError(f"case kinds: key {kind.key!r} is already registered")
    if "." not in kind.view_perm:
        raise ValueError(f"case kind {kind.code}: view_perm must be 'app_label.codename'")
    names = {t.name for t in kind.workflow.transitions}
    unknown = (set(kind.guards) | set(kind.domain_steps)) - names
    if unknown:
        raise ValueError(f"case kind {kind.code}: guards/domain_steps name unknown transitions {sorted(unknown)}")
    return case_kinds.register(kind.code, kind)


def get_kind(code_or_key: str | CaseKind) -> CaseKind:
    if isinstance(code_or_key, CaseKind):
        return code_or_key
    if code_or_key in case_kinds:
        return case_kinds.get(code_or_key)
    for kind in case_kinds:
        if kind.key == code_or_key:
            return kind
    raise LookupError(f"unknown case kind {code_or_key!r} (registered: {', '.join(case_kinds.keys())})")


def kind_choices() -> list[tuple[str, str]]:
    """(code, label) of every kind, labels in the active language (for drop-downs)."""
    return [(k.code, k.display_label) for k in case_kinds]


def priority_choices() -> list[tuple[str, str]]:
    """(code, label) of every priority a case can have: the engine's three and those a kind grades its
    cases by instead (a fraud lead's 特高/高/中/低, ``Workflow.priorities``), each once."""
    seen: dict[str, str] = {}
    for kind in case_kinds:
        for code, label in kind.workflow.priorities:
            seen.setdefault(code, gettext(label))
    return list(seen.items())


SWEEP_STEPS = {"sweep:overdue": _("逾期标记"), "sweep:warning": _("临期预警")}


def step_label(object_type: str, step: str) -> str | None:
    """A case step's name in the active language, for the audit log ("request:extend" → 延期)."""
    if object_type != "workflow.case":
        return None
    if step in SWEEP_STEPS:  # what the periodic sweep did to a batch of cases
        return str(SWEEP_STEPS[step])
    name = step.rpartition(":")[2]
    for kind in case_kinds:
        t = kind.workflow.transition(name)
        if t is not None:
            return t.display_label
    return None


# -- one-tap reports across domains --------------------------------------------------------------------


@dataclass(frozen=True)
class EventReporter:
    """A service that turns a finding (a patrol's check-in, an inspection) into a case of the domain
    that registered it, in one step — so one domain reports into another without importing it.

    ``report(*, actor, region, description, category, source, found_at=None)`` runs the owning
    domain's own guarded action and returns the record made (with ``case.number`` and
    ``get_absolute_url()``); its errors are the core vocabulary.
    """

    key: str
    label: str
    report: Callable[..., Any]
    perm: str = ""  # what the actor needs (shown or hidden in the caller's page)


event_reporters: Registry[EventReporter] = Registry("event reporters")
