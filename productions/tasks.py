"""Background work on production records, queued by services on commit."""

import hashlib

from celery import shared_task

from productions.models import Consent


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
