"""Every action checks permission and jurisdiction itself — walked over every registered action.

Each app's ``actions`` module (or package) is imported and:

* every public function there that takes ``actor=`` must be an ``@action`` (declared guards), so a
  write that skips the checks cannot slip in;
* an action with a permission refuses an actor without it (the 审计员, who holds no business
  permission) — nothing is written;
* an action on a record refuses a 古城镇 centre acting on a record in the neighbouring township
  (无梁镇) — it looks absent (404) or forbidden; nothing is written;
* an action that places a new record refuses a place outside the actor's jurisdiction, naming the field;
* ``actor=None`` is a programming error, never a silent bypass.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django.apps import apps

from anmin.core.errors import ActionError, Invalid
from anmin.core.guards import registered_actions
from anmin.core.models import AuditEntry, Role

from .test_authz_matrix import load_samples


def action_modules():
    for cfg in apps.get_app_configs():
        if not cfg.name.startswith("anmin."):
            continue
        extra = (f"{cfg.name}.attachments.actions", f"{cfg.name}.documents.actions") if cfg.label == "core" else ()
        for name in (f"{cfg.name}.actions", *extra):
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            yield module
            if hasattr(module, "__path__"):
                for info in pkgutil.iter_modules(module.__path__):
                    yield importlib.import_module(f"{name}.{info.name}")


def writes_without_guard() -> list[str]:
    out = []
    for module in action_modules():
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            params = inspect.signature(fn).parameters
            if "actor" in params and params["actor"].kind is inspect.Parameter.KEYWORD_ONLY \
                    and not hasattr(fn, "spec"):
                out.append(f"{module.__name__}.{name}")
    return out


def test_every_write_that_takes_an_actor_is_a_guarded_action():
    assert not writes_without_guard(), "decorate with anmin.core.guards.action: " + ", ".join(writes_without_guard())
    assert len(registered_actions) >= 15, "the walk found too few actions: is an app's actions module missing?"


def _refused(fn, **kwargs) -> ActionError:
    before = AuditEntry.objects.count()
    with pytest.raises(ActionError) as err:
        fn(**kwargs)
    assert AuditEntry.objects.count() == before, f"{fn.__qualname__} wrote to the audit log before refusing"
    return err.value


def test_every_action_refuses_an_actor_without_its_permission(world):
    list(action_modules())
    outsider = world.user(Role.AUDITOR)  # no business permission at all
    checked = 0
    for spec in registered_actions.values():
        if not spec.perm:
            continue
        err = _refused(spec.func, actor=outsider)
        assert err.status == 403, f"{spec.key}: {err.kind} instead of forbidden"
        checked += 1
    assert checked >= 8


def test_every_action_on_a_record_refuses_one_outside_the_actors_jurisdiction(world):
    list(action_modules())
    samples = load_samples()
    actor = world.user(Role.TOWNSHIP_CENTER)  # 古城镇
    missing, checked, made = [], 0, {}
    for spec in registered_actions.values():
        if not spec.target:
            continue
        sample = samples.get(spec.model)
        if sample is None:
            missing.append(f"{spec.key} ({spec.model.__name__})")
            continue
        if spec.model not in made:
            made[spec.model] = sample[0](world.wl_grid, world)  # in the neighbouring township
        err = _refused(spec.func, actor=actor, **{spec.target: made[spec.model]})
        assert err.status in (403, 404), f"{spec.key}: {err.kind} for a record in another township"
        checked += 1
    assert not missing, f"add a scope sample for the target model of: {missing}"
    assert checked >= 5


def test_every_action_placing_a_record_refuses_a_place_outside_the_actors_area(world):
    list(action_modules())
    actor = world.user(Role.TOWNSHIP_CENTER)  # 古城镇
    checked = 0
    for spec in registered_actions.values():
        if not spec.region or spec.target:
            continue
        if spec.perm and not actor.has_perm(spec.perm):
            continue  # a township centre may not do it at all: refused by the permission walk
        err = _refused(spec.func, actor=actor, **{spec.region: world.wl_grid})
        assert isinstance(err, Invalid), f"{spec.key}: {err.as_dict()}"
        assert err.field == spec.region, f"{spec.key}: {err.as_dict()}"
        checked += 1
    assert checked >= 2


def test_an_action_without_an_actor_is_a_programming_error():
    list(action_modules())
    for spec in registered_actions.values():
        with pytest.raises(TypeError):
            spec.func(actor=None)
