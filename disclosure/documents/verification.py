"""What a document is today, for its verification page and the API: the truth, checked at each visit.

- its state: a draft, of an edition being prepared, issued, not issued, withdrawn, or issued before
  editions existed;
- whether it is current: superseded by a newer edition (which), or the records it describes changed since
  (which kinds of record, nothing more: the page is public), or current;
- its signature, checked on the stored file; and, when a file is uploaded, whether it is that file.
"""

from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from disclosure import signing
from disclosure.documents import building
from disclosure.models import DocumentStatus, EditionStatus


class State(TextChoices):
    DRAFT = "draft", _("Draft: not for submission")
    PREPARING = "preparing", _("Being prepared")
    ISSUED = "issued", _("Issued")
    NOT_ISSUED = "not_issued", _("Not issued")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ISSUED_BEFORE_EDITIONS = "issued_before_editions", _("Issued before editions")


class Currency(TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")
    RECORDS_CHANGED = "records_changed", _("Records changed since issue")
    UNKNOWN = "unknown", _("Not known")


def state_of(document) -> State:
    if document.is_draft:
        return State.DRAFT
    edition = document.edition
    if edition is None:
        return State.ISSUED_BEFORE_EDITIONS
    if document.status == DocumentStatus.FAILED or edition.status == EditionStatus.FAILED:
        return State.NOT_ISSUED
    return {
        EditionStatus.PREPARING: State.PREPARING,
        EditionStatus.ISSUED: State.ISSUED,
        EditionStatus.WITHDRAWN: State.WITHDRAWN,
    }[edition.status]


@dataclass
class Verification:
    document: object
    state: State
    currency: Currency | None
    superseded_by: object = None  # the newer edition
    changed: list = field(default_factory=list)  # REVISION_SOURCES names
    signature: object = None

    @property
    def edition(self):
        return self.document.edition

    @property
    def changed_labels(self):
        return [building.REVISION_SOURCE_LABELS[name] for name in self.changed]


def verify(document) -> Verification:
    """What `document` is today; a few queries, whatever the size of the production."""
    state = state_of(document)
    ready = document.status == DocumentStatus.READY
    result = Verification(document=document, state=state, currency=None)
    if not ready:
        return result
    result.signature = signing.check_document(document)
    edition = document.edition
    newer = edition.superseded_by if edition is not None else None
    if newer is not None:
        result.currency, result.superseded_by = Currency.SUPERSEDED, newer
    elif not document.records_revision:
        result.currency = Currency.UNKNOWN  # issued before the revision was kept with the document
    else:
        reads = building.document_type(document.kind).reads
        now = building.records_revision(document.production_id)
        result.changed = building.changed_kinds(document.records_revision, now, reads)
        result.currency = Currency.RECORDS_CHANGED if result.changed else Currency.CURRENT
    return result
