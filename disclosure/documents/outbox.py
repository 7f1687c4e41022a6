"""The outbox: a render job is a row first, handed to the broker after commit, and never lost.

`send` hands one queued job to the broker, claiming it with a conditional update so that the
request, a retry and any number of sweepers send it once. When the broker cannot be reached the row
stays queued and unsent (`sent_at` empty), and `sweep` sends it when the broker is back. The sweeper
also recovers jobs whose worker was lost: `rendering` past the hard time limit, they are queued again,
or marked failed after DISCLOSURE_RENDER_MAX_ATTEMPTS attempts; and it re-sends a queued job whose
message the broker lost (sent longer ago than the broker's visibility timeout and never started).
The task is sent by name: this module never imports the task module.
"""

import contextlib
import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import BROKER_ERRORS
from config.celery import app as celery_app
from disclosure.documents import jobs
from disclosure.models import DisclosureDocument, DocumentStatus

logger = logging.getLogger(__name__)

RENDER_TASK = "disclosure.tasks.render_document"
# The most jobs one sweep handles of each sort; the next sweep takes the rest.
SWEEP_BATCH = 500


class BrokerUnavailable(Exception):
    """The job is recorded and queued, but the broker could not take it; the sweeper sends it later."""


def send(document_id, *, resend_before=None):
    """Hand a queued job to the broker; True when this call sent it, False when it was not waiting.

    Raises BrokerUnavailable when the broker cannot be reached: the row is left unsent.
    """
    waiting = Q(sent_at__isnull=True)
    if resend_before is not None:
        waiting |= Q(sent_at__lt=resend_before)
    stamp = timezone.now()
    taken = DisclosureDocument.objects.filter(waiting, id=document_id, status=DocumentStatus.QUEUED).update(
        sent_at=stamp, send_attempts=F("send_attempts") + 1
    )
    if taken != 1:
        return False
    if celery_app.conf.task_always_eager:
        # No broker (the embedded default, and the test suite): the job runs here, as a worker would run it.
        jobs.render(document_id)
        return True
    try:
        celery_app.send_task(RENDER_TASK, args=[str(document_id)])
    except BROKER_ERRORS as error:
        DisclosureDocument.objects.filter(id=document_id, sent_at=stamp).update(sent_at=None)
        logger.warning("The broker did not take document %s; it stays queued to be sent: %s", document_id, error)
        raise BrokerUnavailable(str(error)) from error
    return True


def _send_or_keep(document_id):
    # When the broker is down the job stays in the outbox: the page and the API say so, the sweeper sends it.
    with contextlib.suppress(BrokerUnavailable):
        send(document_id)


def send_on_commit(document_id):
    """Send the job once the transaction that recorded it commits (at once outside a transaction)."""
    transaction.on_commit(lambda: _send_or_keep(document_id))


def recover(document):
    """A job `rendering` past its deadline: queue it again, or mark it failed after the last attempt.

    Conditional on the start it was seen with, so a worker that claims it meanwhile keeps it.
    Returns the new status, or None when the job had already moved on.
    """
    lost = DisclosureDocument.objects.filter(
        id=document.id, status=DocumentStatus.RENDERING, started_at=document.started_at
    )
    if document.attempts < settings.DISCLOSURE_RENDER_MAX_ATTEMPTS:
        return DocumentStatus.QUEUED if lost.update(**jobs.requeued_fields()) == 1 else None
    error = _(
        "Rendering was interrupted %(attempts)s times without finishing: the worker stopped or took longer "
        "than %(seconds)s seconds. Try again; if it keeps failing, tell the administrator."
    ) % {"attempts": document.attempts, "seconds": settings.CELERY_TASK_TIME_LIMIT}
    failed = lost.update(status=DocumentStatus.FAILED, error=error, finished_at=timezone.now())
    return DocumentStatus.FAILED if failed == 1 else None


@dataclass
class Swept:
    sent: int = 0
    requeued: int = 0
    failed: int = 0
    broker_down: bool = False


def resend_before():
    """A job sent before this and never started was lost by the broker, which would have redelivered it."""
    return timezone.now() - datetime.timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"])


def sweep():
    """Recover jobs past their deadline, then send every queued job the broker does not have.

    Idempotent and safe to run concurrently: each step is a conditional update.
    """
    swept = Swept()
    lost = DisclosureDocument.objects.filter(jobs.stuck()).order_by("started_at")
    for document in lost.only("id", "status", "started_at", "attempts")[:SWEEP_BATCH]:
        outcome = recover(document)
        swept.requeued += outcome == DocumentStatus.QUEUED
        swept.failed += outcome == DocumentStatus.FAILED
    before = resend_before()
    unsent = DisclosureDocument.objects.filter(
        Q(sent_at__isnull=True) | Q(sent_at__lt=before), status=DocumentStatus.QUEUED
    ).order_by("requested_at")
    for document_id in unsent.values_list("id", flat=True)[:SWEEP_BATCH]:
        try:
            swept.sent += send(document_id, resend_before=before)
        except BrokerUnavailable:
            swept.broker_down = True  # the others would wait on it too: the next sweep tries again
            break
    if swept.sent or swept.requeued or swept.failed or swept.broker_down:
        logger.info("Swept disclosure jobs: %s", swept)
    return swept
