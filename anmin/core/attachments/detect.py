"""What a file is, from its first bytes ("magic numbers") — never from the name or the Content-Type
the client sent. A ZIP is only a candidate Office file: ``office.py`` decides which one, if any."""

from __future__ import annotations


def sniff(head: bytes) -> str | None:
    """"jpeg", "png", "webp", "pdf", "zip" or None (not a kind we take)."""
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    return None
