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
jurisdiction. ``save`` is the app's bulk action (``actions.py``: permission, jurisdiction, one audit
entry); a row's errors name its row and column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from anmin.core import ledgers
from anmin.core.guards import in_area


def record_import(model, *, key: str, title: str, columns: Sequence[ledgers.Column],
                  save: Callable[..., int], refs: dict[str, tuple[str, Any]] | None = None,
                  unique: tuple = ()) -> type[ledgers.Ledger]:
    refs = dict(refs or {})
    ref_columns = tuple(
        ledgers.Column(header, field, ledgers.text(max_length=200), required=not model._meta.get_field(field).null,
                       export=lambda o, f=field: str(getattr(o, f) or ""), width=24)
        for field, (header, _m) in refs.items())
    own = {c.field for c in columns}

    class RecordLedger(ledgers.Ledger):
        def prepare(self) -> None:
            self.parents: dict[str, dict[str, list[Any]]] = {}
            for field, (_h, parent) in refs.items():
                by_name: dict[str, list[Any]] = defaultdict(list)
                qs = parent.objects.visible_to(self.user) if self.user is not None else parent.objects.all()
                for obj in qs.only("pk", "name", "region_id"):
                    by_name[obj.name].append(obj)
                self.parents[field] = by_name

        def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
            for field, (header, parent) in refs.items():
                name = values.get(field)
                if not name:
                    continue
                found = self.parents[field].get(name, [])
                label = parent._meta.verbose_name
                if not found:
                    raise ValidationError({field: f"{header}：“{name}”不是您辖区内登记的{label}"})
                if len(found) > 1:
                    raise ValidationError({field: f"{header}：有{len(found)}个名为“{name}”的{label}，请在{label}台账中改用唯一名称"})
                values[field] = found[0]
                region = found[0].region_id
                if self.user is not None and not in_area(self.user, region):
                    raise ValidationError({field: f"{header}：“{name}”不在您的辖区内"})
                values.setdefault("region_id", region)

        def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
            objs = [model(**{k: v for k, v in r.values.items() if (k in own or k in refs or k == "region_id")
                             and v is not None}) for r in rows]
            return save(objs, actor=self.user, note=f"Excel 导入：{self.title}")

    attrs = {"key": key, "title": title, "model": model, "columns": (*ref_columns, *columns), "unique": unique}
    ledger = type(f"{model.__name__}Ledger", (RecordLedger,), attrs)
    return ledger
