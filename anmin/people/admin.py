"""The people registers are never in the admin (三员分立: the administrator sees no business data)."""
