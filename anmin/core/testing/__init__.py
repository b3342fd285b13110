"""Test support shared by every app (imported by the root conftest only)."""
