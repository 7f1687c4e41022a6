"""Disclosure documents as background jobs: request, claim, mark ready or failed, retry, supersede.

One DisclosureDocument row per job, so pages show queued / rendering / ready / failed. Each
transition is a conditional update (`filter(id=..., status=...).update(...) == 1`): two workers
never render the same job, and a ready document is never changed again except to record which
newer document supersedes it.
"""

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import documents
from disclosure.models import DisclosureDocument, DocumentStatus, document_path
from productions.storage import private_storage

logger = logging.getLogger(__name__)

IN_FLIGHT = (DocumentStatus.QUEUED, DocumentStatus.RENDERING)


def _queue(document_id):
    from disclosure.tasks import render_document

    transaction.on_commit(lambda: render_document.delay(str(document_id)))


def request_document(*, production, kind, language, on, requested_by=None, queue=True):
    """The document for these inputs: an identical current one if issued or under way, else a new job.

    Nothing is built here: the request is matched on its key (documents.request_key), and the worker
    builds the document from the records as they are when it runs. Returns (document, created). With
    `queue=False` the caller renders it (see `render`).
    """
    if kind not in documents.DOCUMENT_TYPES or language not in dict(settings.LANGUAGES):
        raise ValueError(f"No {kind!r} document in {language!r}.")
    key = documents.request_key(production.pk, kind, language, on)
    existing = (
        DisclosureDocument.objects.filter(production=production, request_key=key, kind=kind, language=language)
        .filter(Q(status=DocumentStatus.READY, superseded_by__isnull=True) | Q(status__in=IN_FLIGHT))
        .order_by("-requested_at")
        .first()
    )
    if existing is not None:
        return existing, False
    with transaction.atomic():
        document = DisclosureDocument.objects.create(
            production=production,
            kind=kind,
            language=language,
            assessment_date=on,
            production_title=production.title,
            cut=production.cut,
            requested_by=requested_by,
            request_key=key,
        )
        if queue:
            _queue(document.id)
    return document, True


def _stale_before():
    # A job still "rendering" after the hard time limit lost its worker: it may be claimed again.
    return timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def claim(document_id):
    """Move a queued (or abandoned) job to rendering; True only for the one caller that did."""
    claimable = Q(status=DocumentStatus.QUEUED) | Q(status=DocumentStatus.RENDERING, started_at__lt=_stale_before())
    return (
        DisclosureDocument.objects.filter(claimable, id=document_id).update(
            status=DocumentStatus.RENDERING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
        == 1
    )


def mark_ready(document, rendered, request_key):
    """Store the PDF and make the document ready, then supersede older ready documents of its kind.

    `request_key` is the key of the records the worker read, taken before it built the document.
    """
    name = private_storage().save(document_path(document, None), ContentFile(rendered.pdf))
    became_ready = (
        DisclosureDocument.objects.filter(id=document.id, status=DocumentStatus.RENDERING).update(
            status=DocumentStatus.READY,
            file=name,
            sha256=rendered.sha256,
            size=len(rendered.pdf),
            finished_at=timezone.now(),
            error="",
            # What was rendered: the records as they were when the worker built the document.
            request_key=request_key,
            content_hash=rendered.inputs.content_hash,
            data=rendered.inputs.data,
            production_title=rendered.production_title,
            cut=rendered.cut,
        )
        == 1
    )
    if not became_ready:
        private_storage().delete(name)
        return False
    supersede_older(document)
    return True


def mark_failed(document_id, error):
    return (
        DisclosureDocument.objects.filter(id=document_id, status=DocumentStatus.RENDERING).update(
            status=DocumentStatus.FAILED, error=str(error)[:4000] or _("Unknown error"), finished_at=timezone.now()
        )
        == 1
    )


def supersede_older(document):
    """Point every other ready document of the same production, kind and language to the newest one."""
    siblings = DisclosureDocument.objects.filter(
        production_id=document.production_id,
        kind=document.kind,
        language=document.language,
        status=DocumentStatus.READY,
    )
    newest = siblings.order_by("-requested_at", "-finished_at").first()
    if newest is None:
        return 0
    return (
        siblings.exclude(id=newest.id)
        .filter(Q(superseded_by__isnull=True) | ~Q(superseded_by=newest.id))
        .update(superseded_by=newest.id)
    )


def render(document_id):
    """Render a queued document; the work of the `render_document` task. Returns the document."""
    if not claim(document_id):
        logger.info("Document %s is not waiting to be rendered; nothing to do.", document_id)
        return DisclosureDocument.objects.filter(id=document_id).first()
    document = DisclosureDocument.objects.select_related("production").get(id=document_id)
    try:
        # Taken before building: the document is then at least as new as its key says.
        key = documents.request_key(document.production_id, document.kind, document.language, document.assessment_date)
        rendered = documents.render(document)
    except SoftTimeLimitExceeded:
        seconds = settings.CELERY_TASK_SOFT_TIME_LIMIT
        mark_failed(
            document_id, _("Rendering took longer than %(seconds)s seconds and was stopped.") % {"seconds": seconds}
        )
    except Exception as error:
        logger.exception("Rendering document %s failed", document_id)
        mark_failed(document_id, f"{type(error).__name__}: {error}")
    else:
        mark_ready(document, rendered, key)
    return DisclosureDocument.objects.get(id=document_id)


def retry(document):
    """Queue a failed document again; True when it was failed and is now queued."""
    with transaction.atomic():
        requeued = (
            DisclosureDocument.objects.filter(id=document.id, status=DocumentStatus.FAILED).update(
                status=DocumentStatus.QUEUED, error="", started_at=None, finished_at=None
            )
            == 1
        )
        if requeued:
            _queue(document.id)
    return requeued
