"""Load the demo scenario: ``giamsat demo [--reset]``."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from giamsat.core.demo import DEMO_PASSWORD, DemoContext, load_demo
from giamsat.units.models import Unit


class Command(BaseCommand):
    help = "Load the demo scenario (fictional people; the seed's public roles only)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **options):
        if Unit.objects.exists():
            if not options["reset"]:
                raise CommandError("The database already holds data; use --reset to replace it.")
            call_command("flush", interactive=False, verbosity=0)
        ctx = DemoContext(seed=options["seed"], verbose=not options["quiet"])
        with transaction.atomic():
            load_demo(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded. Logins (password for all: {DEMO_PASSWORD}):")
        )
        width = max((len(u) for u, _r, _n in ctx.users), default=10)
        for username, role, unit in ctx.users:
            self.stdout.write(f"  {username.ljust(width)}  {role} — {unit}")
