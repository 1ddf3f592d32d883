"""Fill msgstr entries of an app's catalogue from a JSON file of {msgid: translation}.

Usage: python tools/apply_translations.py APP translations.json  (then `make messages`).
Only entries present in the catalogue are filled; fuzzy flags are cleared for them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    app, source = sys.argv[1], Path(sys.argv[2])
    mapping = json.loads(source.read_text(encoding="utf-8"))
    po_path = ROOT / "src" / "giamsat" / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    filled = 0
    for entry in catalogue:
        if entry.msgid in mapping:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    catalogue.save()
    missing = [e.msgid for e in catalogue if not e.translated()]
    print(f"{app}: filled {filled}, still untranslated {len(missing)}")
    for msgid in missing:
        print(f"  {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
