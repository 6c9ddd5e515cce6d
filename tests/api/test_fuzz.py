"""A bounded fuzzing run (schemathesis, property-based) against the OpenAPI
schema the code generates: for every operation, a handful of generated
requests, anonymous and with a full-scope API key. No answer may be a
server error, and every answer must match the schema (status code, content
type, body). Bounded: FUZZ_EXAMPLES examples per operation, derandomized,
and the whole file under pytest-timeout's limit (well under 2 minutes)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

FUZZ_EXAMPLES = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema() -> dict:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


# The examples in the schema and generated cases; the coverage phase (every
# boundary of every parameter) and the stateful phase would take minutes.
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
schema = schemathesis.openapi.from_dict(_schema(), config=CONFIG)
schema.app = WSGIHandler()


@pytest.fixture
def fuzz_key(world, routed, make_key):
    """Data to find (a routed public ticket) and a key with every scope.
    Requests go through the WSGI handler in the test's own transaction, so
    the handler must not close the connection when a request ends (Django's
    test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    routed()
    _, key = make_key(
        "fuzzer",
        scopes=["file", "read_public", "read_own", "staff", "backfill"],
        office=world.office_a,
        user=world.officer_a,
    )
    yield key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.timeout(100)
@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_always_matches_its_schema(case, fuzz_key):
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {fuzz_key}"})
