"""The ``anmin`` console command: every management command, with Anmin's settings preselected.

anmin demo [--no-serve]   build the Yuzhou demo world (idempotent) and serve it
anmin serve               serve the platform (web + background worker)
anmin regions load FILE   load another city's jurisdiction tree
anmin audit verify        check the audit log's hash chain (exit 0 when intact)
anmin clock [--set T|--real]  show or move the business clock (the demo stands on 2020-12-10)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anmin.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["anmin", *(args or ["help"])])


if __name__ == "__main__":
    main()
