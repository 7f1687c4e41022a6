"""No job stays `rendering`: the sweeper and a retry recover one whose worker was lost, a lost database too."""

import datetime

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.urls import reverse

from disclosure.documents import building, jobs, outbox, requests
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus

ON = datetime.date(2026, 11, 20)


def queued(production):
    document, _created = requests.request_document(
        production=production, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    return document


def abandon(document, *, attempts=1, seconds_ago=None):
    """The job as a worker killed mid-render leaves it: `rendering`, started `seconds_ago`."""
    seconds_ago = settings.CELERY_TASK_TIME_LIMIT + 1 if seconds_ago is None else seconds_ago
    started = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=seconds_ago)
    DisclosureDocument.objects.filter(id=document.id).update(
        status=DocumentStatus.RENDERING, started_at=started, attempts=attempts, sent_at=started, send_attempts=1
    )
    document.refresh_from_db()
    return document


def test_the_sweeper_queues_a_job_past_its_deadline_again_and_it_is_rendered(ledger, fast_pdf):
    document = abandon(queued(ledger))

    swept = outbox.sweep()

    assert (swept.requeued, swept.sent, swept.failed) == (1, 1, 0)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, "with no broker the sweep renders it in-process"
    assert document.attempts == 2
    assert len(fast_pdf) == 1


def test_a_job_still_within_its_time_limit_is_left_to_its_worker(ledger, fast_pdf):
    document = abandon(queued(ledger), seconds_ago=10)

    assert outbox.sweep() == outbox.Swept()
    document.refresh_from_db()
    assert document.status == DocumentStatus.RENDERING and fast_pdf == []


def test_after_the_last_attempt_the_sweeper_marks_it_failed_with_the_reason(
    client, ledger, producer, fast_pdf, settings
):
    document = abandon(queued(ledger), attempts=settings.DISCLOSURE_RENDER_MAX_ATTEMPTS)

    swept = outbox.sweep()

    assert (swept.requeued, swept.failed) == (0, 1)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("Rendering was interrupted 3 times without finishing")
    assert jobs.claim(document.id) is False, "nor may a late redelivery take it"
    client.force_login(producer)
    page = client.get(reverse("disclosure:overview", args=[ledger.pk])).content.decode()
    assert "Rendering was interrupted 3 times" in page and "Try again" in page


def test_a_claim_refuses_a_lost_job_past_its_last_attempt(ledger, settings):
    document = abandon(queued(ledger), attempts=settings.DISCLOSURE_RENDER_MAX_ATTEMPTS)

    assert jobs.claim(document.id) is False


def test_sweeping_twice_or_side_by_side_does_the_work_once(ledger, fast_pdf):
    document = abandon(queued(ledger))
    seen_by_both = DisclosureDocument.objects.get(id=document.id)

    assert outbox.recover(seen_by_both) == DocumentStatus.QUEUED
    assert outbox.recover(seen_by_both) is None, "the second sweeper finds it already recovered"
    assert outbox.sweep().sent == 1
    assert outbox.sweep() == outbox.Swept()
    document.refresh_from_db()
    assert (document.status, document.attempts, len(fast_pdf)) == (DocumentStatus.READY, 2, 1)


def test_a_stuck_job_is_tried_again_from_the_page(
    client, ledger, producer, fast_pdf, django_capture_on_commit_callbacks
):
    document = abandon(queued(ledger))
    client.force_login(producer)
    page = client.get(reverse("disclosure:overview", args=[ledger.pk])).content.decode()
    assert "Try again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("disclosure:document-retry", args=[ledger.pk, document.id]), follow=True)

    assert "Queued again." in response.content.decode()
    document.refresh_from_db()
    assert (document.status, document.attempts) == (DocumentStatus.READY, 2)


def test_a_job_its_worker_is_still_rendering_is_not_tried_again(client, ledger, producer, fast_pdf):
    document = abandon(queued(ledger), seconds_ago=10)
    client.force_login(producer)

    response = client.post(reverse("disclosure:document-retry", args=[ledger.pk, document.id]), follow=True)

    assert "Only a failed document, or one stuck past its time limit, can be tried again." in response.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.RENDERING and fast_pdf == []


def test_asking_again_for_a_stuck_document_recovers_it_instead_of_returning_it(
    ledger, fast_pdf, django_capture_on_commit_callbacks
):
    document = abandon(queued(ledger))

    with django_capture_on_commit_callbacks(execute=True):
        again, created = requests.request_document(production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON)

    assert (again.id, created) == (document.id, False)
    again.refresh_from_db()
    assert (again.status, again.attempts) == (DocumentStatus.READY, 2)


def test_asking_again_after_its_last_attempt_starts_a_new_job(
    ledger, fast_pdf, settings, django_capture_on_commit_callbacks
):
    document = abandon(queued(ledger), attempts=settings.DISCLOSURE_RENDER_MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        again, created = requests.request_document(production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON)

    again.refresh_from_db()
    assert created and again.id != document.id and again.status == DocumentStatus.READY
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED


@pytest.fixture
def database_drops(monkeypatch):
    """The database connection dies while the worker builds the PDF, until `database_drops.clear()`.

    On PostgreSQL the server ends it; SQLite's test database lives in memory and would not survive a
    closed connection, so there the next query fails as it would on a dead connection.
    """
    build_pdf = building.render
    dropping = {True}

    def next_query_fails(execute, sql, params, many, context):
        connection.execute_wrappers.remove(next_query_fails)
        raise OperationalError("server closed the connection unexpectedly")

    def render(document):
        if not dropping:
            return build_pdf(document)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        connection.execute_wrappers.append(next_query_fails)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(building, "render", render)
    return dropping


@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_leaves_the_job_queued_again_not_rendering(ledger, fast_pdf, database_drops):
    document = queued(ledger)

    rendered = jobs.render(document.id)

    assert rendered.status == DocumentStatus.QUEUED, "written on a new connection, for the sweeper to send"
    assert (rendered.attempts, rendered.sent_at) == (1, None)
    database_drops.clear()  # the database is back
    outbox.sweep()
    rendered.refresh_from_db()
    assert rendered.status == DocumentStatus.READY and rendered.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_database_that_keeps_dropping_fails_the_job_after_its_last_attempt(ledger, database_drops, settings):
    document = queued(ledger)
    DisclosureDocument.objects.filter(id=document.id).update(attempts=settings.DISCLOSURE_RENDER_MAX_ATTEMPTS - 1)

    rendered = jobs.render(document.id)

    assert rendered.status == DocumentStatus.FAILED
    assert rendered.error.startswith("OperationalError: ")
