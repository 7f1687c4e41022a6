"""Requesting a document through the API while the broker is down: 503 in the error shape, nothing lost."""

import datetime

import pytest

from disclosure.documents import outbox
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus
from tests import celery_fixtures
from tests.api.conftest import api, assert_error

broker = celery_fixtures.fake_broker

# Committed for real, as in production: the job is sent after commit, within the request.
pytestmark = pytest.mark.django_db(transaction=True)

REQUEST = {"kind": "statement", "language": "fr", "assessment_date": "2026-09-01"}


def test_the_api_answers_503_in_its_error_shape_and_keeps_the_request(as_viewer, production, broker):
    documents = api(f"productions/{production.pk}/documents/")

    response = as_viewer.post(documents, REQUEST)

    body = assert_error(response, 503, code="service_unavailable")
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "60"
    document = DisclosureDocument.objects.get()
    assert str(document.id) in body["detail"]
    assert response["Location"].endswith(f"{documents}{document.id}/")
    kept = as_viewer.get(response["Location"]).json()
    assert (kept["status"], kept["language"], kept["requested_by"]) == ("queued", "fr", "victor")

    # Asked again while still down: the same request, tried again, not a second one.
    assert_error(as_viewer.post(documents, REQUEST), 503)
    assert DisclosureDocument.objects.count() == 1

    broker.up = True
    assert outbox.sweep().sent == 1
    assert broker.sent == [(outbox.RENDER_TASK, str(document.id))]
    again = as_viewer.post(documents, REQUEST)
    assert again.status_code == 200 and again.json()["id"] == str(document.id)


def test_a_retry_while_the_broker_is_down_answers_503_and_keeps_the_job_queued(as_viewer, production, broker):
    failed = DisclosureDocument.objects.create(
        production=production,
        kind=DocumentKind.STATEMENT,
        language="en",
        assessment_date=datetime.date(2026, 9, 1),
        status=DocumentStatus.FAILED,
        error="WeasyPrint crashed",
    )

    response = as_viewer.post(api(f"productions/{production.pk}/documents/{failed.pk}/retry/"))

    assert_error(response, 503, code="service_unavailable")
    failed.refresh_from_db()
    assert failed.status == DocumentStatus.QUEUED and failed.waiting_for_broker
