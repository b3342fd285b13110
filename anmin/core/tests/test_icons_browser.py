"""The icons are drawn as Lucide draws them — outlines in the text's colour — in a real browser.

The sprite's root ``<svg>`` carries ``fill="none" stroke="currentColor"``, but a ``<use>`` of a symbol
inherits from the page's ``<svg>``, not from the sprite's root: without the stroke set on ``svg.icon``
every icon was a filled black blob (上报事件 a black disc on the blue button, the menu a column of dots)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from anmin.conftest import login
from anmin.core.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def dark_share(png: bytes) -> float:
    image = Image.open(io.BytesIO(png)).convert("L")
    pixels = image.tobytes()
    return sum(1 for p in pixels if p < 60) / len(pixels)


def test_the_home_page_icons_are_white_outlines_not_black_blobs(live_server, world, phone):
    login(phone, live_server, world.user(Role.GRID_WORKER).username)
    phone.goto(f"{live_server.url}/")
    icon = phone.locator("[data-quick=grid_report] svg.icon").first
    icon.wait_for()
    # The button is blue with white text; its icon is a white circled plus — no black at all.
    assert dark_share(icon.screenshot()) < 0.02
    style = icon.evaluate("e => { const s = getComputedStyle(e); return [s.fill, s.stroke]; }")
    assert style == ["none", "rgb(255, 255, 255)"]
