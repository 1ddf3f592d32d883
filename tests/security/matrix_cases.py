"""The cases of the permission matrix, generated from the URL resolver and the OpenAPI schema.

Every URL pattern (``get_resolver()`` walk) and every API operation (``giamsat.api.api``
OpenAPI schema) becomes a target; its parameters are filled from the fixture world
(``matrix_world``) by kind. A URL that is added later is covered automatically when its
parameters have known names; otherwise ``unclassified_targets`` lists it and the matrix test
fails until someone maps the parameter here or puts the URL on the reviewed allow-list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from giamsat.api import api

# --- the reviewed allow-lists -------------------------------------------------------------

# Public on purpose: anonymous visitors may get 200 (the content checks still apply).
PUBLIC = {
    "accounts:login": "the login form",
    "accounts:logout": "logging out needs no login",
    "core:healthz": "load-balancer health probe, says only 'ok'",
    "set_language": "Django's language switch (a redirect)",
    "hotline:home": "the citizens' hotline (anonymous petitions by design)",
    "hotline:status": "a petitioner follows a letter with the receipt key only",
    "hotline:follow_up": "a petitioner adds to a letter with the receipt key only",
    "api:openapi-json": "the API description (no data)",
    "api:openapi-view": "the API documentation page (no data)",
    "api:api-root": "ninja's root (404 for everyone)",
}

# Patterns not requested at all, each with the reason.
NOT_PARAMETERISABLE = {
    "admin:*": "Django admin: staff-only (is_staff), not role-scoped; covered by its own tests",
    "study:import_run": "the token is a per-upload random key kept in the uploader's session; "
    "the session parameter is still checked through study:import",
    "study:import_progress": "as study:import_run",
}

# --- how parameters are filled ------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    """A parameter that is not an object (a figure code, a format, an action name)."""

    value: str


# The kind of object behind ``pk`` in each namespace, and per-URL exceptions.
NAMESPACE_PK = {
    "units": "unit",
    "people": "person",
    "directives": "directive",
    "study": "study_session",
    "imports": "import_batch",
    "oversight": "oversight_case",
    "discipline": "discipline_case",
    "petitions": "petition",
    "delegations": "delegation",
    "reports": "report",
    "evaluation": "evaluation",
}
NAMED_PARAMS: dict[str, object] = {
    "person_id": "person",
    "member_pk": "delegation_member",
    "target_pk": "delegation_target",
    "session_pk": "working_session",
    "news_pk": "news_item",
    "request_pk": "unit_request",
    "deferral_pk": "deferral",
    "appeal_pk": "appeal",
    "item_pk": "commitment_item",
    "fmt": Const("docx"),
    "name": Const("submit"),
    "kind": Const("members"),
}
URL_PARAMS: dict[str, dict[str, object]] = {
    "core:download": {"pk": "attachment"},
    "accounts:revoke_token": {"pk": "api_token"},
    "units:reorganise": {"kind": Const("rename")},
    "people:end_post": {"pk": "post"},
    "indicators:drilldown": {"code": Const("@discipline")},
    "indicators:breakdown": {"code": Const("@petitions")},
    "implementation:dashboard": {"pk": "unit"},
    "implementation:matrix": {"pk": "unit"},
    "implementation:overdue": {"pk": "unit"},
    "implementation:key_tasks": {"pk": "unit"},
    "implementation:figure": {"pk": "unit", "code": Const("@implementation")},
    "implementation:assignment": {"pk": "assignment"},
    "implementation:record": {"pk": "implementation"},
    "implementation:record_responsible": {"pk": "implementation"},
    "implementation:record_remind": {"pk": "implementation"},
    "implementation:fulfilment": {"pk": "fulfilment"},
    "implementation:key_task": {"pk": "key_task"},
    "implementation:key_task_edit": {"pk": "key_task"},
    "imports:template": {"kind": Const("members")},
    "oversight:figure": {"code": Const("@oversight")},
    "discipline:figure": {"code": Const("@discipline")},
    "oversight:programme": {"pk": "programme"},
    "oversight:catalogue": {"code": "catalogue"},
    "oversight:catalogue_item_edit": {"pk": "catalogue_item"},
    "oversight:criticism": {"pk": "criticism"},
    "oversight:commitment": {"pk": "commitment"},
    "oversight:commitment_item_add": {"pk": "commitment"},
    "oversight:commitment_item_close": {"pk": "commitment"},
    "oversight:commitment_follow_up": {"pk": "commitment"},
    "oversight:subject_unit": {"pk": "unit"},
    "oversight:subject_person": {"pk": "person"},
    "discipline:person_history": {"pk": "person"},
    "petitions:decide_grant": {"pk": "identity_grant"},
    "petitions:revoke_grant": {"pk": "identity_grant"},
    "petitions:alert": {"pk": "alert"},
    "petitions:alert_flag": {"pk": "alert"},
    "petitions:alert_close": {"pk": "alert"},
    "reports:practice": {"pk": "good_practice"},
    "reports:recommendation": {"pk": "recommendation"},
    "reports:figure": {"pk": "report", "code": Const("@discipline")},
    "evaluation:campaign": {"pk": "campaign"},
    "evaluation:campaign_status": {"pk": "campaign"},
    "evaluation:outstanding_add": {"pk": "campaign"},
    "evaluation:session_new": {"pk": "campaign"},
    "evaluation:campaign_unit": {"pk": "campaign", "unit_pk": "unit"},
    "evaluation:campaign_unit_batch": {"pk": "campaign", "unit_pk": "unit"},
    "evaluation:session": {"pk": "review_session"},
    "evaluation:point_add": {"pk": "review_session"},
    "evaluation:figure": {"code": Const("@evaluation")},
}
# API path parameters by name (the router's prefix decides between same-named ones).
API_PARAMS: dict[str, object] = {
    "unit_id": "unit",
    "person_id": "person",
    "directive_id": "directive",
    "assignment_id": "assignment",
    "record_id": "implementation",
    "task_id": "key_task",
    "session_id": "study_session",
    "batch_id": "import_batch",
    "programme_id": "programme",
    "commitment_id": "commitment",
    "appeal_id": "appeal",
    "petition_id": "petition",
    "delegation_id": "delegation",
    "request_id": "unit_request",
    "report_id": "report",
    "rec_id": "recommendation",
    "campaign_id": "campaign",
    "evaluation_id": "evaluation",
    "action": Const("submit"),
}
API_PREFIX_PARAMS: dict[tuple[str, str], object] = {
    ("oversight", "case_id"): "oversight_case",
    ("discipline", "case_id"): "discipline_case",
    ("implementation", "item_id"): "fulfilment",
    ("oversight", "code"): Const("@oversight"),
    ("discipline", "code"): Const("@discipline"),
    ("indicators", "code"): Const("@discipline"),
    ("reports", "code"): Const("@discipline"),
    ("evaluation", "code"): Const("@evaluation"),
}
# Required query parameters of API operations (a unit parameter is a record like any other).
API_QUERY: dict[str, object] = {
    "unit": "unit",
    "unit_id": "unit",
    "start": Const("2019-01-01"),
    "period_start": Const("2019-01-01"),
    "end": Const("2022-09-30"),
    "period_end": Const("2022-09-30"),
    "violation_end": Const("2022-01-01"),
    "subject_kind": Const("member"),
    "form": Const("khien_trach"),
    "score": Const("85"),
    "year": Const("2021"),
}
API_PATH_PARAMS: dict[tuple[str, str], object] = {
    ("/api/v1/oversight/catalogues/{code}", "code"): "catalogue",
}


@dataclass
class Target:
    """One URL pattern or API operation, with its parameters' kinds."""

    name: str  # "namespace:name" or "api GET /api/v1/..."
    route: str  # the path with {param} placeholders
    methods: tuple[str, ...]
    params: dict[str, object] = field(default_factory=dict)
    is_api: bool = False
    query: dict[str, object] = field(default_factory=dict)  # required query parameters

    @property
    def object_kinds(self) -> list[str]:
        kinds = [*self.params.values(), *self.query.values()]
        return [k for k in kinds if isinstance(k, str)]

    @property
    def public(self) -> bool:
        return self.name in PUBLIC or self.name.split(":")[0] == "hotline"


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else (p.name or "")
            yield prefix + str(p.pattern), name


def _route(pattern: str) -> tuple[str, list[str]]:
    names = [m.group("name") for m in _CONVERTER.finditer(pattern)]
    route = "/" + _CONVERTER.sub(lambda m: "{" + m.group("name") + "}", pattern)
    return route.replace("^", "").replace("$", ""), names


def _page_param(name: str, param: str) -> object | None:
    specific = URL_PARAMS.get(name, {})
    if param in specific:
        return specific[param]
    if param in NAMED_PARAMS:
        return NAMED_PARAMS[param]
    if param == "pk":
        return NAMESPACE_PK.get(name.split(":")[0])
    return None


def page_targets() -> tuple[list[Target], list[str], list[str]]:
    """(targets, skipped with reason, unclassified) from the resolver walk (API excluded)."""
    targets, skipped, unclassified = [], [], []
    for pattern, name in _walk(get_resolver().url_patterns):
        if name.startswith("api:") or pattern.startswith("api/"):
            continue
        if name.split(":")[0] == "admin" or pattern.startswith("admin/"):
            skipped.append(f"{name or pattern}: {NOT_PARAMETERISABLE['admin:*']}")
            continue
        if name in NOT_PARAMETERISABLE:
            skipped.append(f"{name}: {NOT_PARAMETERISABLE[name]}")
            continue
        route, params = _route(pattern)
        kinds = {p: _page_param(name, p) for p in params}
        missing = [p for p, k in kinds.items() if k is None]
        if missing:
            unclassified.append(f"{name} ({route}): parameters {missing}")
            continue
        targets.append(Target(name, route, ("GET", "POST"), kinds))
    return targets, skipped, unclassified


def api_targets() -> tuple[list[Target], list[str]]:
    """Targets from the OpenAPI schema: one per path and method."""
    schema = api.get_openapi_schema()
    targets, unclassified = [], []
    for path, operations in schema["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        prefix = path.split("/")[3] if path.count("/") >= 3 else ""
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            kinds: dict[str, object] = {}
            for p in params:
                kind = API_PATH_PARAMS.get((path, p)) or API_PREFIX_PARAMS.get((prefix, p))
                kinds[p] = kind or API_PARAMS.get(p)
            query = {
                p["name"]: API_QUERY.get(p["name"])
                for p in operation.get("parameters", [])
                if p.get("in") == "query" and p.get("required")
            }
            missing = [p for p, k in (kinds | query).items() if k is None]
            name = f"api {method.upper()} {path} ({operation.get('operationId', '')})"
            if missing:
                unclassified.append(f"{name}: parameters {missing}")
                continue
            targets.append(Target(name, path, (method.upper(),), kinds, True, query))
    return targets, unclassified


def resolver_api_routes() -> set[str]:
    """The API routes the resolver knows (to check the schema lists every one of them)."""
    routes = set()
    for pattern, _name in _walk(get_resolver().url_patterns):
        if pattern.startswith("api/v1/"):
            route, _ = _route(pattern)
            routes.add(re.sub(r"{\w+}", "{}", route))
    return routes
