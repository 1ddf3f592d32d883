"""Send deadline reminders by e-mail: ``giamsat send_deadline_reminders`` (run daily from cron).

Every app registers its deadlines with ``giamsat.core.deadlines.register_reminder_source``.
A reminder is sent once per deadline, state (due soon / overdue / long overdue) and due date,
so running the command twice a day, or after a crash, sends nothing twice; an extension (a
new due date) gets its own reminders. Each recipient gets one e-mail listing their deadlines.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from giamsat.core.dates import parse_date, today
from giamsat.core.deadlines import REMINDER_SOURCES, STATE_LABELS, DeadlineState, state_of
from giamsat.petitions.models import ReminderLog

REMIND_STATES = (DeadlineState.DUE_SOON, DeadlineState.OVERDUE, DeadlineState.LONG_OVERDUE)


class Command(BaseCommand):
    help = "Send e-mail reminders for deadlines due soon, overdue or long overdue (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to act as (dd/mm/yyyy), for catching up")
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args, **options):
        try:
            day = parse_date(options["today"]) if options["today"] else today()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        with translation.override(settings.LANGUAGE_CODE):
            self._run(day, dry_run=options["dry_run"])

    def _run(self, day, *, dry_run: bool) -> None:
        pending = []
        for _name, source in sorted(REMINDER_SOURCES.items()):
            for item in source(day):
                if item.done_on is not None:
                    continue
                state = state_of(item.due, day)
                if state not in REMIND_STATES:
                    continue
                if ReminderLog.objects.filter(key=item.key, state=state, due=item.due).exists():
                    continue
                pending.append((item, state))
        by_recipient = defaultdict(list)
        for item, state in pending:
            for address in item.recipients:
                by_recipient[address].append((item, state))
        failed: set[str] = set()
        sent = 0
        for address, items in sorted(by_recipient.items()):
            lines = [
                f"- [{STATE_LABELS[state]}] {item.subject}\n  {item.body}" for item, state in items
            ]
            subject = _("[giamsat] %(n)d deadline(s) need attention") % {"n": len(items)}
            if dry_run:
                self.stdout.write(f"{address}: {len(items)}")
                continue
            try:
                send_mail(subject, "\n\n".join(lines), settings.DEFAULT_FROM_EMAIL, [address])
                sent += 1
            except Exception as exc:
                self.stderr.write(f"could not send to {address}: {exc.__class__.__name__}")
                failed.update(item.key for item, _s in items)
        logged = 0
        if not dry_run:
            for item, state in pending:
                if item.key in failed:
                    continue
                try:
                    with transaction.atomic():
                        ReminderLog.objects.create(
                            key=item.key, state=state, due=item.due, recipients=len(item.recipients)
                        )
                    logged += 1
                except IntegrityError:  # another run logged it meanwhile
                    continue
        self.stdout.write(
            f"{day:%d/%m/%Y}: {len(pending)} reminder(s), {sent} e-mail(s) sent, {logged} logged"
        )
