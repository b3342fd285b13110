"""The page scripts' messages (issue 17, docs/offline.md): served in the user's language from the
djangojs catalogue as a script file (no inline script), cacheable and kept by the service worker; a
Chinese page (the source language) loads none. Text answers go out gzipped, files as they are."""

from __future__ import annotations

import gzip

import pytest

from anmin.core.models import Role
from anmin.core.views import jsi18n

pytestmark = pytest.mark.django_db


def test_an_english_page_loads_the_catalogue_with_the_queue_and_status_messages(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    client.cookies["django_language"] = "en"
    page = client.get("/offline/").content.decode()
    url = jsi18n.catalog_url("en")
    assert f'<script src="{url}" defer></script>' in page.replace("&amp;", "&")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "immutable" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers  # the same answer for everyone: no session touched
    assert response.cookies == {} or "sessionid" not in response.cookies
    script = response.content.decode()
    for english in ("items to upload", "Waiting to upload", "Upload again", "Could not get the position"):
        assert english in script
    # The service worker keeps it with the shell, for a page opened with no network.
    assert url in client.get("/sw.js").content.decode()


def test_a_chinese_page_loads_no_catalogue_and_unknown_languages_are_not_found(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    page = client.get("/offline/").content.decode()
    assert "/jsi18n/" not in page  # the scripts carry the Chinese source strings themselves
    assert client.get("/jsi18n/fr.js").status_code == 404
    assert "no-cache" in client.get("/jsi18n/en.js?v=old").headers["Cache-Control"]  # not a current version


def test_pages_are_gzipped_for_a_browser_that_accepts_it(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    plain = client.get("/offline/")
    packed = client.get("/offline/", headers={"accept-encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 2
    assert gzip.decompress(packed.content).decode().count("data-outbox-list") == 1
    # A file that is not text keeps its bytes and length (a photo, a spreadsheet is compressed already).
    icon = client.get("/static/anmin/icon-192.png", headers={"accept-encoding": "gzip"})
    assert icon.get("Content-Encoding") is None


def test_static_text_is_gzipped_outside_production_and_revalidates_with_a_304(client, db):
    """The demo's WhiteNoise serves the apps' files as they are (no compressed copies: those are
    made by production's collectstatic): the chart library went out as 1.1 MB to a phone."""
    url = "/static/analytics/vendor/echarts-6.1.0-anmin.min.js"
    plain = client.get(url)
    size = int(plain["Content-Length"])
    packed = client.get(url, headers={"accept-encoding": "gzip"})
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    body = b"".join(packed.streaming_content)
    assert len(body) < size / 2
    assert len(gzip.decompress(body)) == size
    assert "ETag" not in packed  # a weakened one never matched WhiteNoise's again
    again = client.get(url, headers={"accept-encoding": "gzip", "if-modified-since": packed["Last-Modified"]})
    assert again.status_code == 304
    assert again.get("Content-Encoding") is None
    part = client.get(url, headers={"accept-encoding": "gzip", "range": "bytes=0-99"})
    assert part.status_code == 206  # a range: as it is
    assert part.get("Content-Encoding") is None
    assert client.head(url, headers={"accept-encoding": "gzip"}).get("Content-Encoding") is None
    sprite = client.get("/static/anmin/vendor/lucide-sprite-1.62.0.svg", headers={"accept-encoding": "gzip"})
    assert sprite["Content-Encoding"] == "gzip"
