"""The foundation knows no domain: no role, menu section or code table that a domain brings is named
anywhere in ``anmin/core`` (outside its tests and migrations). Domains register them; core only reads
the registries. (Imports are held by import-linter's layer contract; this holds the names.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

from anmin.core import registry
from anmin.core.codes import CODES_FILE

CORE = Path(__file__).resolve().parent.parent / "core"
CORE_SECTIONS = {"work", "base", "system"}


def domain_names() -> dict[str, str]:
    names = {r.code: "role" for r in registry.roles if r.app != "core"}
    names.update({s.key: "menu section" for s in registry.menu_sections if s.key not in CORE_SECTIONS})
    for path in registry.code_files:
        for table in json.loads(Path(path).read_text(encoding="utf-8"))["tables"]:
            names[table["key"]] = "code table"
    return names


def core_sources():
    for path in CORE.rglob("*"):
        if path.suffix not in (".py", ".html", ".json", ".js") or not path.is_file():
            continue
        if {"tests", "migrations", "locale", "static"} & set(path.relative_to(CORE).parts[:-1]):
            continue
        yield path


def test_core_names_no_role_menu_or_code_table_of_a_domain():
    names = domain_names()
    assert "mediator" in names, "the disputes domain's role is not registered: the test would check nothing"
    assert "dispute_category" in names
    found = []
    for path in core_sources():
        text = path.read_text(encoding="utf-8")
        for name, what in names.items():
            if re.search(rf"[\"']{re.escape(name)}[\"']", text):
                found.append(f"{path.relative_to(CORE)} names the {what} {name!r}")
    assert not found, "\n".join(found)


def test_the_foundation_still_ships_its_own_code_tables():
    keys = {t["key"] for t in json.loads(CODES_FILE.read_text(encoding="utf-8"))["tables"]}
    assert "governance_level" in keys
    assert not keys & set(domain_names()), "a domain's code table is shipped by core"
