"""Fixtures shared with the people tests (the ledger uploads directory)."""

from anmin.people.tests.test_importers import uploads  # noqa: F401
