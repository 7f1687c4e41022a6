"""Background work on production records, queued by services on commit."""

import hashlib
import logging

from celery import shared_task

from config.celery import BROKER_ERRORS
from productions import kept_statuses
from productions.models import Consent
from productions.notifications import email, reminders

logger = logging.getLogger(__name__)
# The most documents one sweep fingerprints; the next sweep takes the rest.
FINGERPRINT_BATCH = 200


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def fingerprint_consent_document(consent_id, stored_name):
    """Record the SHA-256 of a consent's signed document, so legal can prove which file was reviewed.

    The update is conditional on the stored name: if the document was replaced meanwhile,
    this run changes nothing and the newer upload's own task records its fingerprint.
    """
    consent = Consent.objects.filter(pk=consent_id, document=stored_name).first()
    if consent is None:
        return None
    digest = hashlib.sha256()
    with consent.document.open("rb") as document:
        for chunk in document.chunks():
            digest.update(chunk)
    Consent.objects.filter(pk=consent_id, document=stored_name).update(document_sha256=digest.hexdigest())
    return digest.hexdigest()


def queue_fingerprint(consent_id, stored_name):
    """Send the fingerprint task; when the broker is down the upload stands and the sweep fingerprints it."""
    try:
        fingerprint_consent_document.delay(consent_id, stored_name)
    except BROKER_ERRORS as error:
        logger.warning("The broker did not take the fingerprint of consent %s; the sweep will: %s", consent_id, error)


@shared_task(name="productions.tasks.fingerprint_pending_documents")
def fingerprint_pending_documents():
    """Fingerprint the signed documents still without one (their task was never sent, or failed); idempotent."""
    pending = (
        Consent.objects.exclude(document="")
        .filter(document_sha256="")
        .order_by("pk")
        .values_list("pk", "document")[:FINGERPRINT_BATCH]
    )
    done = failed = 0
    for consent_id, stored_name in pending:
        try:
            fingerprint_consent_document(consent_id, stored_name)
        except OSError as error:
            failed += 1
            logger.warning("The signed document of consent %s could not be read: %s", consent_id, error)
        else:
            done += 1
    return {"fingerprinted": done, "failed": failed}


@shared_task(name="productions.tasks.send_notification_emails")
def send_notification_emails():
    """E-mail the notifications of readers who want them immediately (queued after each event, and swept
    periodically for those the broker did not take); idempotent."""
    return email.send_pending()


@shared_task(name="productions.tasks.send_reminders")
def send_reminders():
    """The periodic run of the notifications: expiries, overdue reviews, uses an expiry blocks, e-mails and daily
    digests (productions.notifications.reminders); idempotent."""
    counts = reminders.run()
    logger.info("Reminders: %s", counts)
    return counts


@shared_task(name="productions.tasks.check_consent_statuses")
def check_consent_statuses():
    """Recompute every kept consent status and compare (productions.kept_statuses.check): a difference is a write
    that left no audit-trail entry, logged as an error and mended. Daily; `manage.py check_consent_statuses`."""
    differences = kept_statuses.check()
    for production_id, uses in differences.items():
        logger.error("Kept consent statuses of production %s differed for %d uses: %s", production_id, len(uses), uses)
    return {"productions_differing": len(differences), "uses_differing": sum(map(len, differences.values()))}
