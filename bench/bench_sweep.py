"""Sweep: one ``sweep()`` (warnings, overdue marks, automatic 督办) over all open cases at benchmark scale.

The bench world (``bench_ledger.ensure_scale``: 1M cases, ~50k open) stands at 2020-12-10 09:00 with
a fifth of its open cases past their limit and a tenth past the warning point, none swept yet — the
worst case, a first sweep after an import. The sweep runs inside one transaction that is rolled back
afterwards, so every run of the bench sweeps the same world; a second sweep in the same transaction
shows the steady state (nothing new to do).
"""

from __future__ import annotations

import time

from . import harness

NAME = "sweep"


def run(args) -> harness.Result:
    from django.db import transaction

    from anmin.workflow.actions import sweep
    from anmin.workflow.models import Case

    from .bench_ledger import REFERENCE_NOW, ensure_scale

    ensure_scale()
    open_cases = Case.objects.open().count()
    with transaction.atomic():
        t0 = time.perf_counter()
        first = sweep(now=REFERENCE_NOW)
        first_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = sweep(now=REFERENCE_NOW)
        again_s = time.perf_counter() - t0
        transaction.set_rollback(True)
    figures: dict[str, float | str] = {
        "open_cases": float(open_cases),
        "overdue_marked": float(len(first.overdue)),
        "warned": float(len(first.warned)),
        "supervisions": float(first.supervisions),
        "sweep_s": first_s,
        "second_sweep_s": again_s,
        "second_sweep_new": float(len(again.overdue) + len(again.warned) + again.supervisions),
    }
    return harness.Result(NAME, figures, {"sweep": "≤ 10 s"})
