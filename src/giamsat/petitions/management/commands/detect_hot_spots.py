"""Look for clusters of letters (hot-spot alerts) over the whole system: ``giamsat
detect_hot_spots`` (daily, from cron). Intake already checks the clusters of each new letter;
this catches what a changed threshold, window or classification makes visible. Idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from giamsat.core.dates import parse_date, today
from giamsat.petitions.hotspots import detect_clusters


class Command(BaseCommand):
    help = "Raise or update hot-spot alerts for the window ending today (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the last day of the window (dd/mm/yyyy)")

    def handle(self, *args, **options):
        try:
            day = parse_date(options["today"]) if options["today"] else today()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        alerts = detect_clusters(on=day)
        self.stdout.write(f"{day:%d/%m/%Y}: {len(alerts)} alert(s) raised or updated")
