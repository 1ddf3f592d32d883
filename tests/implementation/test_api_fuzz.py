"""Generated requests to every implementation endpoint never cause a server error."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from giamsat.accounts.api_auth import issue_token
from giamsat.wsgi import application
from tests.implementation.factories import assign, make_directive

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def token(tree, office, directive, frozen):
    plan = make_directive(tree.city, number=41, issuer_code="TU", issued_on=dt.date(2021, 12, 10))
    assign(directive=directive, unit=tree.city, user=office, plan=plan)
    # Like Django's test client: keep the test's connection (and transaction) across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield issue_token(user=office, name="fuzz")[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.include(path_regex="/implementation/").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[schemathesis.checks.not_a_server_error],
    )
