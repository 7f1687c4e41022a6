"""Private storage for signed consent documents: never served under a public URL."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """File storage outside MEDIA_ROOT; files leave it only through a view that checks permission."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError(f"{name} is a private file; link to its permission-checked download view instead.")


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


def consent_document_path(consent, filename):
    # The stored name never carries the uploader's file name (it may hold a person's name).
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"consents/{consent.person.production_id}/{uuid.uuid4().hex}{suffix}"
