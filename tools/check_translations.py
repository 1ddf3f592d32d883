"""Check (or update) the Vietnamese translations of every app.

Each app keeps its own catalogue in ``src/giamsat/<app>/locale/vi/LC_MESSAGES/django.po``.
Check mode (CI): extract the strings of each app into a scratch copy and fail when a string is
missing from the committed catalogue, untranslated or fuzzy, or when the committed ``.mo`` is
stale. ``--update`` rewrites the catalogues (new strings appear untranslated) and compiles them.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "giamsat"
GIAMSAT = ROOT / ".venv" / "bin" / "giamsat"
ENV = {**os.environ, "DEBUG": "true"}


def apps_with_strings() -> list[Path]:
    found = []
    for app in sorted(p for p in PACKAGE.iterdir() if (p / "apps.py").exists()):
        has_py = any("gettext" in f.read_text(encoding="utf-8") for f in app.rglob("*.py"))
        has_templates = any(app.rglob("*.html"))
        if has_py or has_templates:
            found.append(app)
    return found


def makemessages(app_dir: Path) -> None:
    (app_dir / "locale").mkdir(exist_ok=True)
    subprocess.run(
        [
            str(GIAMSAT),
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "--no-obsolete",
            "--ignore=migrations/*",
            "--ignore=tests/*",
            "-v0",
        ],
        cwd=app_dir,
        env=ENV,
        check=True,
    )


def compile_po(po_path: Path, mo_path: Path) -> None:
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo_path), str(po_path)], check=True)


def check(app: Path) -> list[str]:
    problems: list[str] = []
    po_path = app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / app.name
        shutil.copytree(app, scratch, ignore=shutil.ignore_patterns("locale", "__pycache__"))
        makemessages(scratch)
        extracted = polib.pofile(str(scratch / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
        if not po_path.exists():
            return [f"{app.name}: no catalogue at {po_path.relative_to(ROOT)} (run make messages)"]
        committed = polib.pofile(str(po_path))
        known = {(e.msgctxt, e.msgid) for e in committed}
        for entry in extracted:
            if (entry.msgctxt, entry.msgid) not in known:
                problems.append(f"{app.name}: missing from catalogue: {entry.msgid!r}")
        for entry in committed:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{app.name}: fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{app.name}: untranslated: {entry.msgid!r}")
        mo_path = po_path.with_suffix(".mo")
        fresh = Path(tmp) / "fresh.mo"
        compile_po(po_path, fresh)
        if not mo_path.exists() or not filecmp.cmp(fresh, mo_path, shallow=False):
            problems.append(f"{app.name}: {mo_path.relative_to(ROOT)} is stale (run make messages)")
    return problems


def update(app: Path) -> None:
    makemessages(app)
    po_path = app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue.metadata["Language"] = "vi"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.save()
    compile_po(po_path, po_path.with_suffix(".mo"))
    todo = [e.msgid for e in catalogue if not e.translated() or "fuzzy" in e.flags]
    if todo:
        print(f"{app.name}: {len(todo)} string(s) to translate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("apps", nargs="*", help="app names (default: all)")
    args = parser.parse_args()
    apps = [a for a in apps_with_strings() if not args.apps or a.name in args.apps]
    if args.update:
        for app in apps:
            update(app)
        return 0
    problems = [p for app in apps for p in check(app)]
    for problem in problems:
        print(problem)
    print(f"translations: {len(apps)} apps checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
