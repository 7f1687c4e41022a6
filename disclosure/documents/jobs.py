"""The worker side of disclosure documents: claim a job, render it, mark it ready or failed.

One DisclosureDocument row per job, so pages show queued / rendering / ready / failed. Each
transition is a conditional update (`filter(id=..., status=...).update(...) == 1`): two workers
never render the same job, and a ready document is never changed again except to record which
newer document supersedes it. A job `rendering` longer than the hard time limit has lost its worker;
the sweeper (disclosure.documents.outbox) queues it again, at most DISCLOSURE_RENDER_MAX_ATTEMPTS times.
"""

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.documents import building
from disclosure.models import DisclosureDocument, DocumentStatus, Edition, EditionReason, EditionStatus, document_path
from productions.audit import save_audited
from productions.models import Production
from productions.storage import private_storage

logger = logging.getLogger(__name__)

IN_FLIGHT = (DocumentStatus.QUEUED, DocumentStatus.RENDERING)
# What a lost or restarted database raises: a dropped connection is an InterfaceError with some drivers.
DATABASE_ERRORS = (DatabaseError, InterfaceError)


def deadline():
    """Jobs started before this are past the hard time limit: their worker was lost."""
    return timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def stuck():
    """The jobs still `rendering` past their deadline."""
    return Q(status=DocumentStatus.RENDERING, started_at__lt=deadline())


def is_stuck(document):
    started = document.started_at
    return document.status == DocumentStatus.RENDERING and started is not None and started < deadline()


def requeued_fields():
    """What a job looks like when it is queued again: waiting to be sent, as if new."""
    return {
        "status": DocumentStatus.QUEUED,
        "error": "",
        "started_at": None,
        "finished_at": None,
        "sent_at": None,
        "send_attempts": 0,
    }


def _with_reconnect(write):
    """Run a status write; if the database connection dropped, reconnect once and write again."""
    try:
        return write()
    except DATABASE_ERRORS:
        if connection.in_atomic_block:
            raise  # a transaction cannot continue on another connection
        logger.warning("Recording a job's outcome failed; reconnecting to the database once.", exc_info=True)
        # Closed outright: close_old_connections() keeps a connection its backend calls usable (SQLite's).
        connection.close()
        return write()


def claim(document_id):
    """Move a queued (or abandoned) job to rendering; True only for the one caller that did."""
    abandoned = stuck() & Q(attempts__lt=settings.DISCLOSURE_RENDER_MAX_ATTEMPTS)
    return (
        DisclosureDocument.objects.filter(Q(status=DocumentStatus.QUEUED) | abandoned, id=document_id).update(
            status=DocumentStatus.RENDERING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
        == 1
    )


def mark_ready(document, rendered, request_key, revision):
    """Store the PDF and make the document ready; the edition it belongs to is issued once all of it is.

    `request_key` and `revision` are those of the records the worker read, taken before it built the document.
    """
    name = private_storage().save(document_path(document, None), ContentFile(rendered.pdf))

    def write():
        return (
            DisclosureDocument.objects.filter(id=document.id, status=DocumentStatus.RENDERING).update(
                status=DocumentStatus.READY,
                file=name,
                sha256=rendered.sha256,
                size=len(rendered.pdf),
                finished_at=timezone.now(),
                error="",
                # What was rendered: the records as they were when the worker built the document.
                request_key=request_key,
                records_revision=revision,
                content_hash=rendered.inputs.content_hash,
                data=rendered.inputs.data,
                production_title=rendered.production_title,
                cut=rendered.cut,
            )
            == 1
        )

    try:
        became_ready = _with_reconnect(write)
    except DATABASE_ERRORS:
        # Still `rendering`: the sweeper queues it again; this file would belong to no document.
        private_storage().delete(name)
        raise
    if not became_ready:
        private_storage().delete(name)
        return False
    if document.edition_id:
        _with_reconnect(lambda: complete(document.edition_id))
    return True


def mark_failed(document_id, error):
    return (
        DisclosureDocument.objects.filter(id=document_id, status=DocumentStatus.RENDERING).update(
            status=DocumentStatus.FAILED, error=str(error)[:4000] or _("Unknown error"), finished_at=timezone.now()
        )
        == 1
    )


def requeue_or_fail(document_id, error):
    """A database error may pass: queue the job again while it has attempts left, else mark it failed."""
    requeued = DisclosureDocument.objects.filter(
        id=document_id, status=DocumentStatus.RENDERING, attempts__lt=settings.DISCLOSURE_RENDER_MAX_ATTEMPTS
    ).update(**requeued_fields())
    return requeued == 1 or mark_failed(document_id, error)


def edition_in(edition_id, frm, **fields):
    """The edition locked for a transition from one of `frm`, with `fields` set; None when it is in none."""
    edition = Edition.objects.select_for_update().filter(id=edition_id, status__in=frm).first()
    if edition is None:
        return None
    for name, value in fields.items():
        setattr(edition, name, value)
    return edition


@transaction.atomic
def complete(edition_id):
    """Called as each document of an edition is ready: once all are, the edition is issued and supersedes.

    The production's row is locked first, so that editions finishing at once see each other: exactly one of
    them, the newest, stays current.
    """
    production_id = Edition.objects.filter(id=edition_id).values_list("production_id", flat=True).first()
    Production.objects.select_for_update().filter(pk=production_id).values_list("pk", flat=True).first()
    edition = edition_in(edition_id, [EditionStatus.PREPARING])
    if edition is None:
        return None
    if edition.documents.exclude(status=DocumentStatus.READY).exists():
        return edition
    edition.status = EditionStatus.ISSUED
    edition.issued_at = timezone.now()
    newer = (
        Edition.objects.filter(
            production_id=edition.production_id,
            kind=edition.kind,
            status=EditionStatus.ISSUED,
            number__gt=edition.number,
        )
        .order_by("-number")
        .first()
    )
    edition.superseded_by = newer  # finished after a newer one: superseded from the start
    save_audited(edition, None, reason=EditionReason.READY)
    if newer is None:
        older = Edition.objects.filter(
            production_id=edition.production_id,
            kind=edition.kind,
            number__lt=edition.number,
            status__in=(EditionStatus.ISSUED, EditionStatus.WITHDRAWN),
            superseded_by__isnull=True,
        )
        for superseded in older.select_for_update():
            superseded.superseded_by = edition
            save_audited(superseded, None, reason=EditionReason.SUPERSEDED)
    return edition


@transaction.atomic
def fail(edition_id, error):
    """An edition that cannot be issued as checked (its records changed while it was prepared)."""
    edition = edition_in(edition_id, [EditionStatus.PREPARING], status=EditionStatus.FAILED, error=error)
    if edition is not None:
        save_audited(edition, None, reason=EditionReason.FAILED)
    return edition


RECORDS_CHANGED = gettext_lazy(
    "The records changed while this edition was being prepared, so it would not describe the records it was "
    "checked on. Issue it again."
)


class RecordsChanged(Exception):
    """An edition's document would describe other records than those its issue was checked on."""


def _edition_records(document, revision):
    if document.edition_id and revision != document.edition.records_revision:
        raise RecordsChanged


def render(document_id):
    """Render a queued document; the work of the `render_document` task. Returns the document."""
    if not claim(document_id):
        logger.info("Document %s is not waiting to be rendered; nothing to do.", document_id)
        return DisclosureDocument.objects.filter(id=document_id).first()
    document = DisclosureDocument.objects.select_related("production", "edition__sign_off__signed_off_by").get(
        id=document_id
    )
    try:
        # Taken before building: the document is then at least as new as its key says. An edition's
        # documents are built from the revision its issue was checked on, or not at all.
        revision = building.records_revision(document.production_id)
        _edition_records(document, revision)
        key = building.request_key(
            document.production_id, document.kind, document.language, document.assessment_date, revision
        )
        rendered = building.render(document)
        _edition_records(document, building.records_revision(document.production_id))
    except RecordsChanged:
        _with_reconnect(lambda: mark_failed(document_id, RECORDS_CHANGED))
        _with_reconnect(lambda: fail(document.edition_id, RECORDS_CHANGED))
    except SoftTimeLimitExceeded:
        seconds = settings.CELERY_TASK_SOFT_TIME_LIMIT
        stopped = _("Rendering took longer than %(seconds)s seconds and was stopped.") % {"seconds": seconds}
        _with_reconnect(lambda: mark_failed(document_id, stopped))
    except DATABASE_ERRORS as error:
        logger.exception("Rendering document %s lost the database", document_id)
        lost = f"{type(error).__name__}: {error}"
        # Queued again for the sweeper to send, once the database answers.
        _with_reconnect(lambda: requeue_or_fail(document_id, lost))
    except Exception as error:
        logger.exception("Rendering document %s failed", document_id)
        message = f"{type(error).__name__}: {error}"
        _with_reconnect(lambda: mark_failed(document_id, message))
    else:
        mark_ready(document, rendered, key, revision)
    return _with_reconnect(lambda: DisclosureDocument.objects.get(id=document_id))
