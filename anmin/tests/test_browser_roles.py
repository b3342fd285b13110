"""Every role in a real browser, as a new user would use it (issue 12, "Done when"): home, inbox and
one form at the role's device width (a phone for the grid worker, the village and the mediator; a
desktop for the rest). On each page: no raw code where a name exists, no "---------", no English
outside the language switch, no console error, no asset that fails to load. A screenshot of each page
goes into the test's tmp dir. One browser, one world."""

from __future__ import annotations

import re
import time

import pytest

from anmin.conftest import login
from anmin.core.codes import load_code_tables
from anmin.core.models import CodeItem, Region, Role
from anmin.disputes.actions import ensure_default_risk_flags
from anmin.disputes.tests.test_disputes import report
from anmin.workflow.actions import transition_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 860}
ON_A_PHONE = {"grid_worker", "village_center", "mediator"}
#: The form each role opens: the first of these it may use (the password form every role has).
FORMS = {
    "grid_worker": ["/grid/report/"],
    "village_center": ["/disputes/report/"],
    "township_center": ["{handover}"],
    "mediator": ["/disputes/report/"],
    "police": ["/antifraud/report/"],
    "crackdown": ["/crackdown/report/"],
    "city_office": ["/disputes/report/", "/crackdown/rectifications/report/"],
    "dept_handler": [],
    "leader": [],
    "sysadmin": [],
    "auditor": [],
}
PASSWORD_FORM = "/me/password/"
#: Latin words a Chinese page may show: product names and file formats users know by these names.
ALLOWED_LATIN = {"Excel", "Word", "WPS", "PDF", "DOCX", "XLSX", "CSV", "GPS", "APP", "App", "ID", "TOTP", "OK", "API"}
LATIN = re.compile(r"[A-Za-z][A-Za-z]+")
CASE_NUMBER = re.compile(r"\b[A-Z]{2,4}-\d{4}-\d+\b")  # MD-2020-000001: the number users quote


def _problems(page, text: str, codes: set[str]) -> list[str]:
    found = []
    if "---------" in page.content():
        found.append('"---------"')
    words = {w for w in LATIN.findall(text) if w not in ALLOWED_LATIN}
    if words:
        found.append(f"English words {sorted(words)[:8]}")
    tokens = set(re.findall(r"(?<![\w-])\d{4,14}(?![\w-])", text))
    raw = sorted(tokens & codes)
    if raw:
        found.append(f"raw codes {raw[:8]}")
    return found


def _people_narrow_to_the_unit(page, world) -> list[str]:
    """The 交办 form: choosing a unit leaves only that unit's people in the person picker."""
    people = page.locator("select[name=target_user]")
    before = people.locator("optgroup").count()
    unit = world.orgs["gc_police"]
    page.select_option("select[name=target_org]", str(unit.pk))
    groups = people.locator("optgroup")
    labels = [groups.nth(i).get_attribute("label") for i in range(groups.count())]
    if before < 2 or labels != [unit.name]:
        return [f"交办: the person picker did not narrow to {unit.name}: {before} groups → {labels}"]
    return []


def _categories_filter_as_one_types(page) -> list[str]:
    """The category picker: grouped in code order; typing 宅基地 leaves only matching categories."""
    values = page.eval_on_selector_all("select[name=category] option", "os => os.map(o => o.value)")
    codes = [v for v in values if v]
    if codes != sorted(codes) or not page.locator("select[name=category] optgroup").count():
        return ["the category picker is not grouped in code order"]
    page.fill("input.select-filter", "宅基地")
    names = page.eval_on_selector_all("select[name=category] option",
                                      "os => os.filter(o => o.value).map(o => o.textContent)")
    if not names or any("宅基地" not in n for n in names):
        return [f"typing 宅基地 left {names[:5]}"]
    return []


def test_every_role_sees_names_chinese_and_no_broken_asset(live_server, world, browser, tmp_path):
    load_code_tables()
    # Codes that have a name to show instead: 4-digit categories (not years) and the world's places.
    codes = {c for c in CodeItem.objects.values_list("code", flat=True)
             if len(c) == 4 and not c.startswith(("19", "20"))}
    codes |= set(Region.objects.filter(level__gte=1).values_list("code", flat=True))
    # A dispute the township centre has accepted: its 交办 form picks a unit and a person.
    ensure_default_risk_flags()
    dispute = report(world, assessed_colour="yellow", risk_flags=["threat_revenge"])  # raised to red
    case = transition_case(case=dispute.case, actor=world.user(Role.TOWNSHIP_CENTER), transition="accept",
                           expected_version=dispute.case.version)
    handover = f"/workflow/cases/{case.pk}/act/?t=assign"
    names = sorted((u.name for u in world.users.values()), key=len, reverse=True)
    failures: list[str] = []
    started = time.monotonic()
    for role, user in world.users.items():
        context = browser.new_context(viewport=PHONE if role in ON_A_PHONE else DESKTOP, locale="zh-CN",
                                      is_mobile=role in ON_A_PHONE, has_touch=role in ON_A_PHONE)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e, errors=errors: errors.append(f"script error: {e}"))
        page.on("response", lambda r, errors=errors: r.status >= 400 and "/static/" in r.url
                and errors.append(f"{r.status} {r.url}"))
        page.on("requestfailed", lambda r, errors=errors: "ERR_ABORTED" not in (r.failure or "")  # not cut short
                and errors.append(f"failed {r.url}: {r.failure}"))                 # by moving on
        login(page, live_server, user.username)
        page.wait_for_load_state()
        wanted = [u.format(handover=handover) for u in FORMS[role]]
        forms = [u for u in wanted if page.request.get(live_server.url + u).status == 200]
        pages = [("home", "/"), ("inbox", "/workflow/inbox/"), ("form", (forms or [PASSWORD_FORM])[0])]
        if role == Role.TOWNSHIP_CENTER:  # and a record: its category, colour and status as words
            pages.append(("record", dispute.get_absolute_url()))
        for name, url in pages:
            response = page.goto(live_server.url + url)
            if name == "inbox" and response.status in (403, 404):  # a role without cases has no inbox
                continue
            if response.status != 200:
                failures.append(f"{role} {url}: {response.status}")
                continue
            page.screenshot(path=str(tmp_path / f"{role}-{name}.png"), full_page=True)
            page.evaluate("document.querySelectorAll('.lang-form').forEach(e => e.remove())")
            text = CASE_NUMBER.sub("", page.inner_text("body"))
            for name_of_someone in names:  # the test world's people are named by their Latin login names
                text = text.replace(name_of_someone, "")
            failures += [f"{role} {url}: {p}" for p in _problems(page, text, codes)]
            if name == "form" and url == handover:
                failures += _people_narrow_to_the_unit(page, world)
            if name == "form" and url == "/disputes/report/":
                failures += _categories_filter_as_one_types(page)
        failures += [f"{role}: {e}" for e in errors]
        context.close()
    print(f"{len(world.users)} roles in {time.monotonic() - started:.1f} s")  # noqa: T201 (shown with -s)
    assert not failures, "\n".join(failures)
