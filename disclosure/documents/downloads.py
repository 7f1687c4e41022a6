"""A document's PDF as a download, for the pages and the API alike."""

import base64

from django.http import FileResponse
from django.utils.text import slugify


def pdf_response(document):
    """The ready document's PDF as an attachment, private, with its digest (RFC 9530)."""
    filename = "-".join(
        part
        for part in (
            slugify(document.production_title)[:60] or "production",
            document.kind,
            document.language,
            document.assessment_date.isoformat(),
            # Whoever saves it sees at once whether the file is a draft or which edition it is.
            "draft" if document.is_draft else (f"edition-{document.edition.number}" if document.edition_id else ""),
        )
        if part
    )
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=f"{filename}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # RFC 9530: lets a client check what it received against the hash on the verification page.
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(document.sha256)).decode()}:"
    return response
