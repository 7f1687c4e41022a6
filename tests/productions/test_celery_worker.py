"""A real Celery worker, fed over Redis, writing to PostgreSQL: the path production deployments use."""

import hashlib
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from config.celery import app as celery_app
from productions import services
from productions.models import Consent
from productions.vocabularies import ConsentKind
from tests.factories import PersonFactory

SIGNED_SCAN = b"%PDF-1.7\n% signed voice-clone consent, page 1 of 1\n" + b"0" * 4096


@pytest.fixture
def worker(real_services, tmp_path):
    """A `celery worker` process on the test database and the test's private file folder."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": real_services,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process, log
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def broker_mode(real_services):
    """Send tasks to the broker from this process instead of running them in-process."""
    celery_app.conf.update(task_always_eager=False, broker_url=real_services)
    yield
    celery_app.conf.update(task_always_eager=True)


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_fingerprints_an_uploaded_consent_over_redis(worker, broker_mode, production, producer):
    process, log = worker
    person = PersonFactory(production=production, name="Inés Duarte")
    consent = services.create_consent(
        actor=producer, person=person, kind=ConsentKind.VOICE_CLONE, scope_description="Spanish dub, reel 2."
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
