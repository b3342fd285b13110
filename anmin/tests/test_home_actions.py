"""The home page opens with the role's few big actions: a grid worker reaches 上报事件 in one tap."""

from __future__ import annotations

from django.urls import reverse

from anmin.core.models import Role


def _home(client, user) -> str:
    client.force_login(user)
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 200
    return resp.content.decode()


def test_a_grid_worker_reaches_the_report_form_in_one_tap_from_home(client, world):
    html = _home(client, world.user(Role.GRID_WORKER))
    first = html.index('data-quick="grid_report"')
    assert 'href="/grid/report/"' in html[first - 200:first + 200]
    assert 'data-quick="dispute_report"' in html
    assert first < html.index('class="card')  # before every card
    resp = client.get("/grid/report/")
    assert resp.status_code == 200


def test_roles_without_those_writes_get_no_big_buttons(client, world):
    assert "quick-actions" not in _home(client, world.user(Role.AUDITOR))
    assert "quick-actions" not in _home(client, world.user(Role.LEADER))
