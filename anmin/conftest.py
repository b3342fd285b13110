"""Test fixtures shared by every app: a small jurisdiction, org units and one user per role."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from anmin.core.tests.factories import World, build_world


@pytest.fixture
def world(db) -> World:
    """Two townships of Yuzhou (古城镇 and its neighbour 无梁镇) with villages, grids, orgs, users."""
    return build_world()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with what only a test database may have (core.testing.db)."""
    from anmin.core.roles import sync_roles
    from anmin.core.testing.db import allow_test_flush

    with django_db_blocker.unblock():
        allow_test_flush()
        sync_roles()  # once for the run: each test's world then finds them (factories.roles_in_place)


@pytest.fixture(scope="session", autouse=True)
def _plaintext_watch_session(django_test_environment):
    """Every log record of the run is scanned for full ID numbers and phones (core.testing)."""
    from anmin.core.testing import plaintext_watch

    return plaintext_watch.install()


@pytest.fixture(autouse=True)
def _no_plaintext_in_the_log(_plaintext_watch_session):
    """Fails the test during which a log record carried a full ID number or phone number."""
    yield
    found = _plaintext_watch_session.take()
    if found:
        lines = "\n".join(f"  {f.what} {f.masked}（日志 {f.logger}）" for f in found)
        pytest.fail(f"日志中出现了完整的身份证号或手机号：\n{lines}", pytrace=False)


@pytest.fixture(autouse=True)
def _real_business_clock():
    """The business clock (core.clock) caches its shift per process: a test that moves it must not
    leave the next test on its moment."""
    from anmin.core import clock

    clock.forget()
    yield
    clock.forget()


@pytest.fixture(autouse=True)
def _process_language():
    """Every test starts in the process's language, as a fresh process would: a test client's request
    leaves its thread in the request's language (LocaleMiddleware does not switch back), and a later test
    in the same worker translated in it (the prevention demo stored a camera as “Safe CityCrossing”)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _shared_cache_per_test_process(django_test_environment):
    """The "shared" cache is a file cache every process of a server shares; the test processes of one
    run (pytest-xdist) must not share it, or one process's emptying below clears another's counters
    mid-test. Each test process gets its own in memory."""
    from django.conf import settings
    from django.test.utils import override_settings

    with override_settings(CACHES={**settings.CACHES, "shared": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "anmin-shared-test"}}):
        yield


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: a figure cached by an earlier test, whose rows were rolled
    back without a commit to move its generation, must not show in this one."""
    from django.core.cache import caches

    for alias in ("default", "shared"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Uploads (attachments, grid photos) go to a directory of this test, never to var/uploads."""
    path = tmp_path / "uploads"
    settings.ANMIN_UPLOAD_DIR = path
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(path)},
    }}
    return path


@pytest.fixture(autouse=True)
def _after_committed_tests(request):
    """After a test that committed (transactional ones, the browser tests' live server), every app
    may put back what Django's flush does not (``AppConfig.after_committed_test``, e.g. the case
    engine's number sequences)."""
    yield
    marker = request.node.get_closest_marker("django_db")
    committed = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback"))
    if not (committed or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    from django.apps import apps

    for config in apps.get_app_configs():
        if hasattr(config, "after_committed_test"):
            config.after_committed_test()


def pytest_configure(config):
    from django.conf import settings

    # Tests create many accounts; a slow password hash only slows them down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every request of the run writes an access line (as gunicorn would) that the plaintext watch
    # reads: no full ID number or phone may reach it, from a query string or anywhere else.
    settings.MIDDLEWARE = ["anmin.core.accesslog.AccessLogMiddleware", *settings.MIDDLEWARE]
    # Tests exchange many tokens from one address; the throttle's own test lowers it again.
    settings.ANMIN_TOKEN_EXCHANGE_RATE = "100000/min"  # noqa: S105 (a rate, not a password)
    # The shared cache (sessions, cache generations) in this process's memory: one test run per process.
    settings.CACHES = {**settings.CACHES, "shared": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "anmin-tests-shared"}}


# The SQLite pass of `make test` (the embedded default: the demo, a small install) runs the shared layers
# (core, workflow) whose statements differ by database, every browser test (each a real page of a domain
# on SQLite), each domain's demo build and the tests marked ``sqlite_pass`` (reading office files, the
# whole demo world's report: tests that skip themselves on PostgreSQL); a domain's other tests run in the
# PostgreSQL pass, the production database. `make test` must stay under 15 minutes on a slow 2-core machine (20 minutes
# with every test twice, fourteenth session; docs/decisions/0027). ANMIN_SQLITE_ALL=1 runs them all.
SQLITE_ALWAYS = ("anmin/core/", "anmin/workflow/")


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql" or os.environ.get("ANMIN_SQLITE_ALL"):
        return
    keep, drop = [], []
    for item in items:
        path = item.nodeid.split("::")[0]
        once = (path.startswith(SQLITE_ALWAYS) or item.get_closest_marker("browser") is not None
                or item.get_closest_marker("sqlite_pass") is not None
                or path.endswith("/test_demo.py") or "browser" in path)
        (keep if once else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


CHROMIUM = os.environ.get("ANMIN_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless chromium driven by Playwright (the test tool cannot download its own)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page the size of a 360-px-wide phone, in Chinese."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def login(page, live_server, username: str, password: str = "Anmin@2020") -> None:  # noqa: S107
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
