"""A registry status that opens a case on the engine, and the case that sets the status back.

A camera reported faulty is a thing to repair within a time limit: the registry (``kit.registry``)
keeps the camera, the case engine keeps the repair. ``StatusCase`` joins the two, once for every
registry that needs it:

* when a record's status becomes one of ``opens_on`` (``fault``) and it has no open case of the
  kind, a case is opened at the record's place (title from ``title``, the status note as its
  description) with a detail row linking it to the record — inside the status change's transaction;
* while the case is in a state named in ``while_open`` (``{"repairing": "repairing"}``) the record
  shows the matching status;
* when the case reaches a done state named in ``restores`` (``{"repaired": "online"}``) the record's
  status is set back (by ``SYSTEM``, audited, on the record's status history, the case number in
  the note).

::

    CAMERA_REPAIRS = StatusCase(
        registry=CAMERAS, detail_model="prevention.CameraRepair", record_field="camera",
        kind=CaseKind(code="WX", key="camera_repair", ...), opens_on=("fault",),
        while_open={"repairing": "repairing"}, restores={"repaired": "online", "no_fault": "online"},
        title=lambda camera: f"{camera.name} 故障报修")
    CAMERA_REPAIR = CAMERA_REPAIRS.kind          # the kind to register (its on_transition is the hook)

The detail model is a ``CaseDetail`` with a foreign key to the registry model (``record_field``).
Register the kind in ``ready()`` with ``CAMERA_REPAIRS.register()`` (it also sets the registry's
``on_status``); the registry's detail page then lists the record's cases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.apps import apps

from anmin.core.actors import SYSTEM

from ..registry import CaseKind, register_kind

if TYPE_CHECKING:
    from .registry import Registry, RegistryModel


@dataclass
class StatusCase:
    registry: Registry
    kind: CaseKind
    detail_model: str  # "app_label.ModelName", a CaseDetail with a foreign key to the record
    record_field: str
    opens_on: tuple[str, ...]
    restores: Mapping[str, str]  # done case state -> the record's status when the case ends there
    title: Callable[[Any], str]
    while_open: Mapping[str, str] = field(default_factory=dict)  # case state -> the record's status
    priority: str = "normal"
    source: str = ""

    def __post_init__(self) -> None:
        states = {s.code for s in self.kind.workflow.states}
        unknown = (set(self.restores) | set(self.while_open)) - states
        if unknown:
            raise ValueError(f"{self.kind.code}: unknown case states {sorted(unknown)}")
        record_statuses = set(dict(self.registry.statuses))
        bad = ({*self.opens_on, *self.restores.values(), *self.while_open.values()}) - record_statuses
        if bad:
            raise ValueError(f"{self.registry.slug}: unknown statuses {sorted(bad)}")
        self.kind = replace(self.kind, on_transition=self.on_transition)

    @property
    def model(self):
        return apps.get_model(self.detail_model)

    def register(self) -> CaseKind:
        """Register the kind and hook the registry's status changes (call in ``ready()``)."""
        self.registry.on_status = self.on_status
        self.registry.status_case = self
        return register_kind(self.kind)

    # -- reading ----------------------------------------------------------------------------------
    def open_for(self, record: RegistryModel):
        """The record's open case detail, or None."""
        done = [s.code for s in self.kind.workflow.states if s.done]
        return (self.model.objects.filter(**{self.record_field: record}).exclude(case__status__in=done)
                .select_related("case").first())

    def cases_for(self, record: RegistryModel, user=None):
        """The record's cases the user sees, newest first (the registry's detail page)."""
        qs = self.model.objects.visible_to(user) if user is not None else self.model.objects.all()
        return qs.filter(**{self.record_field: record}).select_related("case").order_by("-case__opened_at")

    # -- the hooks --------------------------------------------------------------------------------
    def on_status(self, *, actor, obj: RegistryModel, before: str) -> None:
        """Inside the status change: a status in ``opens_on`` opens a case unless one is open."""
        if obj.status not in self.opens_on or self.open_for(obj) is not None:
            return
        from anmin.core import audit
        from anmin.workflow.actions import open_case

        case = open_case(kind=self.kind, title=self.title(obj)[:200], region=obj.region_id, reporter=actor,
                         priority=self.priority, source=self.source, description=obj.status_note)
        detail = self.model.objects.create(case=case, **{self.record_field: obj})
        audit.record(actor=actor, action="create", obj=detail, after={"number": case.number, "record": obj.pk})

    def on_transition(self, *, case, event, transition, actor, data) -> None:
        """Inside the case's step: the record follows the case (``while_open``, ``restores``)."""
        status = self.restores.get(case.status) or self.while_open.get(case.status)
        if status is None:
            return
        detail = self.model.objects.filter(case=case).first()
        if detail is None:
            return
        record = self.registry.model.objects.get(pk=getattr(detail, f"{self.record_field}_id"))
        if not record.is_active or record.status == status:
            return
        self.registry.action("set_status")(
            actor=SYSTEM, record=record, expected_version=record.version, status=status,
            note=f"{case.number} {transition.label}")
