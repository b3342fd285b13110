"""Production settings: ``manage.py check --deploy`` reports nothing, and the demo's relaxations
cannot be switched on."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[3]
MANAGE = PROJECT / "manage.py"


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ANMIN_")
        and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "anmin.settings"),
        ANMIN_ENV="production",
        ANMIN_SECRET_KEY=secrets.token_urlsafe(64),
        ANMIN_ALLOWED_HOSTS="anmin.example.gov.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        ANMIN_VAR_DIR=str(tmp_path),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MANAGE), *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issues_with_production_settings(tmp_path):
    env = production_env(tmp_path)
    # A production deployment has its data key ring (docs/security-protected-data.md).
    keys = manage(env, "keys", "init")
    assert keys.returncode == 0, keys.stdout + keys.stderr
    result = manage(env, "check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # The check connects as the cluster's superuser (to the maintenance database, which has no Anmin
    # tables): the one thing it may and must say is that a superuser could switch the audit log's
    # guards off (core/deploy_checks.py).
    assert "System check identified 1 issue" in output, output
    assert "anmin.deploy.W101" in output


def test_production_settings_switch_the_demo_relaxations_off(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ANMIN_DEMO_RELAXED, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = manage(production_env(tmp_path), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "False", "True", "True", "True"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"ANMIN_DEMO_RELAXED": "1"}, "ANMIN_DEMO_RELAXED"),
        ({"ANMIN_SECRET_KEY": ""}, "ANMIN_SECRET_KEY"),
    ],
)
def test_production_settings_refuse_to_start_unsafely(tmp_path, extra, message):
    result = manage(production_env(tmp_path, **extra), "check")
    assert result.returncode != 0
    assert message in result.stderr
