"""Excel ledgers (台账): declare the columns once, then import with a dry run that reports every bad
row, import all or only the valid rows as the user chooses, and export the same columns.

Declaring a ledger (in an app's ``importers.py``)::

    from anmin.core import ledgers

    class ResidentLedger(ledgers.Ledger):
        key = "people.residents"                  # unique; names stored uploads and audit entries
        title = "实有人口台账"
        model = Person                            # what the export lists (and the audit names)
        columns = (
            ledgers.Column("姓名", "name", ledgers.text(max_length=64), required=True),
            ledgers.Column("公民身份号码", "id_number", ledgers.id_number(), required=True),
            ledgers.Column("出生日期", "birth_date", ledgers.date(not_before=dt.date(1900, 1, 1))),
            ledgers.Column("所属村(社区)", "village", "parse_village", required=True),  # a method
        )
        unique = ("id_number",)                   # a repeat within the file is an error on the later row

        def prepare(self): ...                    # once per run: load the lookups parsers use
        def check_row(self, values, row): ...     # cross-field rules: raise ValidationError({field: msg})
        def find_existing(self, rows): ...        # duplicates in the database: yield RowError(...);
                                                  # a row that *is* a registered record: row.existing = True
        def save(self, rows) -> int: ...          # the app's actions write; one call per batch

    ledger = ResidentLedger(user=request.user, request=request)
    report = ledger.dry_run(xlsx_bytes)           # DryRun: every RowError(row, column, field, message);
                                                  # new_count / existing_count / invalid_count
    result = ledger.run_import(report, mode=ledgers.VALID_ONLY)   # or ALL_OR_NOTHING; one transaction
    ledger.export_response(queryset, reveal=False)               # protected values masked unless revealed

Rules the framework keeps: row numbers are the spreadsheet's own (the header row may be anywhere in
the first rows, under a title); a parser returns the value or raises ``ValidationError`` with a
Chinese message (the column header is prefixed when the message does not name it); nothing is
written by a dry run; ``ALL_OR_NOTHING`` imports nothing when any row is bad; both modes write in
one transaction through ``save`` and record one audit entry.

Every data row ends up in exactly one of three groups: **new** (valid, will be created), **existing**
(valid, but ``find_existing`` recognised it as a record already registered — e.g. a row of an earlier
export — so it is skipped, not imported again) and **invalid** (has errors). Only new rows reach
``save``; so exporting a ledger and dry-running the export reports 0 new and 0 errors for a ledger
whose ``find_existing`` marks its own records. A ledger that treats a registered record as an error
(the resident list) yields a ``RowError`` instead, and the row counts as invalid.

Pages: ``LedgerImportMixin`` adds upload → dry-run report → confirm to a view (usually the ledger
page itself, ``?import=1``) with the template ``anmin/import.html``. The uploaded file is kept
server-side, encrypted, between the steps; the confirmation re-reads the same bytes and refuses to
import if the dry run no longer gives the report the user confirmed (the database changed meanwhile).
"""

from .base import (
    ALL_OR_NOTHING,
    HEADER_SEARCH_ROWS,
    MODES,
    VALID_ONLY,
    XLSX_CONTENT_TYPE,
    Column,
    DryRun,
    ImportResult,
    Ledger,
    LedgerImportError,
    LedgerRow,
    RowError,
    normalize_header,
    xlsx_response,
)
from .pages import LedgerImportMixin
from .parsers import boolean, choice, date, decimal, id_number, integer, phone, text
from .uploads import StoredUpload, UploadStore

__all__ = [
    "ALL_OR_NOTHING", "HEADER_SEARCH_ROWS", "MODES", "VALID_ONLY", "XLSX_CONTENT_TYPE", "Column", "DryRun",
    "ImportResult", "Ledger", "LedgerImportError", "LedgerImportMixin", "LedgerRow", "RowError", "StoredUpload",
    "UploadStore", "boolean", "choice", "date", "decimal", "id_number", "integer", "normalize_header", "phone", "text",
    "xlsx_response",
]
