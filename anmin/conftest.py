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


def pytest_configure(config):
    from django.conf import settings

    # Tests create many accounts; a slow password hash only slows them down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
