"""Requesting and retrying disclosure documents: the services the pages, the API and the command line call.

What is requested here is a draft: free for every member, marked "Draft: not for submission" on every
page, and never superseding anything (issuing is documents.editions). A request is matched on its key
(building.request_key) to a draft already made or under way; otherwise it records a new job and hands
it to the broker after commit, through the outbox. Nothing is built here: the worker builds the document
from the records as they are when it runs.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from disclosure.documents import building, jobs, outbox
from disclosure.models import DisclosureDocument, DocumentStatus, EditionStatus


def _matching(production, key, kind, language):
    return (
        DisclosureDocument.objects.filter(
            production=production, request_key=key, kind=kind, language=language, is_draft=True
        )
        .filter(status__in=(DocumentStatus.READY, *jobs.IN_FLIGHT))
        .order_by("-requested_at")
        .first()
    )


def request_document(*, production, kind, language, on, requested_by=None, queue=True):
    """The draft for these inputs: an identical one if ready or under way, else a new job.

    Returns (document, created); `document.waiting_for_broker` tells when the broker could not take
    the job (it stays queued and is sent later). A matching job stuck past its deadline is recovered
    first, so asking again never returns a stuck job. With `queue=False` the caller renders it
    (see jobs.render).
    """
    if kind not in building.DOCUMENT_TYPES or language not in dict(settings.LANGUAGES):
        raise ValueError(f"No {kind!r} document in {language!r}.")
    key = building.request_key(production.pk, kind, language, on)
    existing = _matching(production, key, kind, language)
    if existing is not None and jobs.is_stuck(existing):
        outbox.recover(existing)  # queued again, or failed after its last attempt
        existing.refresh_from_db()
    if existing is not None and existing.status != DocumentStatus.FAILED:
        if queue and existing.status == DocumentStatus.QUEUED and existing.sent_at is None:
            outbox.send_on_commit(existing.id)  # still in the outbox: try the broker again
            existing.refresh_from_db()
        return existing, False
    with transaction.atomic():
        document = record_job(production, kind, language, on, requested_by=requested_by, key=key, queue=queue)
    if queue:
        document.refresh_from_db()
    return document, True


def record_job(production, kind, language, on, *, requested_by, key, edition=None, queue=True):
    """A new render job: a draft, or one document of an edition; sent to the broker after commit."""
    document = DisclosureDocument.objects.create(
        production=production,
        kind=kind,
        language=language,
        assessment_date=on,
        production_title=production.title,
        cut=production.cut,
        requested_by=requested_by,
        request_key=key,
        is_draft=edition is None,
        edition=edition,
    )
    if queue:
        outbox.send_on_commit(document.id)
    return document


def retry(document):
    """Queue again a failed job or one stuck past its deadline, or send again one the broker did not take.

    True when the document is queued as a result; it is refreshed either way.
    """
    with transaction.atomic():
        retryable = (Q(status=DocumentStatus.FAILED) | jobs.stuck()) & ~Q(edition__status=EditionStatus.FAILED)
        requeued = DisclosureDocument.objects.filter(retryable, id=document.id).update(**jobs.requeued_fields()) == 1
        unsent = DisclosureDocument.objects.filter(id=document.id, status=DocumentStatus.QUEUED, sent_at__isnull=True)
        queued = requeued or unsent.exists()
        if queued:
            outbox.send_on_commit(document.id)
    document.refresh_from_db()
    return queued


def may_retry(document):
    """Whether `retry` would queue the document: the page shows "Try again" for these.

    Not a document of an edition that failed: its records changed, so the edition is issued anew instead.
    """
    if document.edition_id and document.edition.status == EditionStatus.FAILED:
        return False
    return document.status == DocumentStatus.FAILED or jobs.is_stuck(document) or document.waiting_for_broker
