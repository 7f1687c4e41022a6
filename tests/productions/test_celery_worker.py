"""A real Celery worker, fed over Redis, writing to PostgreSQL: the path production deployments use."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from productions import services
from productions.models import Consent
from productions.vocabularies import ConsentKind
from tests import celery_fixtures, samples
from tests.celery_fixtures import wait_for
from tests.factories import PersonFactory

worker, broker_mode = celery_fixtures.worker, celery_fixtures.broker_mode

SIGNED_SCAN = samples.pdf(comment=b"% signed voice-clone consent, page 1 of 1\n" + b"%" * 4096 + b"\n")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_fingerprints_an_uploaded_consent_over_redis(worker, broker_mode, production, producer):
    process, log = worker
    person = PersonFactory(production=production, name="Inés Duarte")
    consent = services.create_consent(
        actor=producer,
        person=person,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        scope_description="Spanish dub, reel 2.",
    )

    services.attach_consent_document(
        actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("signed.pdf", SIGNED_SCAN)
    )

    assert Consent.objects.get(pk=consent.pk).document_sha256 == "", "the request path must not hash the file"
    done = wait_for(lambda: Consent.objects.get(pk=consent.pk).document_sha256 or process.poll() is not None)
    assert process.poll() is None, log.read_text()
    assert done, "the worker did not record the fingerprint in time:\n" + log.read_text()
    assert Consent.objects.get(pk=consent.pk).document_sha256 == hashlib.sha256(SIGNED_SCAN).hexdigest()
    assert "fingerprint_consent_document" in log.read_text()
