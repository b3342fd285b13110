"""The one scoping contract: every business query goes through ``Model.objects.visible_to(user)``.

Visible = (the role covers this kind of record AND the record lies inside the user's jurisdiction)
          OR the record is assigned to the user or to the user's org unit.

* Geographic scope: the code prefix of the user's org unit region (or of the grids they own).
* Functional scope: the Django permission ``<app>.view_<model>`` granted through the user's roles
  (or what a model's policy names); models may add a finer functional filter (case kinds).
* Assignment: fields on the model naming the handling user or org unit.

Out-of-scope objects must look absent (404), never forbidden.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.db.models.query import ModelIterable

if TYPE_CHECKING:
    from .models import User


@dataclass(frozen=True)
class ScopePolicy:
    """How a model is scoped. Set as the class attribute ``scope`` on the model."""

    region_field: str = "region"
    assignee_fields: tuple[str, ...] = ()
    org_fields: tuple[str, ...] = ()
    perm: str | None = None  # default: "<app_label>.<action>_<model_name>"
    reference_data: bool = False  # region tree, org units: not personal business data
    # A page of the model's list read branch by branch (``core.branchpage``): for a large table whose
    # every branch of the condition has an index that serves "newest first" (the case table).
    paged_by_branch: bool = False
    # A domain record listed in an order of its own column (disputes by the day found) may keep its
    # region's township code in a column of its own, indexed ahead of that order (the kit's
    # ``township_copy_field``): a township's part of a page is then one range of that index
    # (``core.branchpage``) instead of the table walked in that order, testing each row's case.
    township_field: str | None = None
    # A list kept for the whole city and read by everyone who works with it, whatever their area (the
    # 涉诈黑名单: fraudsters' numbers, not people): every holder of the view permission sees every row.
    # Any other action (change) still follows the region.
    shared_view: bool = False

    def permission(self, model: type[models.Model], action: str) -> str:
        if self.perm and action == "view":
            return self.perm
        return f"{model._meta.app_label}.{action}_{model._meta.model_name}"

    def region_lookup(self, model: type[models.Model]) -> str:
        """The lookup that tests a record's region code against a prefix.

        ``region_field`` may be a path ("case__region"); when it ends on a foreign key to a region,
        compare the key's own column (regions are keyed by code, so Django trims that join).
        """
        field = None
        for part in self.region_field.split("__"):
            field = model._meta.get_field(part)
            if field.is_relation:
                model = field.related_model
        if field is not None and field.is_relation:
            return f"{self.region_field}__code__startswith"
        return f"{self.region_field}__startswith"


def township_copy_q(field: str, lookup: str, prefix: str) -> Q:
    """The rows of ``lookup=prefix`` (the case's region under a code prefix) placed by the record's own
    copy of its township (``ScopePolicy.township_field``) instead: a township's code — the copy equal to
    it; a county's or the province's — the copies from it up to the next code (a range, not ``LIKE``: the
    plain index serves it whatever the database's collation); a village's or a grid's — the copy equal to
    its township's and the case's prefix as well. The case's test as it is for a prefix that is not digits."""
    from .models.regions import TOWNSHIP_DIGITS

    if not prefix.isdigit():
        return Q(**{lookup: prefix})
    if len(prefix) > TOWNSHIP_DIGITS:
        return Q(**{lookup: prefix}) & Q(**{field: prefix[:TOWNSHIP_DIGITS]})
    if len(prefix) == TOWNSHIP_DIGITS:
        return Q(**{field: prefix})
    q = Q(**{f"{field}__gte": prefix})
    return q & Q(**{f"{field}__lt": str(int(prefix) + 1).zfill(len(prefix))}) if prefix.strip("9") else q


def map_leaves(node: Q, fn) -> Q:
    """A copy of ``node`` with each leaf ``(lookup, value)`` replaced by ``fn(leaf)`` (a leaf or a ``Q``)."""
    clone = Q()
    clone.connector, clone.negated = node.connector, node.negated
    clone.children = [map_leaves(child, fn) if isinstance(child, Q) else fn(child) for child in node.children]
    return clone


def get_policy(model: type[models.Model]) -> ScopePolicy:
    policy = getattr(model, "scope", None)
    if not isinstance(policy, ScopePolicy):
        raise TypeError(f"{model.__name__} has no ScopePolicy; business models must declare `scope`")
    return policy


class _StampedIterable(ModelIterable):
    """Records read as model instances, each told whom it was assigned to when read
    (``scopecache.stamper``): a write that moves it away moves that user's or unit's figures."""

    def __iter__(self):
        from .scopecache import stamper

        stamp = stamper(self.queryset.model)
        if stamp is None:
            yield from super().__iter__()
            return
        for obj in super().__iter__():
            stamp(obj)
            yield obj


class ScopedQuerySet(models.QuerySet):
    """QuerySet base for every model that holds business data."""

    branches: tuple[Q, ...] | None = None  # the OR'd parts of the visibility condition (branchpage)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._iterable_class is ModelIterable:
            self._iterable_class = _StampedIterable

    def visible_to(self, user: User | Any, action: str = "view") -> ScopedQuerySet:
        q = self.visibility_q(user, action)
        if q is None:
            return self.none()
        return self._visible(q, by_branch=get_policy(self.model).paged_by_branch)

    def _visible(self, q: Q, *, by_branch: bool) -> ScopedQuerySet:
        """``self`` filtered by the visibility condition ``q``, keeping its OR'd parts (``branches``) when
        a page of it may be read part by part (``core.branchpage``)."""
        qs = self.filter(q)
        if by_branch and q.connector == Q.OR and not q.negated and len(q.children) > 1:
            qs.branches = tuple(_township_parts(c if isinstance(c, Q) else Q(c)) for c in q.children)
        return qs

    # ``branches`` follows the queryset through filters (each narrows it, so a row of the result still
    # lies in some branch) but not into a combination with another queryset, which may widen it.
    def _clone(self):
        clone = super()._clone()
        clone.branches = self.branches
        return clone

    def __or__(self, other):
        combined = super().__or__(other)
        if combined is not self and combined is not other:
            combined.branches = None
        return combined

    def __xor__(self, other):
        combined = super().__xor__(other)
        if combined is not self and combined is not other:
            combined.branches = None
        return combined

    def _combinator_query(self, *args, **kwargs):
        combined = super()._combinator_query(*args, **kwargs)
        combined.branches = None
        return combined

    def visibility_q(self, user: User | Any, action: str = "view", prefix: str = "") -> Q | None:
        """The condition ``visible_to`` filters on (None: nothing is visible). ``prefix`` puts it
        behind a relation ("case__"), so a model scoped through another one filters with a join."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        if getattr(user, "is_system", False):  # the platform itself (anmin.core.actors.SYSTEM)
            return Q()
        policy = get_policy(self.model)
        if policy.shared_view and action == "view" and user.has_perm(policy.permission(self.model, action)):
            return Q()  # (not a clause: Q() | other would be just other)
        clauses: list[Q] = []
        if user.has_perm(policy.permission(self.model, action)):
            lookup = prefix + policy.region_lookup(self.model)
            prefixes = user.scope.reference_prefixes if policy.reference_data else user.scope.prefixes
            geo = [Q(**{lookup: code_prefix}) for code_prefix in prefixes]
            if geo:
                functional = self.functional_q(user, action, prefix) if prefix else self.functional_q(user, action)
                region_q = reduce(operator.or_, geo)
                clauses.append(region_q & functional if functional is not None else region_q)
        clauses.extend(Q(**{prefix + field: user.pk}) for field in policy.assignee_fields)
        if user.org_unit_id:
            clauses.extend(Q(**{prefix + field: user.org_unit_id}) for field in policy.org_fields)
        return reduce(operator.or_, clauses) if clauses else None

    def usable_by(self, user: User | Any) -> ScopedQuerySet:
        """What ``user`` may pick to work with: the records ``visible_to`` them, and those placed at a
        village that holds one of their grids (``home_villages``) — a village's patrol team, which its
        grid worker patrols with though the team lies outside the grid. Pickers offer these, and an
        action taking one says ``@action(target_action="use")`` (``core.guards``)."""
        q = self.visibility_q(user)
        villages = home_villages(user)
        if villages and user.has_perm(get_policy(self.model).permission(self.model, "view")):
            field = get_policy(self.model).region_field
            near = Q(**{f"{field}__in": villages})
            functional = self.functional_q(user, "view")
            near = near & functional if functional is not None else near
            q = near if q is None else q | near
        return self.none() if q is None else self.filter(q)

    def functional_q(self, user: User, action: str) -> Q | None:
        """A finer functional filter (e.g. the case kinds a role covers). None: no extra filter."""
        return None

    # Set-based writes move the cached figures' generations (core.scopecache), as saves do.
    def update(self, **kwargs):
        n = super().update(**kwargs)
        if n:
            _bulk_write(self.model)
        return n

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        out = super().bulk_create(objs, *args, **kwargs)
        if out:
            _bulk_write(self.model)
        return out

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        n = super().bulk_update(objs, fields, *args, **kwargs)
        if n:
            _bulk_write(self.model)
        return n

    bulk_update.alters_data = True

    def delete(self):
        out = super().delete()
        _bulk_write(self.model)
        return out

    delete.alters_data = True
    delete.queryset_only = True


VILLAGE_DIGITS = 12  # a village's code; a grid's is its village's and a suffix


def home_villages(user: User | Any) -> tuple[str, ...]:
    """The villages holding the grids a user's jurisdiction is made of (a grid worker's): a prefix
    longer than a village's code is a grid's, and its first twelve digits are its village's."""
    scope = getattr(user, "scope", None)
    if scope is None or getattr(user, "is_system", False):
        return ()
    return tuple(sorted({p[:VILLAGE_DIGITS] for p in scope.prefixes if len(p) > VILLAGE_DIGITS}))


REGION_PREFIX_LOOKUP = "region__code__startswith"  # how the condition tests a region prefix


def region_prefix(child) -> str | None:
    """The prefix a leaf of a visibility condition tests a region against (``…region__code__startswith``),
    or None for any other leaf or a nested condition."""
    if hasattr(child, "children") or not child[0].endswith(REGION_PREFIX_LOOKUP) or not isinstance(child[1], str):
        return None
    return child[1]


def _township_parts(node: Q) -> Q:
    """``node`` with each township's prefix (``…region__code__startswith``, nine digits) tested as
    ``…region__code__township``: the same rows, which a part read alone for a page
    (``core.branchpage``) then finds newest first in ``case_township_opened`` instead of reading the
    township's every case from the prefix's range to sort them. Only the parts are written so; the
    condition the query filters on keeps the prefix (the planner's row estimates, which the ledgers'
    and lists' totals and plans read, are those of the prefix)."""
    from .models.regions import TOWNSHIP_DIGITS

    def township(leaf):
        if len(region_prefix(leaf) or "") == TOWNSHIP_DIGITS:
            return leaf[0].removesuffix("startswith") + "township", leaf[1]
        return leaf

    return map_leaves(node, township)


def _bulk_write(model) -> None:
    from .scopecache import bulk_write

    bulk_write(model)
