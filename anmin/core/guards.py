"""Every action checks permission and jurisdiction itself: the ``@action`` decorator.

    @action(perm="disputes.add_dispute", region="region", what="上报矛盾纠纷")
    def report_dispute(*, actor, region, ...): ...

    @action(target="dispute", model=Dispute, what="登记调解结果")
    def record_outcome(*, actor, dispute, ...): ...

Before the body runs, for any actor but ``SYSTEM``:

1. ``perm`` — the actor holds the permission, else ``Forbidden``;
2. ``target`` — the keyword argument names a record (or its pk) that ``model.objects.visible_to(actor)``
   shows (``usable_by(actor)`` with ``target_action=USE``), else ``NotFound`` (out of scope looks absent);
3. ``region`` — the keyword argument names a place inside the actor's jurisdiction (their grids, their
   unit's area), else ``Invalid`` on that field.

``actor=None`` raises ``TypeError``: the platform acting on its own says ``actor=SYSTEM``. Finer rules
(whose move a step is, a version check) stay in the body. Every decorated function is listed in
``registered_actions``; a test walks them all with actors who must be refused.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .actors import check_actor, is_system
from .errors import Forbidden, Invalid, NotFound


@dataclass(frozen=True)
class ActionSpec:
    key: str  # "anmin.disputes.actions.record_outcome"
    func: Callable[..., Any]  # the guarded function (``func.__wrapped__`` is the body)
    perm: str | None = None
    target: str | None = None
    model: Any = None
    target_action: str = "view"
    region: str | None = None
    region_label: str = "所在区划"
    what: str = ""
    open_to: str = ""  # no guard at all: why (e.g. "the caller's own account")

    @property
    def app(self) -> str:
        parts = self.key.split(".")
        return parts[1] if len(parts) > 2 and parts[0] == "anmin" else parts[0]


registered_actions: dict[str, ActionSpec] = {}

# ``target_action=USE``: the record is one the actor works with rather than changes — one they see, or
# one placed at the village holding their grids (``ScopedQuerySet.usable_by``: a village's patrol team).
USE = "use"


def in_area(actor, code: str) -> bool:
    """Whether a region code lies inside the actor's jurisdiction (their grids, their unit's area)."""
    if is_system(actor):
        return True
    return any(code.startswith(prefix) for prefix in actor.scope.prefixes)


def require_perm(actor, perm: str, what: str = "") -> None:
    if not is_system(actor) and not actor.has_perm(perm):
        raise Forbidden(f"您没有{what or '执行此操作'}的权限")


def require_visible(actor, model, obj, action: str = "view") -> None:
    """The record must be visible to the actor (else ``NotFound``: out of scope looks absent)."""
    if is_system(actor):
        return
    pk = getattr(obj, "pk", obj)
    qs = model.objects.usable_by(actor) if action == USE else model.objects.visible_to(actor, action)
    if pk is None or not qs.filter(pk=pk).exists():
        raise NotFound(f"该{model._meta.verbose_name}不存在或不在您的辖区内")


def require_area(actor, region, *, field: str = "region", label: str = "所在区划") -> None:
    code = str(getattr(region, "code", region) or "").strip()
    if not code or is_system(actor):
        return
    if not in_area(actor, code):
        name = getattr(region, "name", code)
        raise Invalid(f"「{label}」{name} 不在您负责的网格或辖区内", field=field)


def action(*, perm: str | None = None, target: str | None = None, model: Any = None, target_action: str = "view",
           region: str | None = None, region_label: str = "所在区划", what: str = "", open_to: str = ""):
    """Declare a function as an action and guard it (see the module docstring)."""
    if target and model is None:
        raise ValueError("@action(target=...) needs model=")
    if not (perm or target or region or open_to):
        raise ValueError("@action needs perm=, target=, region= or open_to= (say why it is open)")

    def wrap(fn):
        params = inspect.signature(fn).parameters
        if "actor" not in params or params["actor"].kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{fn.__qualname__}: an action takes a keyword-only actor=")
        for name in (target, region):
            if name and name not in params:
                raise TypeError(f"{fn.__qualname__}: @action names {name!r}, which is not a parameter")
        @functools.wraps(fn)
        def guarded(*args, **kwargs):
            actor = check_actor(kwargs.get("actor"))
            if not is_system(actor):
                if perm:
                    require_perm(actor, perm, what)
                if target:
                    require_visible(actor, model, kwargs.get(target), target_action)
                if region and kwargs.get(region) not in (None, ""):
                    require_area(actor, kwargs[region], field=region, label=region_label)
            return fn(*args, **kwargs)

        spec = ActionSpec(key=f"{fn.__module__}.{fn.__qualname__}", func=guarded, perm=perm, target=target,
                          model=model, target_action=target_action, region=region, region_label=region_label,
                          what=what, open_to=open_to)
        guarded.spec = spec  # type: ignore[attr-defined]
        registered_actions[spec.key] = spec
        return guarded

    return wrap
