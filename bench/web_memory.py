"""Peak memory of a web worker handling the largest ledger upload it keeps in the request.

Files up to ``ANMIN_LEDGER_BACKGROUND_BYTES`` (1 MB) are checked and imported inside the request;
larger ones go to the background worker (docs/ledgers.md). This builds the real-shape 矛盾纠纷排查化解
台账 of ``bench_realledger`` at about that size (10,000 rows ≈ 1.02 MB), dry-runs it and imports it
(rolled back) in this process, and prints the process's peak RSS after each — the figure the
"web worker under 300 MB during any import" target is about.

    DATABASE_URL=… python -m bench.web_memory [rows]    # a database with the demo world (user pingan)
"""

from __future__ import annotations

import os
import resource
import sys


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anmin.settings")
    django.setup()
    from django.db import transaction

    from anmin.core import ledgers
    from anmin.core.models import User
    from anmin.disputes.importers import DisputeLedger

    from .bench_realledger import build

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = build(rows)
    user = User.objects.get(username="pingan")
    print(f"file {len(data) / 1e6:.2f} MB, {rows} rows; peak RSS before the dry run {_peak_mb():.0f} MB")
    report = DisputeLedger(user=user).dry_run(data, filename="台账.xlsx")
    print(f"dry run: {report.new_count} new, {len(report.errors)} errors; peak RSS {_peak_mb():.0f} MB")

    class _RolledBack(Exception):
        pass

    try:
        with transaction.atomic():
            result = DisputeLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
            print(f"import: {result.imported} rows; peak RSS {_peak_mb():.0f} MB (rolled back)")
            raise _RolledBack
    except _RolledBack:
        pass


if __name__ == "__main__":
    main()
