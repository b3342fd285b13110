"""The portal's privacy in the logs: a portal request's access line (Django's middleware and gunicorn's
logger) holds no client address, user agent, referer, forwarded-for header or staff username, while a
staff page's line still does; the rate limit's cache keys hold no address either."""

from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from gunicorn.config import Config

from anmin.core.accesslog import GunicornLogger
from anmin.core.models import Role

IP, UA, REF, FWD = "198.51.100.23", "CheapPhone/1.0 (tipster-ua)", "https://example.org/from-here", "192.0.2.44"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _lines(caplog, path):
    return [r.getMessage() for r in caplog.records if r.name == "anmin.access" and f" {path}" in r.getMessage()]


def _assert_clean(text):
    for secret in (IP, UA, "tipster-ua", REF, FWD, "198.51.100"):
        assert secret not in text


def test_a_portal_request_leaves_no_client_in_the_access_log(world, caplog):
    caplog.set_level(logging.INFO, logger="anmin.access")
    staff = Client()
    staff.force_login(world.user(Role.TOWNSHIP_CENTER))  # a staff cookie sent along changes nothing
    page = staff.post("/portal/tip/", {"submit_key": "z" * 24, "category": "mafia",
                                       "text": "某村村霸强揽工程，威胁其他施工队退出。",
                                       "passphrase": "quiet harbour", "passphrase2": "quiet harbour"},
                      REMOTE_ADDR=IP, HTTP_USER_AGENT=UA, HTTP_REFERER=REF, HTTP_X_FORWARDED_FOR=FWD)
    assert page.status_code == 200
    staff.get("/portal/receipt/", REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    lines = _lines(caplog, "/portal/tip/") + _lines(caplog, "/portal/receipt/")
    assert len(lines) == 2
    for text in lines:
        assert text.startswith('- - - "')
        assert world.user(Role.TOWNSHIP_CENTER).username not in text
        _assert_clean(text)
    # Rate-limit counters: keyed hashes only.
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys
    assert not any("198.51" in str(k) for k in keys)
    # A staff page's line still names its client (the rule is the portal's, not a broken logger).
    staff.get("/", REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    assert any(line.startswith(IP) and UA in line for line in _lines(caplog, "/ "))


def _gunicorn_line(path):
    logger = GunicornLogger(Config())
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": path + "?x=1", "PATH_INFO": path, "QUERY_STRING": "x=1",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": IP, "HTTP_USER_AGENT": UA, "HTTP_REFERER": REF,
               "HTTP_X_FORWARDED_FOR": FWD}
    req = SimpleNamespace(headers=[("USER-AGENT", UA), ("X-FORWARDED-FOR", FWD), ("REFERER", REF)])
    resp = SimpleNamespace(status="200 OK", headers=[("Content-Type", "text/html")], sent=10)
    atoms = logger.atoms(resp, req, environ, datetime.timedelta(milliseconds=12))
    return logger.cfg.access_log_format % atoms + " " + " ".join(
        str(atoms[k]) for k in ("{x-forwarded-for}i", "{user-agent}i", "{remote_addr}e"))


def test_gunicorns_access_line_for_the_portal_holds_no_client():
    portal = _gunicorn_line("/portal/tip/")
    _assert_clean(portal)
    assert "/portal/tip/?…" in portal
    staff = _gunicorn_line("/disputes/")
    assert IP in staff
    assert UA in staff
