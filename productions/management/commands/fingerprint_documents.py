"""Fingerprint the signed consent documents still without one: for cron, when `celery beat` does not run."""

from django.core.management.base import BaseCommand

from productions.tasks import fingerprint_pending_documents


class Command(BaseCommand):
    help = (
        "Record the SHA-256 of the signed consent documents that have none yet (uploaded while the broker was"
        " down, or whose task failed). What `celery beat` runs periodically; safe to run anytime."
    )

    def handle(self, *args, **options):
        result = fingerprint_pending_documents()
        self.stdout.write(f"Fingerprinted {result['fingerprinted']} document(s); {result['failed']} could not be read.")
