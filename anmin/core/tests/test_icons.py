"""Menu icons come from the vendored SVG sprite, not from emoji a Linux desktop may not have."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from anmin.core.icons import EXTRA, ICONS, SPRITE, icon_name
from anmin.core.models import Role
from anmin.core.registry import menu, quick_actions

SPRITE_FILE = Path(settings.BASE_DIR) / "core" / "static" / SPRITE


def symbols() -> set[str]:
    return set(re.findall(r'<symbol id="([^"]+)"', SPRITE_FILE.read_text(encoding="utf-8")))


def test_every_icon_name_is_in_the_sprite():
    missing = (set(ICONS.values()) | set(EXTRA)) - symbols()
    assert not missing, f"run tools/vendor_icons.py: {sorted(missing)} are not in the sprite"


def test_every_registered_menu_icon_resolves_to_a_drawn_icon():
    """An app's menu icon is a Lucide name in anmin/core/icons.py or a symbol mapped there — never a
    character that falls back to the dot (add it to ICONS or EXTRA, then run tools/vendor_icons.py)."""
    unmapped = [(item.key, item.icon) for item in [*menu, *quick_actions]
                if item.icon != "•" and icon_name(item.icon) == "dot"]
    assert not unmapped


def test_the_menu_draws_svg_icons_and_no_alarm_clock_emoji(client, world):
    client.force_login(world.user(Role.CITY_OFFICE))
    html = client.get(reverse("core:home")).content.decode()
    assert 'class="icon"' in html
    assert "lucide-sprite-1.62.0.svg#" in html
    assert "⏰" not in html
