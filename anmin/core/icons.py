"""Menu and button icons: a vendored SVG sprite (Lucide, ISC) instead of emoji, which Linux office
desktops (UOS, 麒麟) often lack — "⏰" showed as a box there.

A ``MenuItem.icon`` is a Lucide icon name ("alarm-clock") or one of the symbols the apps used before
(mapped below); anything else shows a dot. ``tools/vendor_icons.py`` builds the sprite from the names
listed here.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.templatetags.static import static

SPRITE = "anmin/vendor/lucide-sprite-1.62.0.svg"

ICONS = {
    "⌂": "house", "▦": "map", "⚑": "flag", "⚙": "settings", "☷": "scroll-text", "⇄": "arrow-left-right",
    "☺": "user-round", "✓": "list-checks", "☰": "list", "＋": "circle-plus", "+": "circle-plus",
    "◎": "target", "⚖": "scale", "⏰": "alarm-clock", "✚": "heart-pulse", "⚠": "triangle-alert",
    "¥": "banknote", "!": "siren", "✎": "pencil-line", "•": "dot", "❏": "folder-open", "▣": "monitor",
    "☎": "phone", "✉": "mail", "⚐": "flag-triangle-right", "★": "star", "☂": "umbrella", "⛨": "shield",
    "◷": "clock", "◆": "search-check", "▲": "network",
    "◉": "cctv", "☖": "handshake", "≡": "train-track", "≈": "waves", "♡": "heart-handshake",
    "●": "user-round-search", "◇": "landmark", "☑": "clipboard-check",
    "▤": "table", "⊕": "map-pin", "✔": "circle-check", "⚕": "stethoscope", "⚡": "zap",
}
# Names used directly by apps (not through a legacy symbol).
EXTRA = (
    "shield-alert", "camera", "footprints", "school", "waves", "train-track", "award", "megaphone",
    "landmark", "file-text", "printer", "chart-column", "gauge", "bell", "search", "users", "building-2",
    "car", "brain", "badge-check", "siren", "scan-eye", "hand-coins", "gavel", "eye",
)


def icon_name(icon: str) -> str:
    icon = (icon or "").strip()
    if icon in ICONS:
        return ICONS[icon]
    if icon and icon.replace("-", "").isalnum() and icon.isascii() and icon.islower():
        return icon if icon in EXTRA or icon in ICONS.values() else "dot"
    return "dot"


def sprite_url() -> str:
    return _sprite_url(settings.STATIC_URL)


@lru_cache(maxsize=4)
def _sprite_url(_static_url: str) -> str:
    # A page draws fifty icons; the sprite's (hashed) address is looked up once per process.
    return static(SPRITE)
