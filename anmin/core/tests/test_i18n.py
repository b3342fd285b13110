"""Chinese is the source language, English a switchable translation (docs/decisions/0001).

The catalogue is anmin/locale/en/LC_MESSAGES/django.po (and the compiled django.mo, committed).
When a test here fails because of a missing or stale translation: run `make messages`, translate
the new entries in the .po (use docs/glossary.md for the English names), run `make messages` again
to compile, and commit both files.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from anmin.core.models import Role

SETLANG = "/i18n/setlang/"
PACKAGE = Path(settings.BASE_DIR)
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES"
FIX = "run `make messages`, translate the new entries in anmin/locale/en/LC_MESSAGES/django.po, then `make messages`"


def page(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.content.decode()


def switch(client, language: str) -> None:
    resp = client.post(SETLANG, {"language": language, "next": "/"})
    assert resp.status_code == 302
    assert resp.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


# ---- the pages -------------------------------------------------------------------------------------


def test_setlang_is_the_switch_the_top_bar_posts_to():
    assert reverse("set_language") == SETLANG


def test_by_default_the_login_page_is_chinese(client, db):
    html = page(client, reverse("core:login"))
    assert '<html lang="zh-hans">' in html
    for text in ("用户名", "密码", "登录", "治政之要在于安民", "安民 · 平安建设综合治理平台"):
        assert text in html
    assert "Username" not in html


def test_by_default_home_and_menu_are_chinese(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    html = page(client, reverse("core:home"))
    assert '<html lang="zh-hans">' in html
    for text in ("退出", "主菜单", "工作台", "首页", "基础数据", "组织机构", "我的辖区", "我的待办"):
        assert text in html
    for text in ("Log out", "Main menu", "Workspace", "My jurisdiction"):
        assert text not in html


def test_english_home_page_and_menu(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    switch(client, "en")
    html = page(client, reverse("core:home"))
    assert '<html lang="en">' in html
    # top bar: the logout button, the switch back, the site name
    assert "Log out" in html
    assert "退出" not in html
    assert ">中文</button>" in html
    assert "Anmin · Safety-Building and Comprehensive Governance Platform" in html
    # left menu: sections and items
    assert 'aria-label="Main menu"' in html
    for text in ("Workspace", "Home", "Reference data", "Jurisdiction", "Org units", "Case ledger"):
        assert text in html
    for text in ("工作台", "首页", "基础数据", "组织机构", "事项台账"):
        assert text not in html
    # home page cards
    assert "My jurisdiction" in html
    assert "我的辖区" not in html


def test_english_login_page_after_logging_out(client, world):
    """The choice is a cookie, so it outlives the session."""
    client.force_login(world.user(Role.GRID_WORKER))
    switch(client, "en")
    client.post(reverse("core:logout"))
    html = page(client, reverse("core:login"))
    assert '<html lang="en">' in html
    for text in ("Username", "Password", "Log in", "The essence of governance lies in keeping the people safe"):
        assert text in html
    for text in ("用户名", "密码", "治政之要在于安民"):
        assert text not in html


def test_the_login_page_switch_works_before_logging_in(client, db):
    switch(client, "en")
    html = page(client, reverse("core:login"))
    assert "Username" in html
    assert "用户名" not in html


def test_switching_back_to_chinese(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    switch(client, "en")
    switch(client, "zh-hans")
    html = page(client, reverse("core:home"))
    assert "退出" in html
    assert "Log out" not in html


# ---- the catalogue ---------------------------------------------------------------------------------

_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(\".*\")$")


def parse_po(path: Path) -> list[dict]:
    """Entries of a gettext .po file (without the header and obsolete ``#~`` entries).

    Each entry is a dict of its keywords (``msgid``, ``msgstr``, ``msgstr[0]`` …) plus ``flags``.
    """
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"flags": set()}
        key = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
            else:
                m = _KEYWORD.match(line)
                assert m, f"{path}: cannot parse line {line!r}"
                key = m.group(1)
                entry[key] = ast.literal_eval(m.group(2))
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.fixture(scope="module", params=["django", "djangojs"])
def catalogue(request) -> list[dict]:
    """The templates' and Python's catalogue, then the page scripts' (djangojs: offline.js …)."""
    po = CATALOGUE / f"{request.param}.po"
    assert po.exists(), f"{po} is missing: {FIX}"
    entries = parse_po(po)
    assert len(entries) > (500 if request.param == "django" else 20)
    for e in entries:
        e["domain"] = request.param
    return entries


def msgstrs(entry: dict) -> list[str]:
    return [v for k, v in entry.items() if k.startswith("msgstr")]


def test_every_string_in_the_catalogue_is_translated(catalogue):
    untranslated = [e["msgid"] for e in catalogue if not msgstrs(e) or not all(s.strip() for s in msgstrs(e))]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]} — {FIX}"
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy (ignored by compilemessages), check and remove the flag: {fuzzy[:10]} — {FIX}"


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_translations_keep_the_placeholders(catalogue):
    for e in catalogue:
        wanted = sorted(_PLACEHOLDER.findall(e["msgid"]))
        for s in msgstrs(e):
            assert sorted(_PLACEHOLDER.findall(s)) == wanted, f"{e['msgid']!r} → {s!r}"


def test_compiled_catalogue_matches_the_po(catalogue):
    mo = CATALOGUE / f"{catalogue[0]['domain']}.mo"
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    stale = []
    for e in catalogue:
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            ok = all(compiled.get((key, i)) == e[f"msgstr[{i}]"] for i in range(len(msgstrs(e))))
        else:
            ok = compiled.get(key) == e["msgstr"]
        if not ok:
            stale.append(e["msgid"])
    assert not stale, f"django.mo is older than django.po ({stale[:5]}…): run `make messages`"


# ---- the source strings are all in the catalogue ---------------------------------------------------

_GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop"}
_TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1([^%]*)%\}""")
_BLOCK_TAG = re.compile(r"\{%\s*(?:blocktranslate|blocktrans)\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
_BLOCK_VAR = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _source_files(suffix: str):
    for path in sorted(PACKAGE.rglob(f"*{suffix}")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "locale" in parts or any(p.startswith(".") for p in parts):
            continue
        yield path


def python_msgids(path: Path) -> set[str]:
    """Literal strings passed to Django's gettext functions, in a module that imports them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in _GETTEXT
    }
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in names
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def template_msgids(path: Path) -> set[str]:
    """Simple ``{% translate "…" %}`` and ``{% blocktranslate %}`` strings (no context, plural or trimming)."""
    text = path.read_text(encoding="utf-8")
    found = {m.group(2) for m in _TRANSLATE_TAG.finditer(text) if "context" not in m.group(3)}
    for m in _BLOCK_TAG.finditer(text):
        options, body = m.group(1), m.group(2)
        if any(word in options for word in ("count", "context", "trimmed")) or "%" in body or "{%" in body:
            continue
        found.add(_BLOCK_VAR.sub(r"%(\1)s", body))
    return found


_JS_GETTEXT = re.compile(r'\bn?gettext\(\s*"((?:[^"\\]|\\.)*)"')


def script_msgids(path: Path) -> set[str]:
    """``gettext("…")`` and ``ngettext("…", …)`` in a page script (the first string)."""
    return set(_JS_GETTEXT.findall(path.read_text(encoding="utf-8")))


def test_every_source_string_is_in_the_catalogue(catalogue):
    known = {e["msgid"] for e in catalogue}
    missing = {}
    if catalogue[0]["domain"] == "djangojs":  # the project's own scripts, not the vendored libraries
        for path in _source_files(".js"):
            if "vendor" not in path.parts and "templates" not in path.parts:
                for msgid in script_msgids(path) - known:
                    missing.setdefault(msgid, str(path.relative_to(PACKAGE)))
        assert not missing, f"{len(missing)} script strings are not in the djangojs catalogue: {missing} — {FIX}"
        return
    for path in _source_files(".py"):
        for msgid in python_msgids(path) - known:
            missing.setdefault(msgid, str(path.relative_to(PACKAGE)))
    for path in _source_files(".html"):
        for msgid in template_msgids(path) - known:
            missing.setdefault(msgid, str(path.relative_to(PACKAGE)))
    examples = list(missing.items())[:5]
    assert not missing, f"{len(missing)} strings are not in the English catalogue, e.g. {examples} — {FIX}"
