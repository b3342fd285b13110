"""The hazards registries on the registry kit: dangerous waters (pages, API, Excel ledger, status
history come from the kit)."""

from __future__ import annotations

from anmin.core import ledgers
from anmin.workflow.kit import maps
from anmin.workflow.kit.registry import Registry

from .models import Water, WaterKind

WATERS = Registry(
    model=Water, app="hazards", slug="water",
    fields=("name", "kind", "address", *maps.FIELDS, "warning_signs", "rescue_equipment", "responsible_name",
            "responsible_phone"),
    columns=(
        ledgers.Column("水域名称", "name", ledgers.text(max_length=128), required=True, width=24),
        ledgers.Column("水域类型", "kind", ledgers.choice(WaterKind.choices), required=True),
        ledgers.Column("位置描述", "address", ledgers.text(max_length=200)),
        ledgers.Column("警示牌(块)", "warning_signs", ledgers.integer(min_value=0, max_value=100), default=0),
        ledgers.Column("救生器材", "rescue_equipment", ledgers.text(max_length=200), width=30),
        ledgers.Column("责任人", "responsible_name", ledgers.text(max_length=64)),
        ledgers.Column("责任人电话", "responsible_phone", ledgers.phone_or_mask(label="责任人电话")),
        *maps.COLUMNS,
    ),
    filter_fields=("kind",), list_fields=("name", "kind", "warning_signs", "responsible_name"),
)

ALL = (WATERS,)
