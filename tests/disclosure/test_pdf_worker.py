"""A real Celery worker renders a requested statement over Redis and PostgreSQL, as deployments do."""

import datetime
import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from disclosure.models import DisclosureDocument, DocumentStatus
from tests import celery_fixtures
from tests.celery_fixtures import wait_for
from tests.factories import AIUseFactory

worker, broker_mode = celery_fixtures.worker, celery_fixtures.broker_mode


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_the_requested_statement_over_redis(worker, broker_mode, client, production, viewer):
    process, log = worker
    AIUseFactory(production=production, title="Building collapse in central Buenos Aires")
    client.force_login(viewer)

    response = client.post(
        reverse("disclosure:document-request", args=[production.pk]),
        {"kind": "statement", "language": "fr", "assessment_date": "2026-11-20"},
    )

    assert response.status_code == 302, "the request returns at once"
    document = DisclosureDocument.objects.get()
    assert document.status in (DocumentStatus.QUEUED, DocumentStatus.RENDERING)

    def finished():
        document.refresh_from_db()
        return document.status in (DocumentStatus.READY, DocumentStatus.FAILED) or process.poll() is not None

    done = wait_for(finished, timeout=90)
    assert process.poll() is None, log.read_text()
    assert done, "the worker did not render the document in time:\n" + log.read_text()
    assert document.status == DocumentStatus.READY, document.error
    assert document.assessment_date == datetime.date(2026, 11, 20)
    assert "render_document" in log.read_text()

    with document.file.open("rb") as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Building collapse in central Buenos Aires" in text
    assert "20 novembre 2026" in text
    assert str(document.id) in text
