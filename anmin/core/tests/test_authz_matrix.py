"""The authorization matrix: every URL of the platform × every role × where the object lies.

For each URL pattern in the project:
  * a view listed in EXEMPT (with the reason) is skipped;
  * any other view must fetch through ``visible_to`` (``ScopedMixin`` for pages,
    ``ScopedViewSetMixin`` for the API) and its model must have a sample in some app's
    ``tests/scope_samples.py``; otherwise this test fails, so an unscoped endpoint cannot slip in.
Then objects are made in three places relative to 古城镇 — inside it (own), in the neighbouring
township 无梁镇 (neighbour), and at city level (parent) — and each role's user requests the detail
URL (expect 200 or 404) and the list URL (expect the object listed or not); a POST to the detail
URL of an object the role cannot see must find nothing either (404; 405 where the route takes no
POST). A page gated by a
permission (``required_perm``, e.g. the audit log, or a form on a record such as an organisation's
变更诉讼阶段) is absent — 404, list and detail routes alike — for a role without it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import connection  # noqa: F401 (read by the skipif condition below)
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import RedirectView

from anmin.core.api import ScopedViewSetMixin
from anmin.core.models import Role
from anmin.core.roles import role_defs
from anmin.core.testing.expect import reference
from anmin.core.views.base import ScopedMixin

# URL name (namespaced) or route prefix → why it needs no scoping.
EXEMPT: dict[str, str] = {
    "core:login": "public login page",
    "core:healthz": "liveness probe: no data",
    "core:readyz": "readiness probe: only the state of the database, the worker and the scheduler",
    "core:logout": "ends the caller's own session",
    "core:service_worker": "the service worker: addresses of static files only",
    "core:jsi18n": "the page scripts' message catalogue: translations of the UI, no business data",
    "core:offline": "the offline workbench: no records in its HTML (drawn on the phone from its own store)",
    "core:offline_data": "every list starts at visible_to(user); anmin/tests/test_offline_data.py checks it",
    "core:home": "widgets fetch their figures through visible_to",
    "core:profile": "the caller's own account",
    "core:password_change": "changes the caller's own password",
    "core:otp_setup": "binds the caller's own TOTP authenticator",
    "core:otp_verify": "the caller's own second login step",
    "core:token_revoke": "revokes one of the caller's own API tokens (looked up with user=request.user)",
    "core:account_list": "账号管理: accounts through core.actions.manageable_users (area, roles below one's own); "
                         "404 without core.manage_accounts (core/tests/test_accounts.py)",
    "core:account_create": "账号管理: units, roles and grids offered and checked by core.actions (test_accounts.py)",
    "core:account_detail": "账号管理: one account through core.actions.manageable_users, else 404 (test_accounts.py)",
    "set_language": "language switch",
    "favicon": "a redirect to the site's icon",
    "api-token": "exchanges the caller's own credentials for a token",
    "api-me": "the caller's own account",
    "api-schema": "the API description, no records",
    "api-docs": "the API description page, no records",
    "api-root": "links to the API endpoints, no records",
    "admin:": "system administration; staff only and no business model is registered there",
    "antifraud-check-list": "the public fraud check: answers known/unknown for one number, account or link, "
                            "reads no personal data (anmin.antifraud.actions.public_check)",
    "analytics:dashboard": "figures of the viewer's own area, each computed through visible_to (KPIs, cases)",
    "analytics:dashboard_data": "the same figures as JSON for the 大屏",
    "analytics:bigscreen": "the 大屏 page; its data comes from analytics:dashboard_data",
    "analytics:map": "the map page; its layers come from analytics:map_layer",
    "analytics:map_layer": "points of records the viewer sees (Case.objects.visible_to)",
    "analytics:map_heat": "a KPI per sub-area of the viewer's own area, computed through visible_to",
    "analytics:tile": "basemap tiles of an offline installation (no records)",
    "core:document": "a 文书 of a record fetched through its model's visible_to (core.documents.service.target)",
    "core:document_templates": "the city office's templates of 文书: configuration, no records",
    "core:document_template": "downloads a 文书 template: configuration, no records",
    "portal:": "the public portal: no login; shows public services and what the visitor's own receipt code names",
    "crackdown:tip_unlock": "the 扫黑办's own tip key (permission crackdown.change_clue); reads no record",
    "crackdown:tip_lock": "forgets the caller's own unlocked tip key (session and cookie)",
    "crackdown:tip_key": "the 扫黑办's tip key pair (permission crackdown.change_clue); shows fingerprints only",
    "crackdown:tip_file": "a tip's file through crackdown.read_tip_file, which checks the clue via Clue visible_to",
    "workflow:coverage_gaps": "the coverage rules' gaps: each rule counts its model through visible_to and the "
                              "places through Region.visible_to (workflow.kit.coverage)",
    "analytics:report_file": "a report's file; the report is fetched through visible_to (analytics/tests)",
}

PLACEMENTS = ("own", "neighbour", "parent")

# Who sees reference data (the region tree, org units) placed in each position: by rule
# (anmin.core.testing.expect): every role with business data sees its unit's area.
REFERENCE_EXPECTED = reference


def all_roles() -> tuple[str, ...]:
    """Every registered role: the foundation's and the domains'."""
    return tuple(r.code for r in role_defs())


def iter_urls(resolver=None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from iter_urls(p, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name or ''}", p


def view_class(pattern: URLPattern):
    cb = pattern.callback
    return getattr(cb, "view_class", None) or getattr(cb, "cls", None)


def is_exempt(name: str) -> bool:
    return any(name == key or (key.endswith(":") and name.startswith(key)) for key in EXEMPT)


def load_samples() -> dict:
    samples: dict = {}
    for cfg in apps.get_app_configs():
        if not cfg.name.startswith("anmin."):
            continue
        try:
            mod = importlib.import_module(f"{cfg.name}.tests.scope_samples")
        except ModuleNotFoundError:
            continue
        samples.update(mod.SAMPLES)
    return samples


def create_routes():
    """Pages that only create a record (``scoped_create = "<app.add_perm>"``): they show no records,
    and answer 404 to every role without the add permission."""
    out = []
    for name, pattern in iter_urls():
        cls = view_class(pattern)
        if cls is not None and getattr(cls, "scoped_create", None) and not is_exempt(name):
            out.append((name, cls.scoped_create))
    return out


def scoped_routes():
    """(name, pattern, view class, model) for every non-exempt URL; fails on unscoped ones."""
    routes, unscoped = [], []
    for name, pattern in iter_urls():
        if is_exempt(name) or "format" in pattern.pattern.regex.groupindex:
            continue
        cls = view_class(pattern)
        if cls is not None and getattr(cls, "scoped_create", None):
            continue
        if cls is not None and issubclass(cls, RedirectView):
            continue  # an address that moved: it shows nothing, the page it points to is walked itself
        if cls is None or not issubclass(cls, ScopedMixin | ScopedViewSetMixin):
            unscoped.append(name or str(pattern.pattern))
            continue
        routes.append((name, pattern, cls, cls.model))
    return routes, unscoped


def test_every_url_is_scoped_or_exempt_with_a_reason():
    routes, unscoped = scoped_routes()
    assert not unscoped, f"views that neither fetch through visible_to nor are exempt: {unscoped}"
    assert routes, "no scoped routes found: the URL walk is broken"


def test_create_pages_answer_only_roles_that_may_create(client, world):
    failures = []
    routes = create_routes()
    for role in all_roles():
        user = world.user(role)
        client.force_login(user)
        for name, perm in routes:
            status = client.get(reverse(name)).status_code
            want = 200 if user.has_perm(perm) else 404
            if status != want:
                failures.append(f"{role} GET {reverse(name)}: {status}, expected {want}")
    assert not failures, "\n".join(failures)


def test_every_scoped_model_has_a_matrix_sample():
    routes, _ = scoped_routes()
    samples = load_samples()
    missing = sorted({m.__name__ for _, _, _, m in routes if m not in samples})
    assert not missing, f"add a sample to <app>/tests/scope_samples.py for: {missing}"


def expected_for(spec, role: str, world=None) -> set[str]:
    """A scope sample's expectation: a rule (``anmin.core.testing.expect``), "reference", or a dict of
    role code → placements (which must then name every registered role)."""
    if spec == "reference":
        spec = REFERENCE_EXPECTED
    if callable(spec):
        return spec(world, role)
    return spec[role]


def place(world, placement: str):
    return {"own": world.gc_grid, "neighbour": world.wl_grid, "parent": world.city}[placement]


# The matrix is every route × every role × three places: about two minutes of a test process a
# database. Its subject is the routes' scoping and permissions, the same code on either database; the
# scoping statements that differ by database (a township's prefix, LEFT on PostgreSQL, SUBSTR on
# SQLite) are tested on both in test_scoping and test_branchpage. It runs in the PostgreSQL pass
# (the production database); ANMIN_MATRIX_SQLITE=1 runs it on SQLite too.
ON_POSTGRES = pytest.mark.skipif(
    "connection.vendor != 'postgresql' and not os.environ.get('ANMIN_MATRIX_SQLITE')",
    reason="the full matrix runs in the PostgreSQL pass of make test")


# Three roles are the twins of others in what scopes their pages (leader: the city office's region,
# read-only, which test_create_pages_answer_only_roles_that_may_create and the action guards hold;
# auditor: the system administrator's nothing; police: a township centre's township; the 扫黑办: the
# city office's region, a unit of the city): by default the matrix walks the others,
# ANMIN_MATRIX_ALL_ROLES=1 every role (make test must stay under 15 minutes).
TWINS = () if os.environ.get("ANMIN_MATRIX_ALL_ROLES") else ("leader", "auditor", "police", "crackdown")


@ON_POSTGRES
@pytest.mark.parametrize("role", [r for r in all_roles() if r not in TWINS])
def test_matrix_detail_and_list_views(client, world, role):
    routes, _ = scoped_routes()
    samples = load_samples()
    objects = {}
    for model, (make, _spec) in samples.items():
        for placement in PLACEMENTS:
            objects[(model, placement)] = make(place(world, placement), world)
    failures, checked, posts_refused = [], 0, 0
    user = world.user(role)
    client.force_login(user)
    for name, pattern, cls, model in routes:
        _make, spec = samples[model]
        expected = expected_for(spec, role, world)
        gate = getattr(cls, "required_perm", None)
        if gate and not user.has_perm(gate):
            expected = set()  # a gated page (a form on a record: 变更诉讼阶段) is absent without its permission
        kwargs_names = set(pattern.pattern.regex.groupindex)
        if kwargs_names:  # a detail route: 200 where visible, 404 elsewhere
            for placement in PLACEMENTS:
                obj = objects[(model, placement)]
                checked += 1
                url = reverse(name, kwargs=dict.fromkeys(kwargs_names, obj.pk))
                status = client.get(url).status_code
                want = 200 if placement in expected else 404
                if status != want:
                    failures.append(f"{role} GET {url} ({placement}): {status}, expected {want}")
                if placement not in expected:
                    # Writing to a record one cannot see finds nothing either (405: the route takes no
                    # POST at all, which says nothing about the record).
                    status = client.post(url, {}).status_code
                    posts_refused += status == 404
                    if status not in (404, 405):
                        failures.append(f"{role} POST {url} ({placement}): {status}, expected 404")
            continue
        # A list route: each object must be listed exactly when visible.
        url = reverse(name)
        checked += len(PLACEMENTS)
        if gate and not user.has_perm(gate):
            status = client.get(url).status_code
            if status != 404:
                failures.append(f"{role} GET {url}: {status}, expected 404 (needs {gate})")
            continue
        resp = client.get(url, {"per_page": 500} if not name.startswith("api") else {"page_size": 1000})
        if resp.status_code != 200:
            failures.append(f"{role} GET {url}: {resp.status_code}, expected 200")
            continue
        for placement in PLACEMENTS:
            listed = _listed(resp, objects[(model, placement)])
            if listed != (placement in expected):
                failures.append(f"{role} GET {url} ({placement}): listed={listed}")
    assert not failures, "\n".join(failures)
    assert checked == len(PLACEMENTS) * len(routes)
    assert posts_refused, "no route took a POST: the write half of the matrix checked nothing"


def _listed(resp, obj) -> bool:
    if resp["Content-Type"].startswith("application/json"):
        data = resp.json()
        rows = data["results"] if isinstance(data, dict) else data
        return any(str(obj.pk) in (str(r.get("id")), str(r.get("code"))) for r in rows)
    return obj.get_absolute_url() in resp.content.decode()


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.AUDITOR])
def test_no_business_model_is_in_the_admin(role):
    from django.contrib import admin

    from anmin.core.scoping import ScopedQuerySet

    for model in admin.site._registry:
        qs = model._default_manager.all()
        if isinstance(qs, ScopedQuerySet):
            assert model.scope.reference_data, f"{model.__name__} holds business data and must not be in the admin"
