"""Error pages speak Chinese in the site's shell with a way back; the icon is never a 404."""

from __future__ import annotations

from django.test import override_settings


@override_settings(DEBUG=False)
def test_a_missing_page_is_chinese_with_a_way_home(client, world):
    from anmin.core.models import Role

    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    html = resp.content.decode()
    assert "页面不存在" in html
    assert 'href="/"' in html
    assert "Not Found" not in html


def test_the_favicon_is_found(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301
    assert resp["Location"].endswith("favicon.svg")


# ---- the database went away: a clean 503 at once, never a 500 or a hang (docs/reliability.md) -------


def _database_gone():
    from django.db import OperationalError

    return OperationalError("consuming input failed: server closed the connection unexpectedly")


def test_an_api_request_while_the_database_is_down_is_a_json_503_with_retry_after(world):
    from unittest import mock

    from django.test import Client

    from anmin.core.api import RegionViewSet
    from anmin.core.models import Role

    client = Client(raise_request_exception=False)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    with mock.patch.object(RegionViewSet, "list", side_effect=_database_gone()):
        resp = client.get("/api/v1/regions/")
    assert resp.status_code == 503
    assert resp["Retry-After"] == "5"
    assert resp.json()["code"] == "database_unavailable"
    assert "数据库暂时不可用" in resp.json()["message"]


@override_settings(DEBUG=False)
def test_a_page_while_the_database_is_down_is_a_503_page_saying_so(world):
    from unittest import mock

    from django.test import Client

    from anmin.core.models import Role
    from anmin.core.views import pages

    client = Client(raise_request_exception=False)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    with mock.patch.object(pages.HomeView, "get", side_effect=_database_gone()):
        resp = client.get("/")
    assert resp.status_code == 503
    assert resp["Retry-After"] == "5"
    assert "数据库暂时不可用" in resp.content.decode()
    _its_style_is_allowed(resp)


def _its_style_is_allowed(resp):
    """The page's one inline style is allowed by its hash (the strict CSP blocked it: an unstyled page and
    a CSP violation in the console); nothing else inline is."""
    import base64
    import hashlib
    import re

    style = re.search(r"<style>(.*?)</style>", resp.content.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = resp["Content-Security-Policy"]
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
    assert style_src.split() == ["style-src", "'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in policy


@override_settings(DEBUG=False)
def test_a_server_error_page_keeps_its_style_under_the_csp(world):
    from unittest import mock

    from django.test import Client

    from anmin.core.models import Role
    from anmin.core.views import pages

    client = Client(raise_request_exception=False)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    with mock.patch.object(pages.HomeView, "get", side_effect=RuntimeError("boom")):
        resp = client.get("/")
    assert resp.status_code == 500
    assert "服务器内部错误" in resp.content.decode()
    _its_style_is_allowed(resp)


def test_a_lock_time_out_from_a_database_that_is_up_is_not_called_an_outage(world):
    from unittest import mock

    from django.db import OperationalError
    from django.test import Client

    from anmin.core.api import RegionViewSet
    from anmin.core.models import Role

    class LockNotAvailable(Exception):
        sqlstate = "55P03"

    error = OperationalError("canceling statement due to lock timeout")
    error.__cause__ = LockNotAvailable()
    client = Client(raise_request_exception=False)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    with mock.patch.object(RegionViewSet, "list", side_effect=error):
        resp = client.get("/api/v1/regions/")
    assert resp.status_code == 500
    assert resp.json()["code"] == "server_error"


def test_a_stale_form_gets_a_chinese_page_that_reopens_it(world):
    """A form sent after the page's security token went stale (a login page left open, a logout in
    another tab) got Django's page: CSRF验证失败 … 更多可用信息请设置选项DEBUG＝True, and no way back."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    page = client.post("/login/", {"username": "x", "password": "y"})
    assert page.status_code == 403
    text = page.content.decode()
    assert "页面已过期，未提交" in text
    assert 'href="/login/"' in text  # 重新打开本页
    assert "DEBUG" not in text
    assert "CSRF验证失败" not in text
    public = Client(enforce_csrf_checks=True).post("/portal/tip/", {"text": "x"})
    assert public.status_code == 403
    assert "页面已过期，未提交" in public.content.decode()
    assert "退出" not in public.content.decode()  # the portal's own page, not the staff shell


def test_an_anonymous_visitor_is_not_shown_as_anonymoususer_with_a_logout_button(client, world):
    page = client.get("/portal/no-such-page/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "AnonymousUser" not in text
    assert "退出" not in text
