"""``python -m tests.security.faulty_cli ARGS``: the ``giamsat`` command with observation and
pause points for the SIGKILL tests, installed without touching the product code.

- The import commands' progress bar also prints ``progress PHASE DONE TOTAL`` lines (rich draws
  nothing on a pipe).
- ``GIAMSAT_PAUSE_AT=write-chunk`` stops the import after its first chunk of rows is written
  (in the middle of the write phase); ``GIAMSAT_PAUSE_AT=write-end`` stops the import after its last row is written and before the
  transaction commits; ``GIAMSAT_PAUSE_AT=report-event`` stops report generation after the
  report, its sections and its history are written and before the commit. The process prints
  ``paused`` and sleeps: the harness kills it there.
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_SECONDS = 600


def _pause(point: str) -> None:
    if os.environ.get("GIAMSAT_PAUSE_AT") == point:
        print(f"paused at {point}", flush=True)  # noqa: T201 - read by the harness
        time.sleep(PAUSE_SECONDS)


def install() -> None:
    from giamsat.imports.management.commands import _console
    from giamsat.reports import services as report_services

    bar_call = _console.Bar.__call__

    def call(self, phase: str, done: int, total: int | None = None) -> None:
        bar_call(self, phase, done, total)
        print(f"progress {phase} {done} {total}", flush=True)  # noqa: T201
        if phase == "write" and total is not None and 0 < done < total:
            _pause("write-chunk")
        if phase == "write" and total is not None and done >= total:
            _pause("write-end")

    _console.Bar.__call__ = call

    event = report_services._event

    def event_then_pause(*args, **kwargs):
        event(*args, **kwargs)
        _pause("report-event")

    report_services._event = event_then_pause


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")
    import django

    django.setup()
    install()
    from giamsat.cli import main as giamsat_main

    giamsat_main(sys.argv[1:])


if __name__ == "__main__":
    main()
