"""Schemathesis (pinned in pyproject) against the OpenAPI schema, in-process, for the city,
township and grid-worker roles: every operation, positive and negative examples, all checks.

Any 5xx, any answer that does not match the schema (an undeclared status, a null where the schema
says string, a missing required field, an error that is not JSON in the one shape) fails the test.
A fixed seed (derandomize) and ``ANMIN_FUZZ_EXAMPLES`` examples per operation in the fuzzing phase
(default 2; the coverage phase adds every boundary case the schema defines) keep it to a few
minutes on two cores; it runs in the PostgreSQL pass of ``make test``.
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

ROLES = (Role.CITY_OFFICE, Role.TOWNSHIP_CENTER, Role.GRID_WORKER)
EXAMPLES = int(os.environ.get("ANMIN_FUZZ_EXAMPLES", "2"))
# The coverage phase (every boundary the schema defines) dominates the time; one database is enough
# for it: the run on PostgreSQL fuzzes, the SQLite run skips (ANMIN_FUZZ_SQLITE=1 to force it).
pytestmark = pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"] and not os.environ.get("ANMIN_FUZZ_SQLITE"),
    reason="fuzzed in the PostgreSQL pass of make test")

_raw = json.loads(JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
# Every check runs. One is told what the schema cannot say: a request valid by the schema may still
# be refused for a business rule (a region outside the caller's jurisdiction, an id that does not
# exist, a step not allowed now) — with 400/422, in the one error shape; never with a 5xx.
# The body-size limit (413, declared for every operation) is one more thing the schema cannot say: a
# batch of the most items with the longest strings is valid by the schema and still over the limit.
CONFIG = SchemathesisConfig.from_dict({"checks": {
    "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "413", "422",
                                                       "429"]},
    "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413",
                                                      "415", "422", "428", "429"]}}})
schema = schemathesis.openapi.from_dict(_raw, config=CONFIG)
schema.app = get_wsgi_application()
# The token exchange is fuzzed without a token; everything else with the role's token.


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker):
    """One world for the whole module (rolled back at its end), a token per role."""
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
        keys = {role: tokens.issue(user=world.user(role))[1] for role in ROLES}
        for role in ROLES:
            user = world.user(role)
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        yield keys
        transaction.set_rollback(True)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_as_its_schema_says(case, role, api_world, db):
    # The WSGI client does not unzip: ask for the body as it is (gzip is core.middleware's, tested there).
    headers = {"Authorization": f"Token {api_world[role]}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers)
