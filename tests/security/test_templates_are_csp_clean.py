"""No template of any app holds what the strict CSP would block: inline <script> without src,
<style> blocks, style= attributes, on*= event handlers, hx-on, javascript: URLs. Behaviour goes
through data- attributes wired in core/static/giamsat/giamsat.js (docs/security.md)."""

from __future__ import annotations

import re
from pathlib import Path

import giamsat

PACKAGE = Path(giamsat.__file__).resolve().parent
TAG = re.compile(r"<(?P<name>[a-zA-Z][\w-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
ATTRIBUTE_RULES = [
    ("style= attribute", re.compile(r"(?:^|\s)style\s*=", re.I)),
    ("on*= event handler", re.compile(r"(?:^|\s)on[a-z]+\s*=", re.I)),
    ("hx-on attribute", re.compile(r"(?:^|\s)(?:data-)?hx-on", re.I)),
    ("javascript: URL", re.compile(r"=\s*[\"']?\s*javascript:", re.I)),
]


def templates() -> list[Path]:
    return sorted(PACKAGE.glob("**/templates/**/*.html"))


def violations(text: str) -> list[tuple[int, str]]:
    found = []
    for match in TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        name, attrs = match["name"], match["attrs"]
        # Template tags inside attributes ({% if %}…) are kept: they cannot hide a handler.
        if name.lower() == "script":
            is_data = re.search(r"type\s*=\s*[\"']application/(?:ld\+)?json[\"']", attrs, re.I)
            if not re.search(r"(?:^|\s)src\s*=", attrs, re.I) and not is_data:
                found.append((line, "inline <script> without src"))
        if name.lower() == "style":
            found.append((line, "<style> block"))
        for label, rule in ATTRIBUTE_RULES:
            if rule.search(attrs):
                found.append((line, label))
    return found


def test_the_scanner_catches_each_kind_of_violation():
    sample = """
<script>alert(1)</script>
<script src="/static/x.js"></script>
<script type="application/json" id="data">{}</script>
<style>p {color: red}</style>
<p style="color: red">x</p>
<button onclick="go()">x</button>
<div hx-on:click="go()"></div>
<div hx-on::after-request="go()"></div>
<a href="javascript:go()">x</a>
<a href="/x" data-confirm="onclick=fine inside a value?">fine</a>
<input data-style="x" title="style=in a value">
"""
    kinds = [kind for _line, kind in violations(sample)]
    assert kinds == [
        "inline <script> without src",
        "<style> block",
        "style= attribute",
        "on*= event handler",
        "hx-on attribute",
        "hx-on attribute",
        "javascript: URL",
    ]


def test_every_template_is_csp_clean():
    paths = templates()
    assert len(paths) >= 10
    problems = [
        f"{path.relative_to(PACKAGE)}:{line}: {kind}"
        for path in paths
        for line, kind in violations(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "\n".join(problems)
