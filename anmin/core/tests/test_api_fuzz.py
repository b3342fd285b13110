"""Schemathesis (pinned in pyproject) against the OpenAPI schema, in-process, for every role that can
hold an API token (every registered role: the privileged ones exchange theirs with a TOTP device,
which the world gives them): every operation, positive and negative examples, all checks.

Any 5xx, any answer that does not match the schema (an undeclared status, a null where the schema
says string, a missing required field, an error that is not JSON in the one shape) fails the test.
A fixed seed (derandomize) and ``ANMIN_FUZZ_EXAMPLES`` examples per operation in the fuzzing phase
(default 2 for every role; the coverage phase, run as the city office,
adds every boundary case the schema defines) and the roles beyond the city, township and grid worker
taking the operations in turn (below) keep it to a few minutes on two cores; it runs in the
PostgreSQL pass of ``make test``.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.renderers import JSONRenderer
from schemathesis.config import SchemathesisConfig

from anmin.core.models import Role
from anmin.core.roles import role_defs

EXAMPLES = int(os.environ.get("ANMIN_FUZZ_EXAMPLES", "2"))
# ANMIN_FUZZ_SEED=<n>: other requests than the fixed seed's (schemathesis's seed wins over derandomize;
# the coverage phase's boundaries are the same whatever the seed).
SEED = int(os.environ["ANMIN_FUZZ_SEED"]) if os.environ.get("ANMIN_FUZZ_SEED") else None
# The coverage phase (every boundary the schema defines) dominates the time; one database is enough
# for it: the run on PostgreSQL fuzzes, the SQLite run skips (ANMIN_FUZZ_SQLITE=1 to force it) — the
# whole module, before the schema is generated: collecting its cases costs a test process ~10 s.
if "postgresql" not in django_settings.DATABASES["default"]["ENGINE"] and not os.environ.get("ANMIN_FUZZ_SQLITE"):
    pytest.skip("fuzzed in the PostgreSQL pass of make test", allow_module_level=True)

# Every registered role may hold a token (core.api.TokenView; a privileged one with its TOTP).
ALL_ROLES = tuple(r.code for r in role_defs())
# ANMIN_FUZZ_ROLES=police,leader fuzzes those roles only, each on every operation (a run while fixing
# one role's answers).
ROLES = tuple(r for r in os.environ.get("ANMIN_FUZZ_ROLES", ",".join(ALL_ROLES)).split(",") if r)
_raw = json.loads(JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
# Every check runs. One is told what the schema cannot say: a request valid by the schema may still
# be refused for a business rule (a region outside the caller's jurisdiction, an id that does not
# exist, a step not allowed now) — with 400/422, in the one error shape; never with a 5xx.
# The body-size limit (413, declared for every operation) is one more thing the schema cannot say: a
# batch of the most items with the longest strings is valid by the schema and still over the limit.
CHECKS = {
    "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "413", "422",
                                                       "429"]},
    "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413",
                                                      "415", "422", "428", "429"]}}
# The coverage phase (every boundary of every parameter, every unexpected method) costs about twenty
# times the rest and depends on the schema, not the caller: it runs once, as the city office, who may
# call everything. The other roles get the examples and the generated positive and negative requests,
# where what differs by role (jurisdiction, permissions, assignment) shows.
# It is the larger part of the PostgreSQL pass (about 8 of its CPU-minutes): `make test` must stay under
# 15 minutes on a slow 2-core machine (18 min with it, eleventh session), so it runs when asked —
# ANMIN_FUZZ_COVERAGE=1 as the city office, ANMIN_FUZZ_COVERAGE_ALL=1 as every role (a nightly run);
# without it the city office fuzzes operations in turn with the other roles.
COVERAGE_ROLES = ROLES if os.environ.get("ANMIN_FUZZ_COVERAGE_ALL") else tuple(
    r for r in ROLES if r == Role.CITY_OFFICE and os.environ.get("ANMIN_FUZZ_COVERAGE"))
# The township and the grid worker, whose writes reach furthest, fuzz every operation. The other roles
# (village, police, department, mediator, 扫黑办, the read-only leader, and the system administrator
# and auditor, who see no business data) take the operations in turn — each operation fuzzed as one
# of them, ~1 min instead of ~9 on two cores; ANMIN_FUZZ_ALL_ROLES=1 (or a role list, or the nightly
# ANMIN_FUZZ_COVERAGE_ALL) gives each of them every operation.
# The city office, who sees everything, fuzzed every operation at four times the others' cost (its lists
# are the city's): it takes the operations in turn with the others (ANMIN_FUZZ_ALL_ROLES=1 for all).
EVERY_OPERATION = (Role.TOWNSHIP_CENTER, Role.GRID_WORKER)
ALL_EVERYWHERE = any(os.environ.get(v) for v in ("ANMIN_FUZZ_ALL_ROLES", "ANMIN_FUZZ_COVERAGE_ALL",
                                                   "ANMIN_FUZZ_ROLES"))
OTHER_ROLES = tuple(r for r in ROLES if r not in COVERAGE_ROLES and (ALL_EVERYWHERE or r in EVERY_OPERATION))
IN_TURN = tuple(r for r in ROLES if r not in COVERAGE_ROLES and r not in OTHER_ROLES)
OPERATIONS = sorted(f"{method.upper()} {path}" for path, item in _raw["paths"].items() for method in item
                    if method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"))
APP = get_wsgi_application()


def _schema(*, coverage: bool):
    config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": coverage}}, "checks": CHECKS}
                                          | ({"seed": SEED} if SEED is not None else {}))
    loaded = schemathesis.openapi.from_dict(_raw, config=config)
    loaded.app = APP
    return loaded


schema = _schema(coverage=True)
schema_without_coverage = _schema(coverage=False)
# The token exchange is fuzzed without a token; everything else with the role's token.


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker):
    """One world for the whole module (rolled back at its end), a token per role."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from anmin.core import tokens
    from anmin.core.tests.factories import build_world

    # Like Django's test client: the requests run inside the test's transaction, which the WSGI
    # handler's end-of-request connection tidy-up would otherwise close.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        from anmin.core.codes import load_code_tables

        load_code_tables()
        world = build_world()
        keys = {}
        for role in ROLES:
            user = world.user(role)
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
            if user.is_privileged:  # as in production: no token without a bound authenticator
                TOTPDevice.objects.create(user=user, name="fuzz", confirmed=True)
            keys[role] = tokens.issue(user=user)[1]
        yield keys
        transaction.set_rollback(True)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _call(case, role, keys):
    # The WSGI client does not unzip: ask for the body as it is (gzip is core.middleware's, tested there).
    headers = {"Authorization": f"Token {keys[role]}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers)


@pytest.mark.parametrize("role", COVERAGE_ROLES)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_as_its_schema_says(case, role, api_world, db):
    _call(case, role, api_world)


@pytest.mark.parametrize("role", OTHER_ROLES)
@schema_without_coverage.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_role_as_its_schema_says(case, role, api_world, db):
    _call(case, role, api_world)


@pytest.mark.skipif(not IN_TURN, reason="every role fuzzes every operation")
@schema_without_coverage.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_the_other_roles_in_turn_as_its_schema_says(case, api_world, db):
    role = IN_TURN[OPERATIONS.index(case.operation.label) % len(IN_TURN)]
    try:
        _call(case, role, api_world)
    except Exception as exc:
        exc.add_note(f"as {role}")
        raise
