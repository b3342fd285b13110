"""The API router's patterns grouped by prefix (anmin.api.grouped_by_prefix): every route still
resolves to its own view, reverses to the same address, and the schema names no group."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from anmin.api import build_router, grouped_by_prefix


def test_every_route_resolves_and_reverses_as_the_routers_own_patterns():
    router = build_router()
    assert len(grouped_by_prefix(router)) < len(router.urls) / 4  # the point: few patterns to walk
    checked = 0
    for pattern in router.urls:
        if not pattern.name or "format" in str(pattern.pattern):
            continue
        kwargs = {name: "7" if name == "pk" else "411081106202" for name in pattern.pattern.regex.groupindex}
        path = reverse(pattern.name, kwargs=kwargs)
        assert path.startswith("/api/v1/")
        match = resolve(path)
        assert match.url_name == pattern.name, path
        assert match.func.cls is pattern.callback.cls
        checked += 1
    assert checked > 80
    assert resolve("/api/v1/grid-events.json").kwargs == {"format": "json"}
    assert resolve("/api/v1/").url_name == "api-root"


@pytest.mark.django_db
def test_the_schema_paths_are_the_routers(client, world):
    from anmin.core.models import Role

    client.force_login(world.user(Role.CITY_OFFICE))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/grid-events/" in schema["paths"]
    assert "/api/v1/grid-events/{id}/" in schema["paths"]
    assert not [p for p in schema["paths"] if "{var}" in p or "(?" in p]
