"""Background work of disclosure documents: rendering a job, and the periodic sweeper.

The outbox (disclosure.documents.outbox) sends `render_document` by name after commit; beat runs
`sweep_documents` every minute (CELERY_BEAT_SCHEDULE). Tasks call the services; nothing imports them.
"""

from celery import shared_task

from disclosure.documents import jobs, outbox


# Acknowledged once done, and given back to the broker if the worker process dies mid-render; the job's
# conditional claim makes a second delivery a no-op.
@shared_task(name=outbox.RENDER_TASK, acks_late=True, reject_on_worker_lost=True)
def render_document(document_id):
    """Render one requested document; a job already claimed or finished is left alone."""
    document = jobs.render(document_id)
    return document.status if document else None


@shared_task(name="disclosure.tasks.sweep_documents")
def sweep_documents():
    """Send what the broker did not take, and queue again (or fail) jobs whose worker was lost."""
    swept = outbox.sweep()
    return {"sent": swept.sent, "requeued": swept.requeued, "failed": swept.failed}
