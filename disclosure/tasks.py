"""Background rendering of disclosure documents, queued by disclosure.rendering on commit."""

from celery import shared_task

from disclosure import rendering


@shared_task(acks_late=True)
def render_document(document_id):
    """Render one requested document; a job already claimed or finished is left alone."""
    document = rendering.render(document_id)
    return document.status if document else None
