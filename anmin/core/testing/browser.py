"""Helpers of the real-browser tests (Playwright against the live server)."""

from __future__ import annotations

# The offline outbox's count as the page shows it ("0" when the badge is not drawn).
OUTBOX_COUNT = "(document.querySelector('[data-outbox-count]') || {}).dataset.outboxCount || '0'"


def poll(page, expression: str, expected, tries: int = 150, step: int = 100):
    """Evaluate until it equals ``expected`` (polled from here: the page's CSP forbids eval)."""
    value = None
    for _ in range(tries):
        value = page.evaluate(expression)
        if value == expected:
            return value
        page.wait_for_timeout(step)
    raise AssertionError(f"{expression} = {value!r}, expected {expected!r}")
