"""Who may take which step of a case, and which 综治中心 is responsible where (reads only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from anmin.core.models import OrgUnit
from anmin.core.models.orgs import OrgKind
from anmin.core.models.regions import RegionLevel, level_of

from .definitions import APPROVE, DENY, HANDLER, REPORTER, SUPERVISE, Transition

SUPERVISE_PERM = "workflow.add_supervision"


def in_jurisdiction(user, case) -> bool:
    return any(case.region_id.startswith(prefix) for prefix in user.scope.prefixes)


def may_take(user, case, roles: tuple[str, ...]) -> bool:
    """Whether ``user`` holds one of the role tokens of a transition for this case."""
    for token in roles:
        if token == HANDLER:
            if case.handler_id == user.pk or (user.org_unit_id and user.org_unit_id == case.handling_org_id):
                return True
        elif token == REPORTER:
            if case.reporter_id is not None and case.reporter_id == user.pk:
                return True
        elif user.has_role(token) and in_jurisdiction(user, case):
            return True
    return False


def may_approve(user, case, transition: Transition) -> bool:
    return user.has_role(*transition.approver_roles) and in_jurisdiction(user, case)


def may_supervise(user, case) -> bool:
    return case.is_open and user.has_perm(SUPERVISE_PERM) and in_jurisdiction(user, case)


@dataclass(frozen=True)
class Action:
    """A button on the case page: a transition, or approve/deny/supervise. ``label`` and
    ``reason_label`` are in the active language (they are shown, never stored)."""

    name: str
    label: str
    transition: Transition | None = None
    style: str = ""

    @property
    def reason_required(self) -> bool:
        if self.name in (DENY, SUPERVISE):
            return True
        return bool(self.transition and self.transition.reason_required)

    @property
    def reason_label(self) -> str:
        if self.name == DENY:
            return gettext("驳回理由")
        if self.name == SUPERVISE:
            return gettext("督办事由")
        if self.name == APPROVE:
            return gettext("审批意见")
        return self.transition.display_reason_label if self.transition else gettext("办理意见")

    @property
    def inputs(self) -> tuple[str, ...]:
        if self.transition is None or self.name in (APPROVE, DENY):
            return ()
        return self.transition.inputs


def available_actions(case, user) -> list[Action]:
    """What ``user`` can do to ``case`` now (the case must already be visible to them)."""
    try:
        wf = case.workflow
    except LookupError:
        return []
    kind = case.kind_def
    out: list[Action] = []
    for t in wf.transitions_from(case.status):
        if kind.owns(t.name):  # the domain's own page offers it, with the fields it needs
            continue
        if may_take(user, case, t.roles):
            label = t.display_label
            if t.needs_approval and not may_approve(user, case, t):
                if case.pending_transition:
                    continue  # one request at a time
                if not t.label.startswith("申请"):
                    label = gettext("申请%(label)s") % {"label": label}
            out.append(Action(t.name, label, t, t.style))
    if case.pending_transition:
        pending = wf.transition(case.pending_transition)
        if pending and may_approve(user, case, pending):
            shown = pending.display_label
            out.append(Action(APPROVE, gettext("批准%(label)s") % {"label": shown}, pending, "primary"))
            out.append(Action(DENY, gettext("驳回%(label)s申请") % {"label": shown}, pending, "danger"))
    if may_supervise(user, case):
        out.append(Action(SUPERVISE, gettext("督办")))
    return out


# -- 综治中心 lookup ---------------------------------------------------------------------------
def region_chain(code: str) -> list[str]:
    """The region and the regions above it, finest first: grid → village → township → city."""
    level = level_of(code)
    chain = [code]
    if level == RegionLevel.GRID:
        chain.append(code[:12])
    if level >= RegionLevel.VILLAGE:
        chain.append(code[:9] + "000")
    if level >= RegionLevel.TOWNSHIP:
        chain.append(code[:6] + "000000")
    return chain


class CentreFinder:
    """Finds the 综治中心 of a region (at city level the 市平安办 stands in when there is no centre).

    One instance caches its look-ups, so a sweep over many cases asks once per region."""

    def __init__(self) -> None:
        self._cache: dict[str, OrgUnit | None] = {}
        self._orgs: dict[int, OrgUnit | None] = {}
        self._complete = False  # preload() read every centre: a region missing from the cache has none

    @classmethod
    def kept(cls) -> CentreFinder:
        """A finder shared by the process's requests: its look-ups kept until the region tree or the
        org units are written (``scopecache.reference_object``; a transaction that wrote them gets its
        own). Intake asks it for the centre of every new case — one or two queries a report saved."""
        from anmin.core import scopecache

        return scopecache.reference_object("workflow.centre_finder", cls)

    def preload(self) -> None:
        """Read every org unit and every centre at once (a sweep touches most of them)."""
        kinds = (OrgKind.CENTER, OrgKind.PEACE_OFFICE)
        by_region: dict[str, list[OrgUnit]] = {}
        for org in OrgUnit.objects.order_by("pk"):
            self._orgs[org.pk] = org
            if org.is_active and org.kind in kinds:
                by_region.setdefault(org.region_id, []).append(org)
        for code, found in by_region.items():
            if level_of(code) != RegionLevel.CITY:
                found = [o for o in found if o.kind == OrgKind.CENTER]
            found.sort(key=lambda o: kinds.index(o.kind))
            self._cache[code] = found[0] if found else None
        self._complete = True

    def org(self, pk: int) -> OrgUnit | None:
        if pk not in self._orgs:
            self._orgs[pk] = OrgUnit.objects.filter(pk=pk).first()
        return self._orgs[pk]

    def at(self, code: str) -> OrgUnit | None:
        hit = self._cache.get(code, self)  # ``self``: not looked up yet (None is an answer)
        if hit is not self:
            return hit
        if self._complete:
            return None
        if len(self._cache) > 50_000:  # a kept finder in a province's worker: start again
            self._cache.clear()
        kinds = [OrgKind.CENTER]
        if level_of(code) == RegionLevel.CITY:
            kinds.append(OrgKind.PEACE_OFFICE)
        found = list(OrgUnit.objects.filter(region_id=code, kind__in=kinds, is_active=True).order_by("pk"))
        found.sort(key=lambda o: kinds.index(o.kind))
        self._cache[code] = centre = found[0] if found else None
        return centre

    def intake(self, region_code: str, intake_level: int = RegionLevel.VILLAGE) -> OrgUnit | None:
        """The centre that takes in a new case: the nearest one at or above ``intake_level``."""
        for code in region_chain(region_code):
            if level_of(code) <= intake_level and (org := self.at(code)) is not None:
                return org
        return None

    def above(self, region_code: str, org: OrgUnit | int | None) -> OrgUnit | None:
        """The centre above ``org`` for a case in this region: the township centre for a village (or
        grid) case, the city centre for a township case; never ``org`` itself nor a centre below it."""
        org_id = getattr(org, "pk", org)
        case_level = level_of(region_code)
        finest_level = min(case_level, RegionLevel.VILLAGE) - 1 if case_level > RegionLevel.CITY else RegionLevel.CITY
        if org_id:
            org_obj = org if isinstance(org, OrgUnit) else self.org(org_id)
            if org_obj is not None and org_obj.kind in (OrgKind.CENTER, OrgKind.PEACE_OFFICE):
                finest_level = min(finest_level, level_of(org_obj.region_id) - 1)
        for code in region_chain(region_code):
            if level_of(code) > finest_level:
                continue
            centre = self.at(code)
            if centre is not None and centre.pk != org_id:
                return centre
        return None


def assignable_orgs(user):
    """Units a user may hand a case to: those in their jurisdiction and the departments of the
    levels above it (a township centre dispatches to its police station or to a city bureau)."""
    from django.db.models import Q

    visible = OrgUnit.objects.visible_to(user).values("pk")
    above: list[str] = []
    if user.org_unit_id:
        above = region_chain(user.org_unit.region_id)[1:]
    return OrgUnit.objects.filter(Q(pk__in=visible) | Q(region_id__in=above), is_active=True)


def owner_org_id(case) -> int | None:
    """The unit whose move it is: the handling unit in handling states, else the centre."""
    try:
        owner = case.workflow.state(case.status).owner
    except LookupError:
        owner = ""
    if owner == "handler":
        return case.handling_org_id or case.center_org_id
    return case.center_org_id or case.handling_org_id
