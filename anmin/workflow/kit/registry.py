"""The registry kit: a thing of a kind at a place with a status that changes, written once.

A registry (cameras, patrol teams, schools, dangerous waters, designations …) is a model on
``RegistryModel`` plus one ``Registry`` declaration; the kit gives it

* audited, guarded actions (``@action``): create, update (version check), set status, retire, and a
  bulk import (one audit entry per batch) that the Excel ledger and the demo builder use;
* pages (``kit.registry_views``): ledger with filters, Excel export and import, detail with the status
  history, create / edit / status / retire forms — ``Registry.urls()``;
* an API viewset (``kit.registry_api``): list, detail, create, PATCH with ``version``, ``status/``,
  ``retire/`` — ``Registry.register_api()``;
* an Excel ledger (``Registry.ledger_class``) on ``anmin.core.ledgers`` with place columns
  (乡镇(街道) / 村(社区) / 网格) and a 状态 column added to the declared ones — no parsing code per registry;
* the status history, read from the audit log (``history(obj)``).

Coverage rules ("every village has ≥ 1 team of ≥ 10 members") are data: ``kit.coverage``.

    class Camera(RegistryModel):
        class Status(models.TextChoices): ONLINE = "online", _("在线"); OFFLINE = "offline", _("离线")
        name = models.CharField(_("点位名称"), max_length=128)
        status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ONLINE)
        objects = RegistryQuerySet.as_manager()
        scope = ScopePolicy()

    CAMERAS = Registry(model=Camera, app="prevention", slug="camera", fields=("name", ...),
                       columns=(ledgers.Column("点位名称", "name", ledgers.text(max_length=128), required=True),),
                       natural_key=("name",))
    # actions.py
    create_camera, update_camera, set_camera_status, retire_camera, import_cameras = CAMERAS.actions()

See docs/adding-a-registry.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from anmin.core import clock, ledgers
from anmin.core.errors import Invalid, invalid
from anmin.core.models import Region
from anmin.core.scoping import ScopedQuerySet

# -- the model ------------------------------------------------------------------------------------


class RegistryStatus(models.TextChoices):
    """The default statuses; a registry with its own overrides ``status`` with its own choices."""

    NORMAL = "normal", _("正常")
    SUSPENDED = "suspended", _("暂停")


class RegistryQuerySet(ScopedQuerySet):
    def active(self) -> RegistryQuerySet:
        """Still on the register (not retired)."""
        return self.filter(is_active=True)

    def inside(self, code: str) -> RegistryQuerySet:
        """Placed inside a region (its code prefix)."""
        from anmin.core.models.regions import level_of, prefix_for

        return self.filter(region__code__startswith=prefix_for(code, level_of(code))) if code else self

    def in_status(self, *statuses: str) -> RegistryQuerySet:
        return self.filter(status__in=statuses)


class RegistryModel(models.Model):
    """A thing of a kind at a place, with a status that changes (abstract base of every registry)."""

    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=RegistryStatus.choices,
                              default=RegistryStatus.NORMAL, db_index=True)
    status_since = models.DateTimeField(_("状态起始时间"), null=True, blank=True)
    status_note = models.CharField(_("状态说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True, db_index=True)
    retired_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    retire_reason = models.CharField(_("注销原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=clock.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["region_id", "pk"]

    def status_label(self) -> str:
        return str(self.get_status_display())

    @property
    def place_name(self) -> str:
        """村(社区) / 网格 under its township, for pages and exports."""
        names, node = [], self.region
        while node is not None and node.level >= 2:
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))


KIT_FIELDS = ("region", "status", "status_since", "status_note", "is_active", "retired_at", "retire_reason",
              "created_at", "version")


# -- the declaration ------------------------------------------------------------------------------


@dataclass
class Registry:
    """What a registry declares; everything else comes from the kit (see the module docstring).

    ``fields``: the model's own editable fields (forms, API, default table); ``columns``: the Excel
    ledger's columns for them (``anmin.core.ledgers.Column``; the place and status columns are added);
    ``natural_key``: fields that, with the region, identify a record (a repeat is refused; an exported
    row is recognised as existing); ``min_level``: the finest-to-coarsest place a record may sit at
    (2 township, 3 village, 4 grid); ``search``: the field the ledger's search box looks in;
    ``place_from``: a column naming a record that stands somewhere (a guard post's 学校): a ledger row
    with no 村(社区) or 网格 is placed where that record is (its 乡镇, when given, must agree), so the
    file needs neither a 乡镇(街道) nor a 村(社区) column.
    """

    model: type[RegistryModel]
    app: str
    slug: str
    fields: tuple[str, ...]
    columns: tuple[ledgers.Column, ...] = ()
    natural_key: tuple[str, ...] = ("name",)
    title: str = ""
    search: str = "name"
    filter_fields: tuple[str, ...] = ()
    list_fields: tuple[str, ...] | None = None
    min_level: int = 3
    place_from: str = ""
    api_prefix: str = ""
    on_status: Callable[..., Any] | None = None  # called (actor=, obj=, before=) after a status change
    ledger_mixin: type | None = None  # methods the ledger's columns name (``"parse_team"``), ``prepare``
    status_case: Any = None  # a ``kit.registry_cases.StatusCase`` (a status that opens a case), set by it
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.title = self.title or str(self.model._meta.verbose_name)
        self.api_prefix = self.api_prefix or f"{self.slug}s"
        self._actions: dict[str, Callable[..., Any]] | None = None
        # Built now, so it is in the ledger registry in every process (a background import runs in the
        # worker, which finds the ledger by key; ``anmin ledger`` lists and reaches it).
        self._ledger: type[ledgers.Ledger] | None = make_ledger(self)

    # names ---------------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def display_title(self):
        """The title in the reader's language (pages); ``title`` stays the Chinese one the ledger's file
        names, notes and messages carry (translated where the catalogue has it: a model's name has)."""
        from django.utils.translation import gettext_lazy

        return gettext_lazy(self.title)  # the declared title as a catalogue msgid

    def perm(self, verb: str) -> str:
        return f"{self.model._meta.app_label}.{verb}_{self.model._meta.model_name}"

    def url_name(self, page: str) -> str:
        return f"{self.app}:{self.slug}_{page}"

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return list(self.model._meta.get_field("status").choices or [])

    @property
    def default_status(self) -> str:
        return self.model._meta.get_field("status").get_default()

    # actions --------------------------------------------------------------------------------------
    def actions(self) -> tuple[Callable[..., Any], ...]:
        """(create, update, set_status, retire, import) — guarded with ``@action``, named after the
        registry (``create_camera`` …) in the app's ``actions`` module so the guard walk finds them."""
        if self._actions is None:
            from .registry_actions import build_actions

            self._actions = build_actions(self)
        a = self._actions
        return a["create"], a["update"], a["set_status"], a["retire"], a["import"]

    def action(self, name: str) -> Callable[..., Any]:
        self.actions()
        assert self._actions is not None
        return self._actions[name]

    # ledger ---------------------------------------------------------------------------------------
    @property
    def ledger_class(self) -> type[ledgers.Ledger]:
        if self._ledger is None:
            self._ledger = make_ledger(self)
        return self._ledger

    # pages and API ----------------------------------------------------------------------------------
    def urls(self, **views) -> list:
        """URL patterns: ``<slug>s/`` ledger, ``new/``, ``<pk>/``, ``edit/``, ``status/``, ``retire/``.
        Pass a view class by page name (``list=``, ``detail=`` …) to replace one."""
        from .registry_views import registry_urls

        return registry_urls(self, **views)

    def viewset(self, **attrs):
        from .registry_api import registry_viewset

        return registry_viewset(self, **attrs)

    def register_api(self, **attrs) -> None:
        from anmin.core.registry import ApiRoute, api_routes

        api_routes.register(self.api_prefix, ApiRoute(self.api_prefix, self.viewset(**attrs),
                                                      f"{self.app}-{self.slug}"))

    # writes helpers used by the actions -----------------------------------------------------------
    def clean_values(self, values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
        unknown = set(values) - set(self.fields)
        if unknown:
            raise TypeError(f"{self.slug}: unknown fields {sorted(unknown)}")
        out = {}
        for name, value in values.items():
            if isinstance(value, str):
                value = value.strip()
            out[name] = value
        return out

    def check_place(self, region: Region | str, *, field_name: str = "region") -> Region:
        """The region a record sits at: it exists and is at least as fine as ``min_level``."""
        region = region if isinstance(region, Region) else Region.objects.filter(pk=region).first()
        if region is None:
            raise invalid(field_name, "「所在区划」不存在")
        if region.level < max(self.min_level, 2):
            raise invalid(field_name, f"「所在区划」须细到{LEVEL_NAMES[max(self.min_level, 2)]}")
        return region

    def natural_q(self, region_id: str, values: dict[str, Any]) -> models.Q:
        return models.Q(region_id=region_id, **{k: values.get(k) for k in self.natural_key})

    def check_unique(self, obj: RegistryModel) -> None:
        if not self.natural_key:
            return
        qs = self.model.objects.filter(
            region_id=obj.region_id, is_active=True, **{k: getattr(obj, k) for k in self.natural_key})
        if obj.pk:
            qs = qs.exclude(pk=obj.pk)
        if qs.exists():
            key = self.natural_key[0]
            raise invalid(key, f"「{self.model._meta.get_field(key).verbose_name}」{getattr(obj, key)} "
                               f"在该区划已登记")

    def full_clean(self, obj: RegistryModel) -> None:
        try:
            obj.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise Invalid(errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from None


LEVEL_NAMES = {1: "市", 2: "乡镇(街道)", 3: "村(社区)", 4: "网格"}


# -- status history ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusEntry:
    at: dt.datetime
    status: str
    label: str
    note: str
    actor: str


def history(registry: Registry, obj: RegistryModel) -> list[StatusEntry]:
    """Every status the record has had, oldest first: from its audit entries (create, status)."""
    from anmin.core.models import AuditEntry

    labels = dict(registry.statuses)
    out: list[StatusEntry] = []
    entries = AuditEntry.objects.filter(object_type=registry.label, object_id=str(obj.pk),
                                        action__in=("create", "status", "retire")
                                        ).select_related("actor").order_by("seq")
    for e in entries:
        after = e.after or {}
        # The person by name, as a case's timeline shows them (not the login name), and the moment on
        # the business clock the record itself keeps (its status_since, retired_at): the audit entry's
        # own time is the real clock's, years apart from the record's in a world dated in the past.
        who = str(e.actor) if e.actor_id and e.actor is not None else e.actor_username
        if e.action == "retire":
            out.append(StatusEntry(obj.retired_at or e.at, "retired", str(_("注销")), e.reason, who))
            continue
        status = after.get("status")
        if status:
            at = parse_datetime(str(after.get("status_since") or "")) or e.at
            out.append(StatusEntry(at, status, str(labels.get(status, status)), after.get("status_note") or e.reason,
                                   who))
    if not out:  # registered in a bulk import (one audit entry per batch)
        out.append(StatusEntry(obj.status_since or obj.created_at, obj.status, obj.status_label(), obj.status_note,
                               ""))
    return out


# -- the Excel ledger -------------------------------------------------------------------------------


def _place(level: int):
    def get(obj):
        node = obj.region
        while node is not None and node.level > level:
            node = node.parent
        return node.name if node is not None and node.level == level else ""

    return get


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a column of no field of the model's own (parsed by the mixin)
        return None


def make_ledger(registry: Registry) -> type[ledgers.Ledger]:
    """The registry's Excel ledger: 乡镇(街道), 村(社区), 网格, the declared columns, 状态."""
    status_choices = registry.statuses
    ledger_columns = (
        ledgers.Column("乡镇(街道)", "township", ledgers.text(), required=not registry.place_from, export=_place(2)),
        ledgers.Column("村(社区)", "village", ledgers.text(), export=_place(3),
                       required=registry.min_level >= 3 and not registry.place_from),
        ledgers.Column("网格", "grid", ledgers.text(), export=_place(4)),
        *registry.columns,
        ledgers.Column("状态", "status", ledgers.choice(status_choices), default=registry.default_status),
    )

    bases = (registry.ledger_mixin, ledgers.Ledger) if registry.ledger_mixin else (ledgers.Ledger,)
    protected = [c.field for c in registry.columns
                 if getattr(_model_field(registry.model, c.field), "kind_name", None) in ("phone", "id_number")]

    class RegistryLedger(*bases):  # type: ignore[misc]
        key = f"{registry.app}.{registry.slug}"
        columns = ledger_columns  # in the class body: ``Ledger.__init_subclass__`` registers the ledger
        title = f"{registry.title}台账"
        model = registry.model
        unique = (("township", "village", "grid", *registry.natural_key),) if registry.natural_key else ()

        def prepare(self) -> None:
            from anmin.core.regions_io import PlaceResolver

            self.places = PlaceResolver()
            self.prefixes = self.user.scope.prefixes if self.user is not None and not getattr(
                self.user, "is_system", False) else ("",)
            super().prepare()

        def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
            township, village, grid = (values.get(k) or "" for k in ("township", "village", "grid"))
            if registry.place_from and not (village or grid):
                if not self._place_from(values, township):
                    return  # the record the row names failed: its own error says so
                township = village = grid = ""
            try:
                if "region" in values:
                    code = values["region"]
                elif village or grid:
                    code = self.places.resolve(township=township, village=village, grid=grid)
                else:
                    code = self.places.township_by_name.get(township) or (
                        township if township in self.places.township_names else None)
                    if code is None:
                        raise ValidationError({"township": f"乡镇(街道)：“{township}”不是本市的乡镇(街道)"})
            except ValidationError as exc:
                raise ValidationError({k: v[0] for k, v in exc.message_dict.items()}) from None
            where = "grid" if grid else "village" if village else "township"
            if not any(code.startswith(p) for p in self.prefixes):
                raise ValidationError({where: f"{self.header_of(where)}：不在您的辖区内"})
            from anmin.core.models.regions import level_of

            if level_of(code) < registry.min_level:
                need = LEVEL_NAMES[registry.min_level]
                raise ValidationError({"village": f"村(社区)：{registry.title}须登记到{need}"})
            values["region"] = code
            # A masked number (an export's 138****5678, parsed by ``ledgers.phone_or_mask``) is a marker,
            # not a number: kept apart, fine on a record already registered, refused on a new one.
            ledgers.set_aside_masks(values, protected)
            self._check_fields(values)
            super().check_row(values, row)  # the registry's ``ledger_mixin``'s own rules, if it has any

        def _place_from(self, values: dict[str, Any], township: str) -> bool:
            """The row's place from the record its ``place_from`` column names (``values["region"]``);
            False when that cell is empty or failed."""
            from anmin.core.models.regions import TOWNSHIP_DIGITS

            parent = values.get(registry.place_from)
            code = getattr(parent, "region_id", None)
            if not code:
                return False
            own = self.places.township_by_name.get(township) or (
                township if township in self.places.township_names else None)
            if township and (own is None or own[:TOWNSHIP_DIGITS] != code[:TOWNSHIP_DIGITS]):
                header = self.header_of(registry.place_from)
                raise ValidationError({"township": f"乡镇(街道)：“{township}”不是{header}“{parent}”所在的乡镇(街道)"})
            values["region"] = code
            return True

        def _check_fields(self, values: dict[str, Any]) -> None:
            """The record's own field checks, which the import's action makes (``Registry.full_clean``),
            made in the dry run too: a row the dry run passes is not refused when the import is
            confirmed (a dangerous water's responsible person's phone was)."""
            concrete = {f.name for f in registry.model._meta.concrete_fields}
            given = {k: v for k, v in values.items() if k in concrete and k in registry.fields and v is not None}
            try:
                registry.model(**given).full_clean(
                    exclude=[n for n in concrete if n not in given], validate_unique=False,
                    validate_constraints=False)
            except ValidationError as exc:
                raise ValidationError({k if k in given else next(iter(given), "township"): v[0]
                                       for k, v in exc.message_dict.items()}) from None

        def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
            if registry.natural_key:
                regions = {r.values["region"] for r in rows if r.ok and "region" in r.values}
                seen = set(
                    registry.model.objects.filter(region_id__in=regions, is_active=True)
                    .values_list("region_id", *registry.natural_key)
                )
                for r in rows:
                    key = (r.values.get("region"), *(getattr(r.values.get(k), "pk", r.values.get(k))
                                                     for k in registry.natural_key))
                    if r.ok and key in seen:
                        r.existing = True
            for r in rows:  # a new record needs the full number, not an export's masked one
                for f in protected:
                    if r.ok and not r.existing and r.values.get(f"masked_{f}"):
                        yield self.row_error(r.row, f, "是脱敏值，新增记录须填写完整号码", r.raw.get(f, ""))

        def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
            own = set(registry.fields)
            records = [{"region": r.values["region"], "status": r.values.get("status") or registry.default_status,
                        **{k: v for k, v in r.values.items() if k in own and v is not None}} for r in rows]
            return len(registry.action("import")(actor=self.user, records=records, note=f"台账导入：{self.title}"))

    RegistryLedger.__name__ = RegistryLedger.__qualname__ = f"{registry.model.__name__}Ledger"
    return RegistryLedger
