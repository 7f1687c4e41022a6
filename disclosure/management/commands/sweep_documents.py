"""Sweep the render jobs once: for cron, and for the embedded default, which has no broker and no beat."""

from django.core.management.base import BaseCommand, CommandError

from disclosure.documents import outbox


class Command(BaseCommand):
    help = (
        "Send the queued render jobs the broker did not take, and queue again (or mark failed, after the last"
        " attempt) the jobs whose worker was lost. What `celery beat` runs every minute; safe to run anytime."
        " With no broker configured the jobs sent are rendered here."
    )

    def handle(self, *args, **options):
        swept = outbox.sweep()
        self.stdout.write(
            f"Sent {swept.sent} job(s); queued again {swept.requeued}, failed {swept.failed} past their deadline."
        )
        if swept.broker_down:
            raise CommandError("The broker could not be reached: the unsent jobs stay queued for the next sweep.")
