"""Login security: 等保 level 3 password rules, lockout per account and address, TOTP for privileged
roles, idle timeout, sessions ended by password and role changes, security headers."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from anmin.core import audit, logins
from anmin.core.models import AuditEntry, LoginThrottle, Role, User
from anmin.core.passwords import character_kinds
from anmin.core.roles import check_separation_of_duties

from .factories import PASSWORD

LOGIN = "/login/"
HOME = "/"


def login(client, username: str, password: str = PASSWORD, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def token_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def later(minutes: float):
    """Move the platform's clock forward (sessions, lockouts and the audit all read timezone.now)."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=minutes))


# ---- password rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Ab1!xyz", "长度至少 8 位"),
        ("abcdefgh12", "至少 3 类"),
        ("ABCDEFGH!!", "至少 3 类"),
        ("Zhangsan@2020", "不能包含用户名"),
        ("nasgnahz#2020X", "不能包含用户名"),
        ("P@ssw0rd", "常见的弱密码"),
        ("Admin@123", "常见的弱密码"),
    ],
)
def test_weak_passwords_are_refused_naming_the_rule(password, rule):
    user = User(username="zhangsan")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    messages = " ".join(exc.value.messages)
    assert rule in messages
    assert messages.startswith("密码：")


@pytest.mark.parametrize("password", ["Yz#river2020", "qingshui-HE-88", "平安Anmin2020", "k7$Pw9!mZ"])
def test_strong_passwords_pass(password):
    user = User(username="zhangsan")
    validate_password(password, user)


def test_character_kinds_are_counted():
    assert character_kinds("abc") == 1
    assert character_kinds("abcDEF") == 2
    assert character_kinds("abcDEF12") == 3
    assert character_kinds("abcDEF12!") == 4


# ---- lockout ----------------------------------------------------------------------------------


def test_five_failures_lock_the_account_at_that_address_but_not_elsewhere(client, world):
    user = world.user(Role.GRID_WORKER)
    for _ in range(5):
        resp = login(client, user.username, "wrong-Password1", address="10.0.0.66")
        assert resp.status_code == 200
    assert "已锁定" in resp.content.decode()
    # The right password from the attacker's address is refused while the lock lasts …
    resp = login(client, user.username, address="10.0.0.66")
    assert resp.status_code == 200
    assert "已锁定" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    throttle = LoginThrottle.objects.get(username=user.username, address="10.0.0.66")
    assert throttle.failures == 5
    assert throttle.locked_until - timezone.now() > timedelta(minutes=29)
    assert AuditEntry.objects.filter(action="lockout", actor_username=user.username).count() == 1
    # … but the worker logging in from the township office is not locked out.
    office = Client()
    assert login(office, user.username, address="10.20.30.40").status_code == 302
    assert office.get(HOME).status_code == 200


def test_the_lock_ends_after_thirty_minutes(client, world):
    user = world.user(Role.GRID_WORKER)
    for _ in range(5):
        login(client, user.username, "wrong-Password1")
    with later(29):
        assert login(client, user.username).status_code == 200  # still locked
    with later(31):
        assert login(client, user.username).status_code == 302
    assert not LoginThrottle.objects.filter(username=user.username).exists()


def test_a_success_resets_the_failure_count(client, world):
    user = world.user(Role.GRID_WORKER)
    for _ in range(4):
        login(client, user.username, "wrong-Password1")
    assert login(client, user.username).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, user.username, "wrong-Password1")
    assert login(client, user.username).status_code == 302


def test_lockout_settings_are_honoured(client, world, settings):
    settings.ANMIN_LOCKOUT_FAILURES = 2
    settings.ANMIN_LOCKOUT_MINUTES = 5
    user = world.user(Role.GRID_WORKER)
    login(client, user.username, "wrong-Password1")
    login(client, user.username, "wrong-Password1")
    assert login(client, user.username).status_code == 200
    with later(6):
        assert login(client, user.username).status_code == 302


def test_the_api_token_endpoint_honours_the_lockout(client, world):
    user = world.user(Role.GRID_WORKER)
    for _ in range(5):
        login(client, user.username, "wrong-Password1")
    url = reverse("api-token")
    resp = client.post(url, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert resp.status_code == 400
    resp = client.post(url, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert resp.status_code == 200
    assert resp.json()["token"]


def test_client_address_behind_a_trusted_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert audit.client_address(request) == "10.0.0.254"
    settings.ANMIN_TRUSTED_PROXY_COUNT = 1
    assert audit.client_address(request) == "203.0.113.7"


# ---- TOTP for privileged roles ------------------------------------------------------------------


@pytest.fixture
def strict(settings):
    """Production behaviour: no demo relaxations."""
    settings.ANMIN_DEMO_RELAXED = False
    return settings


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.AUDITOR, Role.CITY_OFFICE, "crackdown"])
def test_a_privileged_role_cannot_reach_the_home_page_without_the_second_factor(client, world, strict, role):
    user = world.user(role)
    assert login(client, user.username).status_code == 302
    resp = client.get(HOME)
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("core:otp_setup"))
    assert client.get(reverse("core:profile")).status_code == 302
    assert client.get("/api/v1/me/").status_code == 403
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    resp = client.get(HOME)
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("core:otp_verify"))
    # The set-up page cannot be used to bind a second device without the first one.
    assert client.get(reverse("core:otp_setup"))["Location"].startswith(reverse("core:otp_verify"))


def test_a_business_role_needs_no_second_factor(client, world, strict):
    user = world.user(Role.TOWNSHIP_CENTER)
    login(client, user.username)
    assert client.get(HOME).status_code == 200


def test_setting_up_totp_shows_an_inline_qr_code_and_verifies_the_first_code(client, world, strict):
    strict.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after the deliberate wrong code
    user = world.user(Role.CITY_OFFICE)
    login(client, user.username)
    page = client.get(reverse("core:otp_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert "<img" not in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    resp = client.post(reverse("core:otp_setup"), {"token": "000000" if token_for(device) != "000000" else "111111"})
    assert resp.status_code == 200
    assert "不正确" in resp.content.decode()
    resp = client.post(reverse("core:otp_setup"), {"token": token_for(device)})
    assert resp.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200
    assert AuditEntry.objects.filter(action="otp_setup", actor_username=user.username).exists()


def test_login_of_a_privileged_user_asks_for_the_code_and_continues(client, world, strict):
    strict.OTP_TOTP_THROTTLE_FACTOR = 0
    user = world.user(Role.AUDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, user.username)
    resp = client.get(reverse("core:audit_list"))
    assert resp.status_code == 302
    verify_url = resp["Location"]
    assert verify_url.startswith(reverse("core:otp_verify"))
    assert "next=" in verify_url
    resp = client.post(verify_url, {"token": "12345x"})
    assert resp.status_code == 200
    assert "动态口令" in resp.content.decode()
    resp = client.post(verify_url, {"token": token_for(device)})
    assert resp.status_code == 302
    assert resp["Location"] == reverse("core:audit_list")
    assert client.get(reverse("core:audit_list")).status_code == 200


def test_the_api_token_needs_the_second_factor_for_a_privileged_role(client, world, strict):
    strict.OTP_TOTP_THROTTLE_FACTOR = 0
    user = world.user("crackdown")
    url = reverse("api-token")
    resp = client.post(url, {"username": user.username, "password": PASSWORD})
    assert resp.status_code == 400
    assert "动态口令" in resp.content.decode()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    resp = client.post(url, {"username": user.username, "password": PASSWORD})
    assert resp.status_code == 400
    resp = client.post(url, {"username": user.username, "password": PASSWORD, "otp_token": token_for(device)})
    assert resp.status_code == 200
    assert resp.json()["token"]


def test_the_demo_relaxes_totp_only_for_accounts_without_a_device(client, world, settings):
    settings.ANMIN_DEMO_RELAXED = True
    user = world.user(Role.CITY_OFFICE)
    login(client, user.username)
    assert client.get(HOME).status_code == 200
    client.logout()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, user.username)
    assert client.get(HOME)["Location"].startswith(reverse("core:otp_verify"))


# ---- first-login password change ------------------------------------------------------------


def test_a_user_who_must_change_the_password_is_sent_to_the_password_page(client, world):
    user = world.user(Role.VILLAGE_CENTER)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    login(client, user.username)
    resp = client.get(HOME)
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("core:password_change"))
    url = reverse("core:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"})
    assert weak.status_code == 200
    assert "至少 3 类" in weak.content.decode()
    same = client.post(url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "不能与原密码相同" in same.content.decode()
    resp = client.post(url, {"old_password": PASSWORD, "new_password1": "Qingshui#88", "new_password2": "Qingshui#88"})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("Qingshui#88")
    assert client.get(HOME).status_code == 200
    assert AuditEntry.objects.filter(action="password_change", actor_username=user.username).exists()


# ---- sessions -----------------------------------------------------------------------------------


def test_an_idle_session_ends_after_the_timeout(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.ANMIN_SESSION_REFRESH_SECONDS == 60  # renewed in storage once a minute at most
    user = world.user(Role.TOWNSHIP_CENTER)
    login(client, user.username)
    with later(20):
        assert client.get(HOME).status_code == 200  # activity pushes the expiry on …
    with later(45):
        assert client.get(HOME).status_code == 200  # … 25 minutes after the last request …
    with later(80):
        resp = client.get(HOME)  # … 35 idle minutes end it
    assert resp.status_code == 302
    assert resp["Location"].startswith(LOGIN)


def test_a_password_change_ends_the_users_other_sessions(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    office, phone = Client(), Client()
    login(office, user.username)
    login(phone, user.username, address="10.0.0.2")
    assert phone.get(HOME).status_code == 200
    url = reverse("core:password_change")
    resp = office.post(url, {"old_password": PASSWORD, "new_password1": "Qingshui#88", "new_password2": "Qingshui#88"})
    assert resp.status_code == 302
    assert office.get(HOME).status_code == 200
    assert phone.get(HOME)["Location"].startswith(LOGIN)


def test_a_role_change_ends_the_users_sessions(client, world):
    user = world.user(Role.TOWNSHIP_CENTER)
    login(client, user.username)
    assert client.get(HOME).status_code == 200
    admin = world.user(Role.SYSADMIN)
    changed = logins.set_user_roles(
        user=user, roles=[Role.objects.get(code=Role.VILLAGE_CENTER)], actor=admin, request=None
    )
    assert changed
    assert client.get(HOME)["Location"].startswith(LOGIN)
    login(client, user.username)
    assert client.get(HOME).status_code == 200
    entry = AuditEntry.objects.get(action="role_change")
    assert entry.before == {"roles": [Role.TOWNSHIP_CENTER]}
    assert entry.after == {"roles": [Role.VILLAGE_CENTER]}
    # Setting the same roles again changes nothing and ends nothing.
    assert not logins.set_user_roles(user=user, roles=[Role.objects.get(code=Role.VILLAGE_CENTER)], actor=admin)
    assert client.get(HOME).status_code == 200


def test_a_role_change_in_the_admin_ends_the_users_sessions(client, world):
    user = world.user(Role.GRID_WORKER)
    worker = Client()
    login(worker, user.username)
    admin = world.user(Role.SYSADMIN)
    client.force_login(admin)
    url = reverse("admin:core_user_change", args=[user.pk])
    resp = client.post(
        url,
        {
            "username": user.username,
            "name": user.name,
            "org_unit": user.org_unit_id,
            "roles": [Role.objects.get(code=Role.VILLAGE_CENTER).pk],
            "grids": [g.pk for g in user.grids.all()],
            "is_active": "on",
            "must_change_password": "",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert worker.get(HOME)["Location"].startswith(LOGIN)
    assert AuditEntry.objects.filter(action="role_change", actor_username=admin.username).exists()


def test_sysadmin_and_auditor_roles_are_never_combined():
    check_separation_of_duties([Role.SYSADMIN])
    check_separation_of_duties([Role.TOWNSHIP_CENTER, "mediator"])
    with pytest.raises(ValidationError, match="三员分立"):
        check_separation_of_duties([Role.SYSADMIN, Role.AUDITOR])
    with pytest.raises(ValidationError, match="审计员"):
        check_separation_of_duties([Role.AUDITOR, Role.CITY_OFFICE])


# ---- headers --------------------------------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    resp = client.get(HOME)
    csp = {d.split()[0]: d.split()[1:] for d in resp["Content-Security-Policy"].split("; ")}
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in resp["Content-Security-Policy"]
    assert resp["X-Frame-Options"] == "DENY"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Referrer-Policy"] == "same-origin"
    assert "camera=()" in resp["Permissions-Policy"]
    assert "no-store" in resp["Cache-Control"]
    assert resp["X-Request-ID"]
    assert "<script>" not in resp.content.decode()  # no inline scripts in our templates


def test_an_api_answer_carries_the_policy_and_a_changed_policy_applies_at_once(client, world, settings):
    """The policy of a response no view changes is built once per process (core.cspheaders)."""
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(HOME)["Content-Security-Policy"]
    assert client.get("/api/v1/me/")["Content-Security-Policy"] == page
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}}
    directives = set(client.get("/api/v1/me/")["Content-Security-Policy"].split("; "))
    assert directives == {"default-src 'self'", "img-src 'self' data:"}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}, "EXCLUDE_URL_PREFIXES": ["/api/"]}
    assert "Content-Security-Policy" not in client.get("/api/v1/me/")


def test_the_login_page_has_the_policy_too(client, db):
    resp = client.get(LOGIN)
    assert "script-src 'self'" in resp["Content-Security-Policy"]


def test_the_api_docs_page_relaxes_styles_only(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    resp = client.get(reverse("api-docs"))
    assert resp.status_code == 200
    policy = resp["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "<script>" not in resp.content.decode()  # the start-up script is a separate file
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_a_business_user_who_bound_an_authenticator_must_use_it(client, world):
    user = world.user(Role.GRID_WORKER)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, user.username)
    assert client.get(HOME)["Location"].startswith(reverse("core:otp_verify"))


def test_the_sysadmin_resets_a_lost_authenticator_without_seeing_its_secret(client, world):
    user = world.user(Role.AUDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    admin = world.user(Role.SYSADMIN)
    client.force_login(admin)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    resp = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert resp.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.get(action="delete", object_type="otp_totp.totpdevice")
    assert entry.actor_username == admin.username
    assert "key" not in entry.before
