"""The portal's own cookie and CSRF zone: its CSRF secret lives in its own cookie, limited to the
portal's path; a staff page's CSRF token is refused by the portal's forms and a portal token by the staff
site's; a staff session (and any other staff cookie) sent to the portal is not read, not renewed and not
set again."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from anmin.core.models import Role

PORTAL_COOKIE = "anmin_portal_csrf"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_the_portal_keeps_its_csrf_secret_in_its_own_cookie_on_its_own_path(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/portal/fraud-check/")
    cookie = page.cookies[PORTAL_COOKIE]
    assert cookie["path"] == "/portal/"
    assert cookie["httponly"]
    assert settings.CSRF_COOKIE_NAME not in page.cookies  # no staff CSRF cookie from the portal
    ok = client.post("/portal/fraud-check/", {"value": "17100001234", "csrfmiddlewaretoken": _token(page)})
    assert ok.status_code == 200
    assert "data-check" in ok.content.decode()
    staff_page = Client(enforce_csrf_checks=True).get("/login/")
    assert staff_page.cookies[settings.CSRF_COOKIE_NAME]["path"] == "/"
    assert PORTAL_COOKIE not in staff_page.cookies


def test_a_staff_token_is_refused_by_the_portal_and_a_portal_token_by_the_staff_site(world):
    client = Client(enforce_csrf_checks=True)  # sends every cookie it holds, whatever the path
    staff_token = _token(client.get("/login/"))
    portal_token = _token(client.get("/portal/fraud-check/"))
    assert {settings.CSRF_COOKIE_NAME, PORTAL_COOKIE} <= set(client.cookies)
    refused = client.post("/portal/fraud-check/", {"value": "17100001234", "csrfmiddlewaretoken": staff_token})
    assert refused.status_code == 403
    refused = client.post("/portal/fraud-check/", {"value": "17100001234"}, HTTP_X_CSRFTOKEN=staff_token)
    assert refused.status_code == 403
    user = world.user(Role.TOWNSHIP_CENTER)
    login = {"username": user.username, "password": "x" * 12}
    assert client.post("/login/", {**login, "csrfmiddlewaretoken": portal_token}).status_code == 403
    # Each zone's own token still works.
    assert client.post("/portal/fraud-check/", {"value": "17100001234",
                                                 "csrfmiddlewaretoken": portal_token}).status_code == 200
    assert client.post("/login/", {**login, "csrfmiddlewaretoken": staff_token}).status_code != 403
    # A staff cookie alone (no portal cookie) opens no portal form.
    staff_only = Client(enforce_csrf_checks=True)
    staff_token = _token(staff_only.get("/login/"))
    refused = staff_only.post("/portal/fraud-check/", {"value": "1", "csrfmiddlewaretoken": staff_token})
    assert refused.status_code == 403


def test_a_staff_session_sent_to_the_portal_is_not_read_renewed_or_set(world, settings):
    settings.ANMIN_SESSION_REFRESH_SECONDS = 0  # a staff page would renew (save) the session each time
    client = Client()
    client.force_login(world.user("crackdown"))
    client.cookies["anmin_vault"] = "staff-vault-cookie"
    staff = client.get("/crackdown/")
    assert staff.wsgi_request.user.is_authenticated
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    for path in ("/portal/", "/portal/tip/", "/portal/fraud-check/", "/portal/open311/v2/services.json"):
        page = client.get(path)
        assert page.status_code == 200
        assert not page.wsgi_request.user.is_authenticated
        assert set(page.wsgi_request.COOKIES) <= {PORTAL_COOKIE, settings.LANGUAGE_COOKIE_NAME}
        assert set(page.cookies) <= {PORTAL_COOKIE}  # no session cookie renewed or set
    posted = client.post("/portal/fraud-check/", {"value": "17100001234"})
    assert not posted.wsgi_request.user.is_authenticated
    assert settings.SESSION_COOKIE_NAME not in posted.cookies
    # The staff session itself is untouched: still signed in on the staff site.
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == session_key
    assert client.get("/crackdown/").wsgi_request.user.is_authenticated


def test_the_deploy_check_names_a_missing_zoned_csrf_middleware(settings):
    from anmin.portal.checks import ZONED, check_csrf_middleware

    settings.CSRF_COOKIE_SECURE = True
    assert check_csrf_middleware() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != ZONED]
    assert [w.id for w in check_csrf_middleware()] == ["anmin.portal.W001"]
