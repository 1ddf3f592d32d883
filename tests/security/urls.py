"""Every URL of the site as a concrete path, for sweeps over all pages (CSRF, CSP, later the
permission matrix). New apps' URLs are picked up automatically."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

_CONVERTERS = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": str(uuid.UUID(int=1)),
}
_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")


@dataclass(frozen=True)
class SitePath:
    path: str
    name: str  # namespace:name, or the route when unnamed
    callback: object


def _route_part(pattern) -> str | None:
    if isinstance(pattern, RoutePattern):
        return _ROUTE_PARAM.sub(lambda m: _CONVERTERS.get(m["conv"] or "str", "x"), str(pattern))
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex

        def sample(match: re.Match) -> str:
            body = match["body"]
            # An alternation of literals ("auth|core") takes its first branch.
            first = body.split("|")[0]
            return first if re.fullmatch(r"[\w-]+", first) else "1"

        text = _REGEX_GROUP.sub(sample, regex).lstrip("^").rstrip("$").replace("\\", "")
        if re.search(r"[()\[\]*+?{}]", text):
            return None  # an unnamed group or quantifier we cannot fill in
        return text
    return None


def site_paths(
    resolver: URLResolver | None = None, prefix: str = "/", namespace: str = ""
) -> Iterator[SitePath]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        part = _route_part(entry.pattern)
        if part is None:
            continue
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from site_paths(entry, prefix + part, ns)
        elif isinstance(entry, URLPattern):
            label = (
                f"{namespace}:{entry.name}" if entry.name and namespace else (entry.name or part)
            )
            yield SitePath(prefix + part, label, entry.callback)


def is_api(path: SitePath) -> bool:
    return path.path.startswith("/api/")
