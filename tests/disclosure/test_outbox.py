"""A request made while the broker is down is kept, said to be queued, and sent when the broker is back."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from config.celery import app as celery_app
from disclosure.documents import outbox, requests
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus
from tests import celery_fixtures

ON = datetime.date(2026, 11, 20)

broker = celery_fixtures.fake_broker


def ask(client, production, **headers):
    return client.post(
        reverse("disclosure:document-request", args=[production.pk]),
        {"kind": "statement", "language": "en", "assessment_date": ON.isoformat()},
        **headers,
    )


# Committed for real, as in production: the job is sent after commit, within the request.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_while_the_broker_is_down_is_kept_and_the_page_says_it_is_queued(client, ledger, producer, broker):
    client.force_login(producer)

    response = ask(client, ledger, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "the background worker cannot be reached right now" in page
    assert "status status-queued" in page and "Waiting for the background worker" in page
    document = DisclosureDocument.objects.get()
    assert (document.status, document.sent_at, document.send_attempts) == (DocumentStatus.QUEUED, None, 1)
    assert document.waiting_for_broker
    assert broker.sent == []


def test_the_htmx_list_says_so_too(client, ledger, producer, broker):
    client.force_login(producer)

    page = ask(client, ledger, HTTP_HX_REQUEST="true").content.decode()

    assert "the background worker cannot be reached right now" in page and "every 2s" in page


def test_asking_again_while_the_broker_is_down_tries_again_with_the_same_job(client, ledger, producer, broker):
    client.force_login(producer)
    ask(client, ledger)

    ask(client, ledger)

    document = DisclosureDocument.objects.get()
    assert (document.status, document.send_attempts) == (DocumentStatus.QUEUED, 2)
    broker.up = True
    ask(client, ledger)
    assert broker.sent == [(outbox.RENDER_TASK, str(document.id))]
    document.refresh_from_db()
    assert document.sent_at is not None and not document.waiting_for_broker


def test_the_sweeper_sends_it_once_the_broker_is_back_and_only_once(client, ledger, producer, broker):
    client.force_login(producer)
    ask(client, ledger)
    document = DisclosureDocument.objects.get()

    assert outbox.sweep().broker_down, "still down: the job stays for the next sweep"
    broker.up = True
    swept = outbox.sweep()
    again = outbox.sweep()

    assert (swept.sent, again.sent) == (1, 0)
    assert broker.sent == [(outbox.RENDER_TASK, str(document.id))]
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and document.sent_at is not None
    assert document.send_attempts == 3


def test_a_job_the_broker_lost_is_sent_again_after_the_visibility_timeout(ledger, broker, settings):
    broker.up = True
    document, _created = requests.request_document(production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON)
    assert outbox.sweep().sent == 0, "sent, and not yet due again"
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=timeout + 1)
    DisclosureDocument.objects.filter(id=document.id).update(sent_at=long_ago)

    assert outbox.sweep().sent == 1
    assert broker.sent == [(outbox.RENDER_TASK, str(document.id))] * 2


def test_retry_sends_a_kept_job_again(client, ledger, producer, broker):
    client.force_login(producer)
    ask(client, ledger)
    document = DisclosureDocument.objects.get()
    broker.up = True

    response = client.post(reverse("disclosure:document-retry", args=[ledger.pk, document.id]), follow=True)

    assert "Queued again." in response.content.decode()
    assert broker.sent == [(outbox.RENDER_TASK, str(document.id))]


def test_with_no_broker_the_sweep_command_renders_what_was_kept(client, ledger, producer, broker, fast_pdf):
    client.force_login(producer)
    ask(client, ledger)
    with pytest.raises(CommandError, match="broker could not be reached"):
        call_command("sweep_documents")

    celery_app.conf.task_always_eager = True  # the embedded default: the sweep renders in-process
    call_command("sweep_documents")

    document = DisclosureDocument.objects.get()
    assert document.status == DocumentStatus.READY and len(fast_pdf) == 1
