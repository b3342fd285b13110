"""Every test runs in at least one pass of `make test` (decision 0027). The SQLite pass keeps the shared
layers, the browser tests, the demo builds and the tests marked ``sqlite_pass``; a domain's test that
skips itself on PostgreSQL must therefore carry that mark, or it runs nowhere (three modules of office
files and the demo world's report did, for a session)."""

from __future__ import annotations

import re
from pathlib import Path

import anmin

ROOT = Path(anmin.__file__).resolve().parent
SKIPS_ON_POSTGRES = re.compile(r'vendor\s*(==\s*"postgresql"|!=\s*"sqlite")')


def test_a_domain_test_that_skips_on_postgresql_is_kept_by_the_sqlite_pass():
    orphans = []
    for path in sorted(ROOT.rglob("test_*.py")):
        rel = path.relative_to(ROOT.parent).as_posix()
        if rel.startswith(("anmin/core/", "anmin/workflow/")) or "browser" in rel or rel.endswith("/test_demo.py"):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        # a skip's condition: the line with ``skipif`` and the two after it
        conditions = "\n".join("\n".join(lines[i:i + 3]) for i, line in enumerate(lines) if "skipif" in line)
        if SKIPS_ON_POSTGRES.search(conditions) and not any("sqlite_pass" in line for line in lines):
            orphans.append(rel)
    assert not orphans, f"skipped on PostgreSQL and dropped from the SQLite pass (mark them sqlite_pass): {orphans}"
