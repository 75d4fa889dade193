"""schemathesis over every operation of the OpenAPI schema, in process, with a real token
of the city office manager (who may read and write everything): no request it makes gets
a server error, an undocumented status, or a response that breaks the schema."""

import types

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from taizhang.api import tokens
from taizhang.audit.services import Actor
from taizhang.testing import build_ledger, build_small_ningbo, build_work
from taizhang.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def secret(db, settings):
    settings.AXES_ENABLED = False
    cache.clear()  # the request-rate counts
    place = types.SimpleNamespace()
    build_small_ningbo(place)
    build_ledger(place)
    build_work(place)
    # The requests run in this test's transaction: like Django's test client, keep the
    # handler from closing the connection after each one.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield tokens.create_token(Actor.web(place.alice), name="fuzz", read_only=False)[1]
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, secret):
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
