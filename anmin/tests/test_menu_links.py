"""Every link of a role's left menu opens for that role: a link shown to someone who then gets a 404
(the gap list for a department or a mediator, who may read none of its rules) is a dead end."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from anmin.core.models import Role

pytestmark = pytest.mark.django_db


def test_every_menu_link_a_role_is_shown_opens(world):
    checked = 0
    for role in sorted(world.users):
        user = world.user(role)
        client = Client()
        client.force_login(user)
        home = client.get("/")
        if home.status_code != 200:
            continue  # a role that must first set up a second factor or a password: not its menu yet
        links = re.findall(r'<a href="([^"]+)" class="(?:active)?" data-menu="', home.content.decode())
        for url in links:
            resp = client.get(url)
            assert resp.status_code in (200, 302), (role, url, resp.status_code)
            checked += 1
    assert checked > 20
    assert Role.GRID_WORKER in world.users
