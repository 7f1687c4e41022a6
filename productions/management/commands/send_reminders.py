"""Run the notifications' periodic work once: for cron, and for the embedded default without `celery beat`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from productions.notifications import reminders


class Command(BaseCommand):
    help = (
        "Tell producers and legal, once, of consents expiring within 30 and 7 days, expired consents, overdue"
        " reviews and uses newly blocked; then send the pending e-mails and the daily digests. What `celery beat`"
        " runs hourly; safe to run anytime (running it twice sends nothing twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The date to run on, YYYY-MM-DD (today by default); for testing.")

    def handle(self, *args, **options):
        on = None
        if options["on"]:
            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError as error:
                raise CommandError(f"--on takes a date as YYYY-MM-DD: {error}") from error
        counts = reminders.run(on=on)
        self.stdout.write(", ".join(f"{name.replace('_', ' ')}: {count}" for name, count in counts.items()))
