"""On the real services: a worker killed mid-render and a broker that is down lose nothing, leave nothing stuck."""

import hashlib
import os
import signal
import time

import pytest
from django.urls import reverse

from disclosure.documents import outbox
from disclosure.models import DisclosureDocument, DocumentStatus
from tests import celery_fixtures
from tests.api.conftest import api, assert_error, token_client
from tests.celery_fixtures import use_broker, wait_for
from tests.factories import AIUseFactory

start_worker, broker_mode = celery_fixtures.start_worker, celery_fixtures.broker_mode

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def status_of(document):
    document.refresh_from_db()
    return document.status


def test_a_worker_killed_mid_render_leaves_the_document_ready_exactly_once(
    start_worker, broker_mode, client, production, producer, settings
):
    AIUseFactory(production=production, title="Building collapse in central Buenos Aires")
    # The sweeper, run here, treats a job as lost after this many seconds rather than the default five minutes.
    settings.CELERY_TASK_TIME_LIMIT = 2
    doomed, doomed_log = start_worker("doomed", render_delay=120)
    client.force_login(producer)

    client.post(
        reverse("disclosure:document-request", args=[production.pk]),
        {"kind": "statement", "language": "en", "assessment_date": "2026-11-20"},
    )
    document = DisclosureDocument.objects.get()
    claimed = wait_for(lambda: status_of(document) == DocumentStatus.RENDERING or doomed.poll() is not None)
    assert claimed and doomed.poll() is None, doomed_log.read_text()

    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)
    survivor, survivor_log = start_worker("survivor")
    # Past the deadline the sweeper queues the job again; the survivor renders it.
    time.sleep(max(0.0, (document.started_at.timestamp() + 2.5) - time.time()))
    swept = outbox.sweep()
    assert (swept.requeued, swept.sent) == (1, 1)

    done = wait_for(lambda: status_of(document) in (DocumentStatus.READY, DocumentStatus.FAILED), timeout=90)
    assert done, "the survivor did not render the document in time:\n" + survivor_log.read_text()
    assert document.status == DocumentStatus.READY, document.error
    assert document.attempts == 2, "one attempt killed, one finished"
    assert outbox.sweep() == outbox.Swept(), "nothing left to recover or send"
    files = list((settings.PRIVATE_MEDIA_ROOT / "disclosure" / str(production.pk)).iterdir())
    assert [file.name for file in files] == [f"{document.id}.pdf"], "one file"
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == document.sha256
    assert DisclosureDocument.objects.count() == 1
    assert survivor.poll() is None, survivor_log.read_text()


def test_a_request_while_the_broker_is_down_is_sent_when_it_is_back(
    start_worker, broker_mode, real_services, production, viewer
):
    as_viewer = token_client(viewer)
    documents = api(f"productions/{production.pk}/documents/")
    use_broker(DEAD_BROKER)

    response = as_viewer.post(documents, {"kind": "checklist", "language": "fr", "assessment_date": "2026-11-20"})

    assert_error(response, 503, code="service_unavailable")
    document = DisclosureDocument.objects.get()
    assert document.waiting_for_broker, "kept in the outbox"
    assert outbox.sweep().broker_down, "still down: kept for the next sweep"

    use_broker(real_services)
    worker, log = start_worker()
    assert outbox.sweep().sent == 1

    done = wait_for(lambda: status_of(document) in (DocumentStatus.READY, DocumentStatus.FAILED), timeout=90)
    assert done, "the worker did not render the document in time:\n" + log.read_text()
    assert document.status == DocumentStatus.READY, document.error
    assert (document.attempts, document.send_attempts) == (1, 3)
    assert as_viewer.get(response["Location"]).json()["status"] == "ready"
