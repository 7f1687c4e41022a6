from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.urls import path
from django.views.decorators.http import require_GET

from productions import selectors


@require_GET
@login_required
def consent_document(request, pk):
    """The signed document of a consent, for members of its production only."""
    consent = selectors.get_consent(request.user, pk)
    if not consent.document:
        raise Http404("This consent has no signed document.")
    extension = consent.document.name.rsplit(".", 1)[-1]
    response = FileResponse(
        consent.document.open("rb"),
        as_attachment=True,
        filename=f"consent-{consent.pk}.{extension}",
        content_type=consent.document_content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("consents/<int:pk>/document", consent_document, name="consent-document"),
]
