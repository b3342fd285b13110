"""Excel import for the smaller records kept against a registry (an inspection of a water, an
incident near a school, a 五个100% check): a ledger (``anmin.core.ledgers``) made from a declaration,
so a domain writes no parsing code. The record ledger page (``record_ledger(..., ledger=...)``) then
offers the import::

    InspectionImport = record_import(
        WaterInspection, key="hazards.water_inspection", title="水域巡查记录台账",
        refs={"water": ("危险水域名称", Water)},
        columns=(ledgers.Column("巡查日期", "inspected_on", ledgers.date(), required=True), ...),
        save=actions.import_inspections)

``refs``: the record's parent, named in a column by its ``name`` and looked up among the parents the
user may see (``visible_to``); the record's region is the parent's, and must be inside the user's
jurisdiction. A third item names the column's other headers (``("危险水域名称", Water, ("水域名称",))``).
``place=True`` (a record with no parent to place it, or an optional one): 乡镇(街道) and 村(社区) columns,
resolved by official, short or former name, inside the user's jurisdiction — the village when given,
else the township; both left empty (what the export writes for a record of the city itself, a
city-wide campaign) place the row at the city, for a user whose unit is the city's. ``save`` is the
app's bulk action (``actions.py``: permission, jurisdiction, one audit entry); a row's errors name
its row and column. ``check``: the action's own check of one record (``actions.check_safety``), run
on every row before anything is written, so a row it refuses is reported with its row and column
instead of undoing the whole import. ``natural_key``: the fields that identify a record
(``("school", "term")``; ``region_id`` for the place a ``place=True`` row resolves to): a row naming
one already kept counts as 已存在 and is skipped, and a second row of one file naming the same record
is reported. An empty cell and a blank
text kept are the same value here, so a record's own export is 已存在 on every row. ``update``: the
app's ``record_update`` action (``kit.record_edit``) — a row naming a record already kept whose cells
say something new in the fields that action changes (a suspect's 诉讼状态 moved on; an empty cell says
nothing) is shown before the import as 将更新 with what changes, and the import brings the record up to
date through the action (version-checked, audited); for a user without the change permission it stays
已存在.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from anmin.core import audit, ledgers
from anmin.core.errors import invalid
from anmin.core.guards import in_area


def record_import(model, *, key: str, title: str, columns: Sequence[ledgers.Column],
                  save: Callable[..., int], refs: dict[str, tuple[Any, ...]] | None = None,
                  natural_key: tuple[str, ...] = (), check: Callable[[Any], None] | None = None,
                  place: bool = False, update: Callable[..., Any] | None = None) -> type[ledgers.Ledger]:
    updatable = tuple(getattr(update, "updatable", ()))
    ref_aliases = {f: tuple(spec[2]) if len(spec) > 2 else () for f, spec in (refs or {}).items()}
    refs = {f: (spec[0], spec[1]) for f, spec in (refs or {}).items()}
    ref_columns = tuple(
        ledgers.Column(header, field, ledgers.text(max_length=200), required=not model._meta.get_field(field).null,
                       export=lambda o, f=field: str(getattr(o, f) or ""), width=24, aliases=ref_aliases[field])
        for field, (header, _m) in refs.items())
    own = {c.field for c in columns}
    if place:
        from .registry import _place

        ref_columns = (
            ledgers.Column("乡镇(街道)", "township", ledgers.text(), export=_place(2),
                           help="市级的记录留空（乡镇、村都不填）"),
            ledgers.Column("村(社区)", "village", ledgers.text(), export=_place(3)),
            *ref_columns)

    def build(values: dict[str, Any]):
        return model(**{k: v for k, v in values.items() if (k in own or k in refs or k == "region_id")
                        and v is not None})

    class RecordLedger(ledgers.Ledger):
        def prepare(self) -> None:
            if place:
                from anmin.core.regions_io import PlaceResolver

                self.places = PlaceResolver()
            self.parents: dict[str, dict[str, list[Any]]] = {}
            for field, (_h, parent) in refs.items():
                by_name: dict[str, list[Any]] = defaultdict(list)
                qs = parent.objects.visible_to(self.user) if self.user is not None else parent.objects.all()
                for obj in qs.only("pk", "name", "region_id"):
                    by_name[ledgers.name_key(obj.name)].append(obj)
                self.parents[field] = by_name

        def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
            if place:
                self.place_row(values)
            for field, (header, parent) in refs.items():
                name = values.get(field)
                if not name:
                    continue
                found = self.parents[field].get(ledgers.name_key(name), [])
                label = parent._meta.verbose_name
                if not found:
                    raise ValidationError({field: f"{header}：“{name}”不是您辖区内登记的{label}"})
                if len(found) > 1:
                    raise ValidationError(
                        {field: f"{header}：有{len(found)}个名为“{name}”的{label}，请在{label}台账中改用唯一名称"})
                values[field] = found[0]
                region = found[0].region_id
                if self.user is not None and not in_area(self.user, region):
                    raise ValidationError({field: f"{header}：“{name}”不在您的辖区内"})
                values.setdefault("region_id", region)
            if check is not None and not row.errors:
                try:
                    check(build(values))
                except ValidationError as exc:
                    first = (*refs, *(c.field for c in columns))[0]
                    known = {first, *refs, *own}
                    raise ValidationError({k if k in known else first: v[0]
                                           for k, v in exc.message_dict.items()}) from None

        def place_row(self, values: dict[str, Any]) -> None:
            township, village = values.get("township") or "", values.get("village") or ""
            if not township:
                if "township" in values and not village:  # the cell is empty (not a bad one)
                    if not any(values.get(f) for f in refs):  # else the parent named places the row
                        values["region_id"] = self.city_row()
                    return
                if village:
                    raise ValidationError({"township": "乡镇(街道)：必填（村(社区)须写明所在乡镇）"})
                return
            if village:
                try:
                    code = self.places.resolve(township=township, village=village)
                except ValidationError as exc:
                    raise ValidationError({k: v[0] for k, v in exc.message_dict.items()}) from None
            else:
                code = self.places.township_by_name.get(township) or (
                    township if township in self.places.township_names else None)
                if code is None:
                    raise ValidationError({"township": f"乡镇(街道)：“{township}”不是本市的乡镇(街道)"})
            if self.user is not None and not in_area(self.user, code):
                where = "village" if village else "township"
                raise ValidationError({where: f"{self.header_of(where)}：不在您的辖区内"})
            values["region_id"] = code

        def city_row(self) -> str:
            """A row with neither 乡镇 nor 村: the city's own record, for a user of a city-level unit."""
            from anmin.core.models.regions import RegionLevel

            org = self.user.org_unit_with_region if self.user is not None else None
            if org is None or org.region.level != RegionLevel.CITY or not in_area(self.user, org.region_id):
                raise ValidationError({"township": "乡镇(街道)：必填"})
            return org.region_id

        def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
            if not natural_key:
                return ()

            def key(values):
                # an empty cell (None) is the blank text the record keeps
                return tuple("" if v is None else getattr(v, "pk", v) for v in (values.get(k) for k in natural_key))

            keys = [key(r.values) for r in rows if r.ok]
            first = natural_key[0]
            moving = updatable if update is not None and self.user is not None \
                and self.user.has_perm(update.spec.perm) else ()
            known = {tuple("" if v is None else v for v in k[:len(natural_key)]): k[len(natural_key):]
                     for k in model.objects.filter(**{f"{first}__in": {k[0] for k in keys}})
                     .values_list(*natural_key, "pk", *(("version", *moving) if moving else ()))} if keys else {}
            # only a record the user may change is brought up to date (another area's stays 已存在,
            # instead of the action's guard undoing the whole import)
            mine = set(model.objects.visible_to(self.user, "change").filter(pk__in=[k[0] for k in known.values()])
                       .values_list("pk", flat=True)) if moving and known else set()
            for r in rows:
                kept = known.get(key(r.values)) if r.ok else None
                if kept is not None:
                    r.existing = True
                    if kept[0] in mine:
                        self.note_changes(r, kept)
            return ()

        def note_changes(self, r: ledgers.LedgerRow, kept: tuple) -> None:
            """What a row says anew about the record it is (a cell left empty says nothing)."""
            pk, version, *old = kept
            notes = []
            for name, before in zip(updatable, old, strict=True):
                new = r.values.get(name)
                if new is None or r.raw.get(name) in (None, ""):
                    continue
                if _same(before, new):
                    continue
                r.changes[name] = new
                notes.append(f"{self.header_of(name)}：{_shown(model, name, before)} → {_shown(model, name, new)}")
            if r.changes:
                r.existing_key, r.change_note = (pk, version), "；".join(notes)

        def update_rows(self, rows: Sequence[ledgers.LedgerRow]) -> int:
            for r in rows:
                pk, version = r.existing_key
                update(actor=self.user, record=pk, expected_version=version, note=f"Excel 导入：{self.title}",
                       **r.changes)
            return len(rows)

        def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
            return save([build(r.values) for r in rows], actor=self.user, note=f"Excel 导入：{self.title}")

    attrs = {"key": key, "title": title, "model": model, "columns": (*ref_columns, *columns),
             "unique": (natural_key,) if natural_key else (),
             # what ``kit.record_create`` builds its one-record page from: the same refs, place, checks
             # and bulk action the import uses
             "record_spec": {"refs": refs, "place": place, "save": save, "check": check,
                             "natural_key": natural_key, "fields": tuple(c.field for c in columns)}}
    ledger = type(f"{model.__name__}Ledger", (RecordLedger,), attrs)
    return ledger


def _same(before: Any, new: Any) -> bool:
    if isinstance(before, Decimal) or isinstance(new, Decimal):
        try:
            return Decimal(str(before)) == Decimal(str(new))
        except (ArithmeticError, ValueError):
            return False
    return ("" if before is None else before) == ("" if new is None else new)


def _shown(model, name: str, value: Any) -> str:
    """A value as the person confirming an import reads it: a choice's label, 是/否, a date, — for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = dict(model._meta.get_field(name).flatchoices)
    return str(choices.get(value, value))


def bulk_records(model, rows: Sequence, *, actor, note: str, check: Callable[[Any], None] | None = None,
                 place_label: str = "所在区划") -> list:
    """The body of a domain's bulk import action (what ``record_import``'s ``save`` calls, and a page's
    one record through ``record_create``): each row checked (``check``) and inside the actor's
    jurisdiction, then all written in one transaction with one audit entry. The action that calls it
    carries the ``@action`` guard (its permission)."""
    for row in rows:
        if check is not None:
            check(row)
        if not in_area(actor, row.region_id):
            raise invalid("region", f"「{place_label}」{row.region_id} 不在您的辖区内")
    with transaction.atomic():
        created = model.objects.bulk_create(rows, batch_size=1000)
        audit.record(actor=actor, action="import", object_type=model._meta.label_lower, reason=note,
                     after={"rows": len(rows)})
    return created
