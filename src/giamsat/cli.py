"""The ``giamsat`` command: Django's management commands with giamsat's settings.

``giamsat demo``, ``giamsat indicators ...``, ``giamsat report ...`` and ``giamsat migrate``
are all management commands; this entry point only sets the settings module.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["giamsat", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
