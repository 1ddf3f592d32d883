"""Who django-auditlog records as the actor of a change.

In a web request ``auditlog.middleware.AuditlogMiddleware`` records ``request.user``. Two cases
need help: API calls with a bearer token (the user is known only once the API authenticates,
after the middleware ran: ``set_request_actor``), and services run outside a request — commands,
imports, scheduled jobs — which wrap their work in ``acting_as(acting_user)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor


def set_request_actor(user) -> None:
    """Make ``user`` the actor of the changes made in the rest of the current request."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = user


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Record ``user`` as the actor of every change made inside the block.

    Nests correctly inside a request (auditlog's own ``set_actor`` does not restore the outer
    context when it exits).
    """
    # The context of a request that ended long ago may still be there: take nothing from it
    # (no address: a command has none).
    previous = auditlog_value.get(None)
    with set_actor(user):
        yield
    if previous is not None:
        auditlog_value.set(previous)
