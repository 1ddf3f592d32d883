"""A long write in one transaction, for the fault tests only (not for production use).

``giamsat selftest_long_write --rows N`` creates a root unit and N cells under it inside one
transaction, printing ``progress i/N`` after each (and sleeping ``--delay`` seconds), then
``committed``. The SIGKILL tests kill it mid-way and check the database holds nothing or
everything. It refuses to run on a database that already holds units, so it cannot touch real
data.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from giamsat.units.models import Unit, UnitKind
from giamsat.units.services import NewUnit, establish_unit

START = dt.date(2020, 1, 1)


class Command(BaseCommand):
    help = "(tests only) a long single-transaction write that the fault tests interrupt"

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=200)
        parser.add_argument("--delay", type=float, default=0.01)

    def handle(self, *args, rows: int, delay: float, **options):
        if Unit.objects.exists():
            raise CommandError("refused: this self-test writes only into an empty database")
        with transaction.atomic():
            root = establish_unit(
                spec=NewUnit(
                    code="SELFTEST", name="Self-test root", kind=UnitKind.UPPER_GRASSROOTS
                ),
                parent=None,
                date=START,
            )
            for i in range(1, rows + 1):
                establish_unit(
                    spec=NewUnit(code=f"SELFTEST-{i:06d}", name=f"Cell {i}", kind=UnitKind.CELL),
                    parent=root,
                    date=START,
                )
                self.stdout.write(f"progress {i}/{rows}")
                self.stdout.flush()
                if delay:
                    time.sleep(delay)
        self.stdout.write("committed")
        self.stdout.flush()
