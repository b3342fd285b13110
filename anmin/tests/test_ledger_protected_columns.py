"""Every Excel ledger column that stores a protected phone or ID number parses it as one, in the dry
run: what Excel does to such a cell (a number in scientific notation, a phone cut short) is refused
there, naming the row and the column, not when the import is confirmed (the dangerous-waters ledger's
dry run passed a responsible person's phone of ``4.11081E+17``, and the import then refused the file)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from anmin.core.ledgers import all_ledgers

pytestmark = pytest.mark.django_db  # the business clock: an ID number's birth date is checked against it


def _protected_columns():
    for key, ledger in sorted(all_ledgers().items()):
        model = getattr(ledger, "model", None)
        if model is None:
            continue
        own = {f.name: getattr(f, "kind_name", None) for f in model._meta.get_fields()}
        for col in ledger.columns:
            # The record's own protected field; for a column of no field of its own (a party's), the header.
            by_header = "id_number" if "身份证" in col.header else "phone" if "电话" in col.header else None
            kind = own.get(col.field, by_header)
            if kind in ("phone", "id_number"):
                yield pytest.param(ledger, col, kind, id=f"{key}:{col.field}")


@pytest.mark.parametrize(("ledger", "column", "kind"), list(_protected_columns()))
def test_a_protected_number_column_refuses_what_excel_mangles(ledger, column, kind):
    parse = ledger()._parser(column)
    with pytest.raises(ValidationError):
        parse(4.11081e17 if kind == "id_number" else "4.11081E+17")


def test_some_ledger_has_a_protected_number_column():
    assert apps.is_installed("anmin.hazards")
    found = {p.id for p in _protected_columns()}
    assert {"hazards.water:responsible_phone", "disputes.ledger:applicant_phone", "grid.events:resident_phone"} <= found
