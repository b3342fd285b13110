"""Who should see a record, by rule rather than by listing every role (scope samples use these).

A role's users see a record when the role holds the record's view permission and the record lies in
their jurisdiction: a user of a city-level unit sees it wherever it is, a township's, village's or
grid worker's sees only what lies in 古城镇 ("own" in the authorization matrix). Roles scoped to what
is assigned to them (调解员, 部门经办人) and roles without business data (系统管理员, 审计员) see none of a
sample that is not handed to them. Exceptions are given explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from anmin.core.models.accounts import ScopeKind
from anmin.core.models.regions import RegionLevel

ALL = frozenset({"own", "neighbour", "parent"})
OWN = frozenset({"own"})
NONE: frozenset[str] = frozenset()

Expect = Callable[[object, str], set[str]]


def _by_place(user) -> frozenset[str]:
    org = user.org_unit
    return ALL if org is not None and org.region.level == RegionLevel.CITY else OWN


def seen_by(perm: str | None, *, overrides: dict[str, Iterable[str]] | None = None) -> Expect:
    """Expectations for a record whose view permission is ``perm`` (None: reference data, seen by every
    role with business data in the reference area of its unit)."""
    overrides = {k: frozenset(v) for k, v in (overrides or {}).items()}

    def expect(world, role: str) -> set[str]:
        if role in overrides:
            return set(overrides[role])
        user = world.user(role)
        kinds = {r.scope for r in user.role_list}
        if ScopeKind.NONE in kinds:
            return set()
        if perm is None:
            return set(_by_place(user))
        if not user.has_perm(perm) or kinds <= {ScopeKind.ASSIGNED}:
            return set()
        return set(_by_place(user))

    return expect


reference = seen_by(None)


def shared(perm: str) -> Expect:
    """A list kept for the whole city (``ScopePolicy(shared_view=True)``): every role holding ``perm``
    sees every row, wherever it lies."""

    def expect(world, role: str) -> set[str]:
        user = world.user(role)
        return set(ALL) if user.has_perm(perm) else set()

    return expect


def only(seen: dict[str, Iterable[str]]) -> Expect:
    """Only the roles named see the record (where given); every other role sees none of it."""
    frozen = {k: frozenset(v) for k, v in seen.items()}

    def expect(world, role: str) -> set[str]:
        return set(frozen.get(role, NONE))

    return expect
