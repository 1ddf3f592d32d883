"""Hostile input against the whole API: schemathesis generates requests for every operation of
the OpenAPI spec (valid ones, and invalid ones), authenticated with the token of a user who
holds a broad role on a small tree. No request may cause a server error, and every response
must match the schema. Operations the other apps add are covered automatically (one test per
operation, so xdist spreads them); the numbers tested appear in the test summary."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from giamsat.accounts.api_auth import issue_token
from giamsat.accounts.roles import Role
from giamsat.audit.context import acting_as
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.units.services import rename_unit
from tests.factories import make_user

# Examples per operation: valid and invalid input (raise them for a deeper run).
VALID = int(os.environ.get("GIAMSAT_SCHEMATHESIS_VALID", "20"))
INVALID = int(os.environ.get("GIAMSAT_SCHEMATHESIS_INVALID", "15"))


def _settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def load_schema():
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


# Loaded at collection (no database needed): one test per operation of the spec.
OPERATIONS = {
    f"{op.method.upper()} {op.path}": op
    for op in (r.ok() for r in load_schema().get_all_operations())
}


@pytest.fixture
def keep_test_connection():
    """The real WSGI handler closes database connections after each request (Django's test
    client avoids it): keep the test's connection, and its transaction, open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(tree, members, keep_test_connection):
    """A system administrator's token (every capability) over the small tree, with audit rows."""
    admin = make_user(Role.SYSTEM_ADMIN, tree.central, username="api_admin")
    record_access(actor=admin, kind=AccessKind.READ, obj=tree.ward_a)
    with acting_as(admin):
        rename_unit(unit=tree.ward_b, name="Phường B", date=dt.date(2025, 7, 1))
    _token, clear = issue_token(user=admin, name="schemathesis")
    return clear


def test_the_spec_lists_operations():
    assert OPERATIONS, "the OpenAPI spec lists no operation"


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_operation_survives_generated_input(label, api_token, record_property):
    operation = OPERATIONS[label]
    headers = {"Authorization": f"Bearer {api_token}"}
    sent = {"n": 0}

    @_settings(VALID)
    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    def valid(case):
        sent["n"] += 1
        response = case.call(headers=headers)
        case.validate_response(
            response,
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
        )

    @_settings(INVALID)
    @given(case=operation.as_strategy(GenerationMode.NEGATIVE))
    def invalid(case):
        sent["n"] += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])

    valid()
    invalid()
    record_property("giamsat_count", ("schemathesis: API operations tested", 1))
    record_property(
        "giamsat_count", ("schemathesis: generated requests, 0 server errors", sent["n"])
    )


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_operation_refuses_anonymous_callers(label, db):
    """No operation answers without credentials (401), whatever app added it."""
    operation = OPERATIONS[label]
    path = re.sub(r"\{[^}]+\}", "1", operation.path)
    response = getattr(Client(), operation.method.lower())(path)
    assert response.status_code == 401, (label, response.status_code)
