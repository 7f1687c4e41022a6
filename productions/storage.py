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


def withdrawal_document_path(consent, filename):
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"withdrawals/{consent.person.production_id}/{uuid.uuid4().hex}{suffix}"


# The name a private download is given: the record's, never the uploader's file name (it may hold a person's name).
DOWNLOAD_NAMES = {"document": "consent", "withdrawal_document": "withdrawal"}


def consent_document_response(consent, field="document"):
    """A consent's signed document (or its written withdrawal) as a private download, for the pages and the API
    alike."""
    document = getattr(consent, field)
    extension = document.name.rsplit(".", 1)[-1]
    response = FileResponse(
        document.open("rb"),
        as_attachment=True,
        filename=f"{DOWNLOAD_NAMES[field]}-{consent.pk}.{extension}",
        content_type=getattr(consent, f"{field}_content_type") or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
