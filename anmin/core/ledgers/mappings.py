"""Remembered column mappings: the mapping a user confirmed for a file layout, per organisation.

The layout is the fingerprint of the file's header labels (``header.Band.layout``); a ledger from the
same office in the same layout next month is mapped the same way without asking. A user without an
organisation keeps none.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .. import audit, clock
from ..guards import action


def _org(user) -> Any:
    return getattr(user, "org_unit_id", None) if user is not None else None


def remembered(ledger, layout: str) -> dict[str, int] | None:
    """field → column index confirmed earlier for ``layout`` by the user's organisation, if any."""
    from ..models import LedgerMapping

    org = _org(ledger.user)
    if org is None or not layout:
        return None
    row = LedgerMapping.objects.filter(org_unit_id=org, ledger=ledger.key, layout=layout).first()
    if row is None:
        return None
    return {f: spec["index"] for f, spec in row.columns.items() if isinstance(spec, dict) and "index" in spec}


@action(open_to="the actor's own organisation's mapping, saved when the actor confirms a mapping for a "
                "ledger import the page or command already allowed them to run", what="记住台账列对应")
def remember_mapping(*, actor, ledger_key: str, layout: str, columns: dict[str, int],
                     labels: list[str]) -> bool:
    """Keep the mapping ``actor`` confirmed for ``layout`` for everyone of their organisation."""
    from ..models import LedgerMapping

    org = _org(actor)
    if org is None or not layout or not columns:
        return False
    data = {f: {"index": int(i), "label": labels[i] if 0 <= i < len(labels) else ""} for f, i in columns.items()}
    with transaction.atomic():
        LedgerMapping.objects.update_or_create(
            org_unit_id=org, ledger=ledger_key[:64], layout=layout[:32],
            defaults={"columns": data, "confirmed_by": actor if getattr(actor, "pk", None) else None,
                      "confirmed_at": clock.now()},
        )
        audit.record(actor=actor, action="update", object_type="core.ledgermapping", region_code="",
                     after={"ledger": ledger_key, "layout": layout,
                            "columns": {f: v["label"] for f, v in data.items()}})
    return True
