"""python -m bench [--only NAME …] — run the benchmarks and print one line per bench.

Each module in bench/ named ``bench_*.py`` defines ``NAME`` and ``run(args) -> Result``; the harness
prepares Django on the PostgreSQL database named by DATABASE_URL (``make bench`` sets it to a
dedicated ``anmin_bench`` database) and migrates and vacuums it (``harness.vacuum``), then prints the
PostgreSQL settings the figures depend on (saved with them). A module with ``DEFAULT = False`` runs
only when named with ``--only``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from . import harness


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", nargs="*", default=None, help="run only these benches")
    parser.add_argument("--quick", action="store_true", help="fewer samples (a smoke run)")
    args = parser.parse_args(argv)

    harness.setup_django()
    harness.ensure_database()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("setup", verbosity=0)
    harness.vacuum()
    settings = harness.pg_settings()
    print("PostgreSQL: " + ", ".join(f"{k}={v}" for k, v in settings.items()), flush=True)

    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    results = []
    for modname in names:
        mod = importlib.import_module(f"bench.{modname}")
        if args.only and mod.NAME not in args.only:
            continue
        if not args.only and not getattr(mod, "DEFAULT", True):  # run only when named
            continue
        print(f"… {mod.NAME}", flush=True)
        result = mod.run(args)
        print(result.line(), flush=True)
        results.append(result)
    results.append(harness.Result("postgres", dict(settings)))
    path = harness.save(results)
    print(f"\nresults saved to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
