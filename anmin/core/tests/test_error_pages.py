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
