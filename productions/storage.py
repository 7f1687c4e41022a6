"""Private storage for signed consent documents: never served under a public URL."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """File storage outside MEDIA_ROOT; files leave it only through a view that checks permission."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(f"{name} is a private file; link to its permission-checked download view instead.")


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


def consent_document_path(consent, filename):
    # The stored name never carries the uploader's file name (it may hold a person's name).
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"consents/{consent.person.production_id}/{uuid.uuid4().hex}{suffix}"


def consent_document_response(consent):
    """A consent's signed document as a private download, for the pages and the API alike."""
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
