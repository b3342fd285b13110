"""API tokens expire, die when idle, and are revoked by a password change, a role change and a
deactivation; the user and the administrator list and revoke them."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from anmin.core import logins, tokens
from anmin.core.models import ApiToken, Role

PASSWORD = "Anmin@2020"


def exchange(client, user) -> str:
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save()
    resp = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["expires_at"]
    return resp.json()["token"]


def me(key: str):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def at(delta: timedelta):
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + delta)


@pytest.fixture
def worker(world):
    return world.user(Role.GRID_WORKER)


def test_a_token_works_and_only_its_digest_is_stored(client, worker):
    key = exchange(client, worker)
    assert me(key).status_code == 200
    stored = ApiToken.objects.get(user=worker)
    assert stored.key_hash != key
    assert key not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == tokens.digest(key)
    # Each exchange is a token of its own (one per device).
    exchange(client, worker)
    assert ApiToken.objects.filter(user=worker).count() == 2


def test_a_token_is_refused_after_its_expiry(client, worker, settings):
    settings.ANMIN_TOKEN_IDLE_HOURS = 1000
    key = exchange(client, worker)
    with at(timedelta(hours=settings.ANMIN_TOKEN_TTL_HOURS - 1)):
        assert me(key).status_code == 200
    with at(timedelta(hours=settings.ANMIN_TOKEN_TTL_HOURS, seconds=1)):
        resp = me(key)
    assert resp.status_code == 401
    assert resp.json()["message"] == "令牌已过期，请重新取得令牌。"


def test_a_token_dies_when_idle_and_use_keeps_it_alive(client, worker, settings):
    settings.ANMIN_TOKEN_IDLE_HOURS = 2
    key = exchange(client, worker)
    with at(timedelta(hours=1, minutes=30)):
        assert me(key).status_code == 200  # used: the idle clock starts again
    with at(timedelta(hours=3)):
        assert me(key).status_code == 200
    with at(timedelta(hours=5, minutes=1)):
        resp = me(key)
    assert resp.status_code == 401
    assert "未使用" in resp.json()["message"]


def test_a_password_change_revokes_every_token(client, worker):
    key = exchange(client, worker)
    logins.change_password(user=worker, new_password="Another#2021")
    resp = me(key)
    assert resp.status_code == 401
    assert resp.json()["message"] == "令牌已注销（密码已修改），请重新取得令牌。"


def test_a_password_set_by_the_administrator_revokes_too(client, worker):
    key = exchange(client, worker)
    worker.set_password("Reset#2021x")
    worker.save()
    assert me(key).status_code == 401


def test_a_role_change_and_a_deactivation_revoke_every_token(client, world, worker):
    key = exchange(client, worker)
    logins.set_user_roles(user=worker, roles=[Role.objects.get(code=Role.VILLAGE_CENTER)],
                          actor=world.user(Role.SYSADMIN))
    assert "角色已变更" in me(key).json()["message"]
    other = world.user(Role.TOWNSHIP_CENTER)
    key2 = exchange(Client(), other)
    other.is_active = False
    other.save()
    assert me(key2).status_code == 401
    assert ApiToken.objects.get(user=other).revoked_reason == "deactivated"


def test_the_user_lists_and_revokes_their_own_tokens_on_the_profile_page(client, world, worker):
    key = exchange(client, worker)
    token = ApiToken.objects.get(user=worker)
    client.force_login(worker)
    page = client.get("/me/").content.decode()
    assert f"{token.prefix}…" in page
    assert key not in page
    # Someone else cannot revoke it.
    stranger = Client()
    stranger.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert stranger.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    assert me(key).status_code == 200
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 302
    assert me(key).status_code == 401
    client.get("/me/")  # (the message naming the revoked token is shown once)
    assert f"{token.prefix}…" not in client.get("/me/").content.decode()


def test_the_administrator_lists_and_revokes_tokens(client, world, worker):
    key = exchange(Client(), worker)
    token = ApiToken.objects.get(user=worker)
    client.force_login(world.user(Role.SYSADMIN))
    listing = client.get("/admin/core/apitoken/").content.decode()
    assert token.prefix in listing
    assert "有效" in listing
    resp = client.post("/admin/core/apitoken/", {"action": "revoke_selected", "_selected_action": [token.pk]})
    assert resp.status_code == 302
    assert me(key).status_code == 401
    assert ApiToken.objects.get(pk=token.pk).revoked_reason == "admin"


def test_the_token_exchange_is_throttled_with_a_429_in_the_one_shape(client, worker, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ANMIN_TOKEN_EXCHANGE_RATE = "2/min"
    exchange(client, worker)
    exchange(client, worker)
    resp = client.post("/api/v1/auth/token/", {"username": worker.username, "password": PASSWORD},
                       content_type="application/json")
    assert resp.status_code == 429
    assert set(resp.json()) == {"code", "message", "field", "errors", "current"}
    assert resp["Retry-After"]
    cache.clear()


@pytest.mark.parametrize(("field", "value"), [("username", "u" * 151), ("password", "p" * 4097),
                                              ("otp_token", "1" * 9)])
def test_each_text_of_the_exchange_is_bounded_and_one_more_is_a_400_naming_it(client, worker, field, value):
    """The exchange's text has a bound, said in the schema and kept by the server: one character more is
    refused naming the field (an account name of 151 characters was a 400 about the credentials; a
    password or a TOTP of any length was read)."""
    from django.core.cache import cache

    from anmin.core.tests.test_api_schema import COMPONENTS

    cache.clear()
    body = {"username": worker.username, "password": PASSWORD, field: value}
    resp = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == field
    assert str(len(value) - 1) in resp.json()["message"]
    declared = COMPONENTS["TokenRequest"]["properties"][field]
    assert max(s.get("maxLength", 0) for s in declared.get("oneOf", [declared])) == len(value) - 1
    cache.clear()
