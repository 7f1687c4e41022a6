"""Requesting documents: queued off the request path, rendered once, reused, superseded, retried, downloaded."""

import datetime
import hashlib

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse

from disclosure.documents import building, jobs, requests
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus
from productions import services
from productions.models import AIUse

ON = datetime.date(2026, 11, 20)


def request_url(production):
    return reverse("disclosure:document-request", args=[production.pk])


def ask(client, production, *, kind="statement", language="en", on=ON, **headers):
    return client.post(
        request_url(production), {"kind": kind, "language": language, "assessment_date": on.isoformat()}, **headers
    )


def test_a_request_returns_at_once_with_a_queued_job_that_renders_after_commit(
    client, ledger, producer, fast_pdf, django_capture_on_commit_callbacks
):
    client.force_login(producer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ask(client, ledger)

    assert response.status_code == 302
    document = DisclosureDocument.objects.get()
    assert document.status == DocumentStatus.QUEUED
    assert fast_pdf == [], "nothing is rendered on the request path"
    assert (document.requested_by, document.production_title, document.cut) == (producer, "El Eternauta", ledger.cut)
    assert document.data == {} and document.content_hash == "", "the worker builds the document, not the request"
    assert len(callbacks) == 1

    callbacks[0]()

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.data["phases"][0]["uses"][0]["title"] == "Building collapse in central Buenos Aires"
    assert document.attempts == 1
    assert document.started_at <= document.finished_at
    with document.file.open("rb") as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert document.size == len(content)


def test_the_same_inputs_reuse_the_ready_document(
    client, ledger, producer, fast_pdf, django_capture_on_commit_callbacks
):
    client.force_login(producer)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, ledger)
        ask(client, ledger)

    assert DisclosureDocument.objects.count() == 1
    assert len(fast_pdf) == 1


def test_a_change_in_the_records_makes_a_new_draft_and_leaves_the_old_one_alone(
    client, ledger, producer, fast_pdf, django_capture_on_commit_callbacks
):
    client.force_login(producer)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, ledger)
    first = DisclosureDocument.objects.get()
    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(production=ledger), title="Extended cut")

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, ledger)

    second = DisclosureDocument.objects.exclude(id=first.id).get()
    first.refresh_from_db()
    assert second.status == DocumentStatus.READY
    assert second.content_hash != first.content_hash
    assert first.status == DocumentStatus.READY, "a draft replaces nothing: only editions supersede"
    assert first.is_draft and second.is_draft and first.edition is None


def test_other_languages_kinds_and_dates_are_documents_of_their_own(
    client, ledger, producer, fast_pdf, django_capture_on_commit_callbacks
):
    client.force_login(producer)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, ledger, language="en")
        ask(client, ledger, language="fr")
        ask(client, ledger, language="en", on=datetime.date(2027, 1, 1))

    english, french = (DisclosureDocument.objects.filter(language=code) for code in ("en", "fr"))
    assert english.count() == 2 and french.count() == 1
    assert {document.status for document in DisclosureDocument.objects.all()} == {DocumentStatus.READY}


def test_returning_to_earlier_records_makes_a_new_draft(
    client, ledger, producer, fast_pdf, django_capture_on_commit_callbacks
):
    client.force_login(producer)
    use = AIUse.objects.get(production=ledger)
    for title in ("First title", "Second title", "First title"):
        services.update_ai_use(actor=producer, ai_use=use, title=title)
        with django_capture_on_commit_callbacks(execute=True):
            ask(client, ledger)

    assert DisclosureDocument.objects.count() == 3
    newest = DisclosureDocument.objects.order_by("-requested_at").first()
    assert newest.data["phases"][0]["uses"][0]["title"] == "First title"


def test_a_failed_render_records_the_error_and_can_be_tried_again(
    client, ledger, producer, fast_pdf, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(document):
        raise OSError("disk full while writing the PDF")

    client.force_login(producer)
    with monkeypatch.context() as patch:
        patch.setattr(building, "render", broken)
        with django_capture_on_commit_callbacks(execute=True):
            ask(client, ledger)
    document = DisclosureDocument.objects.get()
    assert document.status == DocumentStatus.FAILED
    assert document.error == "OSError: disk full while writing the PDF"
    page = client.get(reverse("disclosure:overview", args=[ledger.pk])).content.decode()
    assert "disk full while writing the PDF" in page and "Try again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("disclosure:document-retry", args=[ledger.pk, document.id]))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.error == ""
    assert document.attempts == 2


def test_a_render_past_the_soft_time_limit_fails_with_a_clear_message(ledger, monkeypatch):
    def too_slow(document):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(building, "render", too_slow)
    document, _created = requests.request_document(
        production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )

    document = jobs.render(document.id)

    assert document.status == DocumentStatus.FAILED
    assert "longer than 240 seconds" in document.error


def test_a_job_is_claimed_once_and_a_ready_document_is_never_rendered_again(ledger, fast_pdf):
    document, _created = requests.request_document(
        production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    assert jobs.claim(document.id) is True
    assert jobs.claim(document.id) is False, "a second worker finds it taken"
    DisclosureDocument.objects.filter(id=document.id).update(status=DocumentStatus.QUEUED)

    ready = jobs.render(document.id)
    again = jobs.render(document.id)

    assert ready.status == again.status == DocumentStatus.READY
    assert (again.sha256, again.finished_at) == (ready.sha256, ready.finished_at)
    assert len(fast_pdf) == 1


def test_a_job_abandoned_by_a_dead_worker_can_be_claimed_again(ledger, settings):
    document, _created = requests.request_document(
        production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    DisclosureDocument.objects.filter(id=document.id).update(status=DocumentStatus.RENDERING, started_at=long_ago)

    assert jobs.claim(document.id) is True


def test_only_a_failed_document_can_be_retried(client, ledger, producer, fast_pdf, django_capture_on_commit_callbacks):
    client.force_login(producer)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, ledger)
    document = DisclosureDocument.objects.get()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("disclosure:document-retry", args=[ledger.pk, document.id]))

    assert callbacks == []
    document.refresh_from_db()
    assert (document.status, document.attempts) == (DocumentStatus.READY, 1)


# Who may request and download


@pytest.fixture
def issued(ledger, fast_pdf):
    document, _created = requests.request_document(
        production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    return jobs.render(document.id)


def download_url(document):
    return reverse("disclosure:document-download", args=[document.production_id, document.id])


@pytest.mark.parametrize("member", ["producer", "legal", "viewer"])
def test_members_download_the_pdf_as_a_private_attachment(client, issued, member, request):
    client.force_login(request.getfixturevalue(member))

    response = client.get(download_url(issued))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="el-eternauta-statement-en-2026-11-20-draft.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == issued.sha256


def test_an_outsider_cannot_download_or_even_see_a_document(client, issued, outsider):
    client.force_login(outsider)

    assert client.get(download_url(issued)).status_code == 404
    assert client.get(reverse("disclosure:overview", args=[issued.production_id])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, issued):
    response = client.get(download_url(issued))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_document_of_another_production_is_not_found_under_this_one(client, issued, outsider):
    other_production = outsider.memberships.get().production
    client.force_login(outsider)

    response = client.get(reverse("disclosure:document-download", args=[other_production.pk, issued.id]))

    assert response.status_code == 404


def test_a_document_not_ready_cannot_be_downloaded(client, ledger, producer):
    document, _created = requests.request_document(
        production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    client.force_login(producer)

    assert client.get(download_url(document)).status_code == 404


@pytest.mark.parametrize("member", ["producer", "legal", "viewer"])
def test_every_member_may_request_a_document(client, ledger, member, request, fast_pdf):
    client.force_login(request.getfixturevalue(member))

    assert ask(client, ledger).status_code == 302
    assert DisclosureDocument.objects.filter(production=ledger).count() == 1


def test_an_outsider_cannot_request_a_document(client, ledger, outsider):
    client.force_login(outsider)

    assert ask(client, ledger).status_code == 404
    assert not DisclosureDocument.objects.exists()


def test_an_anonymous_request_is_sent_to_sign_in(client, ledger):
    response = ask(client, ledger)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not DisclosureDocument.objects.exists()


def test_a_request_with_a_bad_date_is_refused_with_the_reason(client, ledger, producer):
    client.force_login(producer)

    response = client.post(request_url(ledger), {"kind": "statement", "language": "en", "assessment_date": "soon"})

    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()
    assert not DisclosureDocument.objects.exists()


# The pages


def test_the_overview_lists_documents_and_polls_only_while_one_is_under_way(
    client, ledger, viewer, fast_pdf, django_capture_on_commit_callbacks
):
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=False):
        ask(client, ledger)
    page = client.get(reverse("disclosure:overview", args=[ledger.pk])).content.decode()

    assert "status status-queued" in page
    assert 'hx-trigger="every 2s"' in page

    jobs.render(DisclosureDocument.objects.get().id)
    partial = client.get(reverse("disclosure:documents", args=[ledger.pk])).content.decode()

    assert "status status-ready" in partial
    assert "every 2s" not in partial
    assert DisclosureDocument.objects.get().sha256 in partial
    assert "<html" not in partial


def test_the_overview_shows_who_asked_and_documents_from_the_command_line(client, issued, ledger, producer):
    client.force_login(producer)
    with_requester = DisclosureDocument.objects.create(
        production=ledger, kind=DocumentKind.CHECKLIST, language="fr", assessment_date=ON, requested_by=producer
    )

    page = client.get(reverse("disclosure:overview", args=[ledger.pk])).content.decode()

    assert issued.requested_by is None and "Command line" in page
    assert with_requester.requested_by.username in page


def test_an_htmx_request_gets_the_list_back_at_once(
    client, ledger, producer, fast_pdf, django_capture_on_commit_callbacks
):
    client.force_login(producer)

    with django_capture_on_commit_callbacks(execute=False):
        response = ask(client, ledger, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="documents"' in page and "status status-queued" in page and "every 2s" in page


def test_the_request_form_defaults_to_the_eu_release_date(client, ledger, producer):
    ledger.eu_release_date = datetime.date(2026, 12, 11)
    ledger.save()
    client.force_login(producer)

    page = client.get(reverse("disclosure:overview", args=[ledger.pk])).content.decode()

    assert 'value="2026-12-11"' in page


def test_the_statement_preview_shows_the_same_statement_in_the_chosen_language(client, ledger, viewer):
    client.force_login(viewer)
    url = reverse("disclosure:statement", args=[ledger.pk])

    english = client.get(url, {"on": "2026-11-20"}).content.decode()
    french = client.get(url, {"on": "2026-11-20", "lang": "fr"}).content.decode()

    assert "Building collapse in central Buenos Aires" in english and "20 November 2026" in english
    assert 'lang="fr"' in french and "20 novembre 2026" in french
    assert client.get(url, {"on": "not-a-date"}).status_code == 200


def test_an_outsider_gets_no_statement_preview(client, ledger, outsider):
    client.force_login(outsider)

    assert client.get(reverse("disclosure:statement", args=[ledger.pk])).status_code == 404
