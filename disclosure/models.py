"""What the disclosure app keeps: legal attestations of checklist items and generated documents.

The disclosure app reads production records through selectors and never writes them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from productions.audit import AuditTrail
from productions.models import Production
from productions.storage import private_storage


class ItemStatus(models.TextChoices):
    MET = "met", _("Met")
    ATTENTION = "attention", _("Needs attention")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistAttestation(models.Model):
    """A legal reviewer's statement about one checklist item; the computed status stays beside it."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="attestations")
    item_id = models.CharField(_("checklist item"), max_length=60)
    status = models.CharField(_("attested status"), max_length=20, choices=ItemStatus.choices)
    comment = models.TextField(_("comment"))
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    attested_at = models.DateTimeField(_("attested at"))
    history = AuditTrail()

    class Meta:
        ordering = ["production", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["production", "item_id"], name="attestation_one_per_item"),
            models.CheckConstraint(condition=~Q(comment=""), name="attestation_has_comment"),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.get_status_display()}"


class DocumentKind(models.TextChoices):
    STATEMENT = "statement", _("Transparency statement")
    CHECKLIST = "checklist", _("AI Act checklist")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def document_path(document, filename):
    return f"disclosure/{document.production_id}/{document.id}.pdf"


class DisclosureDocument(models.Model):
    """One requested PDF: a row per render job, immutable once ready, public id for verification."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="disclosure_documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    assessment_date = models.DateField(_("assessment date"))
    # What the verification page shows: a snapshot of what the PDF states, kept even if records change.
    production_title = models.CharField(_("production title"), max_length=200)
    cut = models.CharField(_("cut"), max_length=120, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The outbox: a job is a row first and is handed to the broker after commit. Empty while it waits
    # to be sent (the broker was down); the sweeper (disclosure.documents.outbox) sends it later.
    sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What requests are matched on (documents.request_key): kind, language, date, template version and the
    # records revision; the worker stores the revision it built from.
    request_key = models.CharField(max_length=64, db_index=True, blank=True, editable=False)
    # Set by the worker when the document is ready: what it was built from.
    content_hash = models.CharField(
        _("content hash"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the inputs: data, template version, language, kind, date."),
    )
    data = models.JSONField(_("document data"), default=dict, blank=True)
    file = models.FileField(storage=private_storage, upload_to=document_path, blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # A draft is free for every member and says so on every page; an issued document belongs to an edition.
    # A document neither draft nor of an edition was issued before editions existed (migration 0005).
    is_draft = models.BooleanField(_("draft"), default=True)
    edition = models.ForeignKey(
        "Edition", null=True, blank=True, on_delete=models.PROTECT, related_name="documents", verbose_name=_("edition")
    )
    # The records revision (documents.records_revision) the worker built the document from.
    records_revision = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["production", "kind", "language", "status"]),
            # What the sweeper looks for: jobs queued or rendering, oldest first.
            models.Index(fields=["status", "started_at"], name="document_job_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=DocumentStatus.values), name="document_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.READY) | (~Q(sha256="") & ~Q(file="")),
                name="document_ready_has_file_and_hash",
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.FAILED) | ~Q(error=""), name="document_failure_has_error"
            ),
            models.CheckConstraint(
                condition=Q(edition__isnull=True) | Q(is_draft=False), name="document_edition_not_draft"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language}) — {self.production_title}"

    @property
    def issued_before_editions(self):
        return not self.is_draft and self.edition_id is None

    @property
    def waiting_for_broker(self):
        """Queued, and the broker could not be reached when it was sent: the sweeper sends it later."""
        return self.status == DocumentStatus.QUEUED and self.sent_at is None and self.send_attempts > 0


class EditionReason:
    """Audit reasons of editions and sign-offs, declared once."""

    ISSUED = "edition issued"
    READY = "edition ready"
    FAILED = "edition not issued"
    WITHDRAWN = "edition withdrawn"
    SUPERSEDED = "edition superseded"
    SIGNED_OFF = "issue signed off"


class EditionStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Not issued")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class IssueSignOff(models.Model):
    """A legal reviewer's decision that a document may be issued despite what blocks it, with the reason.

    It holds for the records it was made on (their revision), the kind and the assessment date: once the
    records change, the blockers may be others and legal decides again.
    """

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="issue_sign_offs")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    assessment_date = models.DateField(_("assessment date"))
    records_revision = models.CharField(max_length=400, editable=False)
    blockers = models.JSONField(_("what blocked issuing"), default=list)
    reason = models.TextField(_("reason"))
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_off_at = models.DateTimeField(_("signed off at"))
    history = AuditTrail()

    class Meta:
        ordering = ["-signed_off_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="sign_off_has_reason")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.assessment_date}: {self.reason[:60]}"


class Edition(models.Model):
    """One issue of a document: its English and French PDFs, issued together under one id and number.

    A new edition of the same kind supersedes the previous ones as a whole; a producer may withdraw one
    with a reason. What the edition was issued over (the records revision, the blockers and legal's
    sign-off) and what changed since the previous edition are kept with it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="editions")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = models.PositiveIntegerField(_("edition number"))
    assessment_date = models.DateField(_("assessment date"))
    signatory = models.CharField(_("signatory"), max_length=200)
    signatory_role = models.CharField(_("signatory's role"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.PREPARING
    )
    error = models.TextField(_("error"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    records_revision = models.CharField(max_length=400, editable=False)
    # The records as the edition saw them (uses and consents), to say what the next edition changes.
    snapshot = models.JSONField(default=dict, editable=False)
    changes = models.JSONField(_("changes since the previous edition"), null=True, blank=True, editable=False)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("previous edition")
    )
    blockers = models.JSONField(_("what blocked issuing"), default=list, blank=True)
    sign_off = models.ForeignKey(IssueSignOff, null=True, blank=True, on_delete=models.PROTECT, related_name="editions")
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    history = AuditTrail(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["production", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["production", "kind", "number"], name="edition_number_unique"),
            models.CheckConstraint(condition=~Q(signatory=""), name="edition_has_signatory"),
            models.CheckConstraint(condition=Q(status__in=EditionStatus.values), name="edition_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=EditionStatus.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="edition_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(blockers=[]) | Q(sign_off__isnull=False), name="edition_blocked_needs_sign_off"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} no. {self.number} — {self.production}"
