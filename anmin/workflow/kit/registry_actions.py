"""The writes of a registry, made once for every registry (see ``kit.registry``).

Each is an ``@action`` named after the registry in the app's ``actions`` module
(``anmin.prevention.actions.create_camera``), so the guard walk (``test_action_guards``) finds,
refuses and checks it like any hand-written action:

* ``create_<slug>(*, actor, region, status=None, status_note="", **fields)`` — add permission, the
  place inside the actor's area, the natural key not yet registered there; audit ``create``;
* ``update_<slug>(*, actor, record, expected_version, region=None, **fields)`` — change permission,
  a record the actor sees, the version still current (else ``Conflict`` with the newer version);
* ``set_<slug>_status(*, actor, record, expected_version, status, note="", since=None)`` — the status
  and since when (default now); audit ``status`` (the status history reads these);
* ``retire_<slug>(*, actor, record, expected_version, reason)`` — off the register (kept, not deleted);
* ``import_<slug>s(*, actor, records, note="")`` — many at once (ledger import, demo): every place
  checked, one ``bulk_create``, one audit entry for the batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from anmin.core import audit, clock
from anmin.core.errors import Invalid, changed_meanwhile, invalid
from anmin.core.guards import action, in_area, require_area

if TYPE_CHECKING:
    from .registry import Registry, RegistryModel


def _named(fn: Callable[..., Any], registry: Registry, name: str) -> Callable[..., Any]:
    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = f"anmin.{registry.app}.actions"
    return fn


def _locked(registry: Registry, record: Any, expected_version: int | None) -> RegistryModel:
    pk = getattr(record, "pk", record)
    locked = registry.model.objects.select_for_update().get(pk=pk)
    if expected_version is None:
        raise invalid("version", "「版本」为必填项（防止覆盖他人的修改）")
    if locked.version != int(expected_version):
        raise changed_meanwhile(f"该{registry.title}", current={"id": locked.pk, "version": locked.version})
    return locked


def _status(registry: Registry, status: str | None) -> str:
    status = status or registry.default_status
    if status not in dict(registry.statuses):
        raise invalid("status", f"「状态」{status} 无效")
    return status


def build_actions(registry: Registry) -> dict[str, Callable[..., Any]]:
    model, slug, what = registry.model, registry.slug, registry.title

    def create(*, actor, region, status: str | None = None, status_note: str = "", **fields) -> RegistryModel:
        region = registry.check_place(region)
        obj = model(region=region, status=_status(registry, status), status_note=status_note,
                    status_since=clock.now(), **registry.clean_values(fields))
        registry.full_clean(obj)
        with transaction.atomic():
            registry.check_unique(obj)
            obj.save()
            audit.record(actor=actor, action="create", obj=obj, after=audit.snapshot(obj))
        return obj

    def update(*, actor, record, expected_version: int | None = None, region=None, **fields) -> RegistryModel:
        with transaction.atomic():
            locked = _locked(registry, record, expected_version)
            before = audit.snapshot(locked)
            if region is not None:
                require_area(actor, region)
                locked.region = registry.check_place(region)
            for name, value in registry.clean_values(fields, partial=True).items():
                setattr(locked, name, value)
            registry.full_clean(locked)
            registry.check_unique(locked)
            locked.version += 1
            locked.save()
            audit.record(actor=actor, action="update", obj=locked, before=before, after=audit.snapshot(locked))
        return locked

    def set_status(*, actor, record, expected_version: int | None = None, status: str = "", note: str = "",
                   since: dt.datetime | None = None) -> RegistryModel:
        with transaction.atomic():
            locked = _locked(registry, record, expected_version)
            if not locked.is_active:
                raise invalid("status", f"该{what}已注销，不能再变更状态")
            new = _status(registry, status)
            if since is not None and since > clock.now():
                raise invalid("since", "「起始时间」不能晚于现在")
            before = {"status": locked.status, "status_since": str(locked.status_since or ""),
                      "status_note": locked.status_note}
            locked.status, locked.status_note = new, (note or "").strip()[:200]
            locked.status_since = since or clock.now()
            locked.version += 1
            locked.save(update_fields=["status", "status_note", "status_since", "version"])
            after = {"status": new, "status_since": str(locked.status_since), "status_note": locked.status_note}
            audit.record(actor=actor, action="status", obj=locked, before=before, after=after,
                reason=locked.status_note)
            if registry.on_status is not None and before["status"] != new:
                registry.on_status(actor=actor, obj=locked, before=before["status"])
        return locked

    def retire(*, actor, record, expected_version: int | None = None, reason: str = "") -> RegistryModel:
        reason = (reason or "").strip()
        if not reason:
            raise invalid("reason", "「注销原因」为必填项")
        with transaction.atomic():
            locked = _locked(registry, record, expected_version)
            if not locked.is_active:
                raise invalid("reason", f"该{what}已注销")
            locked.is_active, locked.retired_at, locked.retire_reason = False, clock.now(), reason[:200]
            locked.version += 1
            locked.save(update_fields=["is_active", "retired_at", "retire_reason", "version"])
            audit.record(actor=actor, action="retire", obj=locked, after={"is_active": False}, reason=reason[:200])
        return locked

    def import_many(*, actor, records: Sequence[dict[str, Any]], note: str = "") -> list[RegistryModel]:
        from anmin.core.models import Region

        codes = {str(getattr(r["region"], "pk", r["region"])) for r in records}
        regions = Region.objects.in_bulk(list(codes))
        objs, at = [], clock.now()
        for i, r in enumerate(records):
            r = dict(r)
            place = r.pop("region")
            code = str(getattr(place, "pk", place))
            region = regions.get(code)
            if region is None or not in_area(actor, code):
                raise Invalid(f"第 {i + 1} 条：「所在区划」{code} 不存在或不在您的辖区内", field="region")
            obj = model(region=region, status=_status(registry, r.pop("status", None)),
                        status_note=r.pop("status_note", ""), status_since=r.pop("status_since", None) or at,
                        **registry.clean_values(r))
            if len(records) <= 5000:
                registry.full_clean(obj)
            objs.append(obj)
        with transaction.atomic():
            made = model.objects.bulk_create(objs, batch_size=1000)
            audit.record(actor=actor, action="import", object_type=registry.label, object_id="",
                         after={"rows": len(made)}, reason=note or f"批量登记{what}")
        return made

    change = registry.perm("change")
    return {
        "create": action(perm=registry.perm("add"), region="region", what=f"登记{what}")(
            _named(create, registry, f"create_{slug}")),
        "update": action(perm=change, target="record", model=model, target_action="change", what=f"修改{what}")(
            _named(update, registry, f"update_{slug}")),
        "set_status": action(perm=change, target="record", model=model, target_action="change",
                             what=f"变更{what}状态")(_named(set_status, registry, f"set_{slug}_status")),
        "retire": action(perm=change, target="record", model=model, target_action="change", what=f"注销{what}")(
            _named(retire, registry, f"retire_{slug}")),
        "import": action(perm=registry.perm("add"), what=f"批量登记{what}")(
            _named(import_many, registry, f"import_{slug}s")),
    }
