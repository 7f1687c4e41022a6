"""Building documents: their kinds, their inputs' content hash, their request key, and the PDF itself.

Each kind declares how it is built from a production's records and which fragment template
shows it; the same fragment is included by the HTML preview and by the PDF layout. The content
hash covers everything that decides what a PDF says (data, template version, language, kind,
assessment date); it is printed in the PDF. A request is matched to a document already issued
without building anything, by its request key: the same kind, language, date and template
version, and the same records revision (the newest audit-trail entry of each kind of record).
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import pdf, signing
from disclosure.documents import labels
from disclosure.models import ChecklistAttestation, DocumentKind
from disclosure.statement import build_statement
from productions import revisions
from productions.models import (
    AITool,
    AIUse,
    Consent,
    CoverageDecision,
    LiteracyMeasure,
    Membership,
    Person,
    Production,
)

# Bump when a PDF template, the stylesheet or a builder's data changes: identical records then render anew.
TEMPLATE_VERSION = "2026.12.6"


def _assess_checklist(production, on):
    from disclosure.checklist import assess  # built alongside, by the checklist's own module

    return assess(production, on=on)


# What a document reads, with the path from each record to its production (None: the tools its uses name).
# Every write to these records leaves an entry in its audit trail (django-simple-history): through the
# services, the importer and the admin, deletions and changes of linked people and consents included. A
# write that left none would be missing from the audit trail itself, which the services exist to prevent.
REVISION_SOURCES = {
    "production": (Production, "id"),
    "members": (Membership, "production"),
    "people": (Person, "production"),
    "consents": (Consent, "person__production"),
    "coverage": (CoverageDecision, "ai_use__production"),
    "uses": (AIUse, "production"),
    "literacy": (LiteracyMeasure, "production"),
    "attestations": (ChecklistAttestation, "production"),
    "tools": (AITool, None),
}

# What each kind of record is called when a verification says which kinds changed since a document.
REVISION_SOURCE_LABELS = {
    "production": gettext_lazy("the production's details"),
    "members": gettext_lazy("its members"),
    "people": gettext_lazy("people"),
    "consents": gettext_lazy("consents"),
    "coverage": gettext_lazy("legal's coverage decisions"),
    "uses": gettext_lazy("AI uses"),
    "literacy": gettext_lazy("AI literacy measures"),
    "attestations": gettext_lazy("legal's checklist attestations"),
    "tools": gettext_lazy("the tools it uses"),
}


@dataclass(frozen=True)
class DocumentType:
    kind: str
    build: Callable  # (production, on) -> an object with as_data()
    template: str  # the fragment: no page chrome, shared by the preview and the PDF
    context_name: str  # the name the fragment reads the built object under
    reads: tuple[str, ...]  # the kinds of record (REVISION_SOURCES) whose changes can change what it says

    @property
    def label(self):
        return DocumentKind(self.kind).label


DOCUMENT_TYPES = {
    DocumentKind.STATEMENT: DocumentType(
        DocumentKind.STATEMENT,
        build_statement,
        "disclosure/statement_document.html",
        "statement",
        reads=("production", "people", "consents", "coverage", "uses", "tools"),
    ),
    DocumentKind.CHECKLIST: DocumentType(
        DocumentKind.CHECKLIST,
        _assess_checklist,
        "disclosure/checklist_document.html",
        "checklist",
        reads=tuple(REVISION_SOURCES),
    ),
}


def document_type(kind) -> DocumentType:
    return DOCUMENT_TYPES[kind]


def default_assessment_date(production):
    """Checklists and statements speak for the EU release by default, else for today."""
    return production.eu_release_date or timezone.localdate()


def canonical_json(value) -> bytes:
    """One byte sequence per value: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


@dataclass(frozen=True)
class Inputs:
    """Everything that decides what a document says."""

    kind: str
    language: str
    date: datetime.date
    data: dict

    @cached_property
    def content(self):
        return {
            "kind": str(self.kind),
            "language": self.language,
            "date": self.date.isoformat(),
            "template_version": TEMPLATE_VERSION,
            "data": self.data,
        }

    @cached_property
    def content_hash(self):
        return hashlib.sha256(canonical_json(self.content)).hexdigest()


def build(production, kind, language, on):
    """The built document object and its inputs, in the document's language."""
    with translation.override(language):
        built = document_type(kind).build(production, on=on)
        return built, Inputs(kind=kind, language=language, date=on, data=built.as_data())


def records_revision(production_id) -> str:
    """The newest audit-trail entry of each kind of record a document reads: it changes with every write.

    One query, whatever the number of records: the newest `history_id` per kind, through the history
    tables' indexes. Tools are shared by every production: only those its uses name count, so that an edit
    of a tool another production uses leaves this one's documents current.
    """
    return revisions.revision(production_id, REVISION_SOURCES)


def changed_kinds(then, now, kinds=None) -> list[str]:
    """The kinds of record (REVISION_SOURCES' names) whose newest entry differs between two revisions."""
    return revisions.changed_kinds(REVISION_SOURCES, then, now, kinds)


def request_key(production_id, kind, language, on, revision=None) -> str:
    """What a request for a document is matched on: equal keys, equal documents, nothing built to know it."""
    key = {
        "kind": str(kind),
        "language": language,
        "date": on.isoformat(),
        "template_version": TEMPLATE_VERSION,
        "records": revision or records_revision(production_id),
    }
    return hashlib.sha256(canonical_json(key)).hexdigest()


def verify_url(document_id):
    return settings.REELPROOF_PUBLIC_URL + reverse("disclosure:verify", args=[document_id])


def attachment_name(document_id):
    return f"reelproof-{document_id}.json"


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    inputs: Inputs
    production_title: str
    cut: str

    @cached_property
    def sha256(self):
        return hashlib.sha256(self.pdf).hexdigest()


def _issue_data(document, edition):
    """What the embedded data says of the document itself: a draft, or which edition, by whom, over what."""
    if document.is_draft or edition is None:
        return {"status": "draft", "notice": "Draft: not for submission"}
    sign_off = edition.sign_off
    return {
        "status": "issued",
        "edition": {
            "id": str(edition.id),
            "number": edition.number,
            "signatory": edition.signatory,
            "signatory_role": edition.signatory_role,
            "records_revision": edition.records_revision,
            "previous_edition": str(edition.previous_id) if edition.previous_id else None,
            "changes_since_previous": edition.changes,
            "blockers": edition.blockers,
            "sign_off": None
            if sign_off is None
            else {
                "by": sign_off.signed_off_by.get_full_name() or sign_off.signed_off_by.get_username()
                if sign_off.signed_off_by
                else None,
                "at": sign_off.signed_off_at.isoformat(),
                "reason": sign_off.reason,
            },
        },
    }


def render(document) -> Rendered:
    """The PDF of a requested document, built from the records as they are now, in its language."""
    production = document.production
    doc_type = document_type(document.kind)
    with translation.override(document.language):
        built, inputs = build(production, document.kind, document.language, document.assessment_date)
        url = verify_url(document.id)
        # The embedded data: what the document says, machine-readable. SHA-256 of canonical JSON
        # of `content` is the content hash printed on the first page and shown when verifying.
        edition = document.edition
        embedded = {
            "document_id": str(document.id),
            "production_id": production.id,
            "content_hash": inputs.content_hash,
            "verify_url": url,
            "content": inputs.content,
            **_issue_data(document, edition),
        }
        title = _("%(kind)s: %(title)s") % {"kind": doc_type.label, "title": production.title}
        context = {
            "language": document.language,
            "document_title": title,
            "subject": _("%(kind)s on the use of AI in %(title)s, as of %(date)s")
            % {
                "kind": doc_type.label,
                "title": production.title,
                "date": document.assessment_date.isoformat(),
            },
            "document_id": str(document.id),
            "kind_label": doc_type.label,
            "production": production,
            "on": document.assessment_date,
            "issued_on": timezone.localdate(),
            "records_as_of": timezone.now(),
            "draft": document.is_draft,
            "edition": edition,
            "blockers": labels.blocker_labels(edition.blockers) if edition else [],
            "changes": labels.change_lines(edition.changes) if edition else None,
            "verify_url": url,
            "qr_code": pdf.qr_code_data_uri(url),
            "content_hash": inputs.content_hash,
            "attachment_name": attachment_name(document.id),
            "running_title": pdf.css_text(title),
            "running_document_id": pdf.css_text(str(document.id)),
            "page_numbering": pdf.css_content(_("Page %(page)s of %(pages)s")),
            "footer_note": pdf.css_content(_("Reelproof · an aid to compliance, not legal advice")),
            "fragment_template": doc_type.template,
            "signed_by": signing.signer_name(),
            "signatory": edition.signatory if edition else "",
            doc_type.context_name: built,
        }
        html = render_to_string("pdf/document.html", context)
        attachment = pdf.json_attachment(
            json.dumps(embedded, sort_keys=True, indent=2, ensure_ascii=False).encode(),
            name=attachment_name(document.id),
            description=_("The data of this document, machine-readable"),
        )
        # Signed last, over the finished PDF/A: an incremental update that keeps its bytes, data and QR code.
        pdf_bytes = signing.sign_pdf(
            pdf.html_to_pdf(html, attachments=[attachment]),
            reason=_("Issued by Reelproof: %(kind)s, document %(id)s") % {"kind": doc_type.label, "id": document.id},
        )
    return Rendered(pdf=pdf_bytes, inputs=inputs, production_title=production.title, cut=production.cut)
