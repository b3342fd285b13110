"""Excel ledgers (台账): declare the columns once, then import the files offices really keep — any
layout, .xlsx / .xls / CSV — with a dry run that reports every check on every row, a mapping step
when a column is not recognised (remembered per organisation and layout), import of all or only the
valid rows, and safe, streamed exports and templates in the same columns.

The ledger definition API (``Ledger``, ``Column``, the parsers, ``LedgerImportMixin``) is described
in docs/ledgers.md. Modules: ``parsers`` (cells → values), ``files`` (reading and limits),
``header`` (finding the header band), ``base`` (``Ledger``: dry run and import), ``export``
(exports, templates, error lists), ``safe`` (no formula ever written), ``mappings`` (remembered
column mappings), ``store`` (uploads kept between the steps), ``pages`` (the web steps), ``jobs``
(large files in the background).
"""

from .base import ALL_OR_NOTHING, LEDGERS, MODES, VALID_ONLY, Ledger, all_ledgers, find_ledger
from .export import XLSX_CONTENT_TYPE, xlsx_response
from .header import HEADER_SEARCH_ROWS, normalize_header
from .model import Column, DryRun, ImportResult, LedgerImportError, LedgerRow, RowError, SheetRow, where
from .names import name_key
from .pages import LedgerImportMixin
from .parsers import (
    _cell_text,
    boolean,
    choice,
    code,
    coordinate,
    date,
    decimal,
    excel_serial,
    id_number,
    id_number_or_mask,
    integer,
    lookup,
    phone,
    phone_or_mask,
    set_aside_masks,
    suggest,
    text,
    today_and_horizon,
)
from .store import StoredUpload, UploadStore

__all__ = [
    "ALL_OR_NOTHING",
    "HEADER_SEARCH_ROWS",
    "LEDGERS",
    "MODES",
    "VALID_ONLY",
    "XLSX_CONTENT_TYPE",
    "Column",
    "DryRun",
    "ImportResult",
    "Ledger",
    "LedgerImportError",
    "LedgerImportMixin",
    "LedgerRow",
    "RowError",
    "SheetRow",
    "StoredUpload",
    "UploadStore",
    "_cell_text",
    "all_ledgers",
    "boolean",
    "choice",
    "code",
    "coordinate",
    "date",
    "decimal",
    "excel_serial",
    "find_ledger",
    "id_number",
    "id_number_or_mask",
    "integer",
    "lookup",
    "name_key",
    "normalize_header",
    "phone",
    "phone_or_mask",
    "set_aside_masks",
    "suggest",
    "text",
    "today_and_horizon",
    "where",
    "xlsx_response",
]
