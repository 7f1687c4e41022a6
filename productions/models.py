"""The records a production keeps (domain.md §2).

Reads go through selectors.py, writes through services.py; derived state such as an AI
use's consent status is computed in consent_status.py, and kept for filtering only as kept_statuses.py
keeps it: recomputed whenever the records it reads or the date move.
"""

import contextlib
import datetime
import re

from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, router
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from multiselectfield import MultiSelectField

from productions import tracker_ids
from productions.audit import AuditTrail
from productions.storage import consent_document_path, private_storage, withdrawal_document_path
from productions.vocabularies import (
    CONSENT_KINDS_FOR_PERFORMER_USE,
    REPLICA_CONSENT_KINDS,
    CompanySize,
    ConsentKind,
    ConsentMedium,
    CoverageDecisionKind,
    DeepFake,
    Department,
    Determination,
    DigitalSourceType,
    DisclosureMethod,
    EmailFrequency,
    EmotionRecognition,
    ImportAction,
    ImportSource,
    InputRights,
    LiteracyMeasureKind,
    NotificationEvent,
    OperatorRole,
    OrganisationRole,
    OutputMarking,
    OutputType,
    PerformerUse,
    Permission,
    Phase,
    ProductionCreation,
    ProductionKind,
    ProposalStatus,
    PublishedIn,
    ReviewState,
    Role,
    ToolKind,
    ToolPolicyStatus,
    TrainingDataProvenance,
    TriState,
    Union,
    UsePurpose,
)

TIMECODE_REGEX = r"^\d{2}:[0-5]\d:[0-5]\d[:;]\d{2}$"
timecode_validator = RegexValidator(TIMECODE_REGEX, _("Enter a SMPTE timecode such as 01:02:03:04."))


class ChecksTogether(models.Model):
    """Validates the model's check constraints in one query rather than one each.

    Django checks each CheckConstraint by a query of its own, in a savepoint of its own inside a transaction (three
    queries each: an AI use's five took 15 of the 44 queries of its update). All of them hold when their conjunction
    does (SQL's three-valued logic: a NULL condition passes a CHECK, and a NULL in a conjunction is FALSE only where
    another condition is), so they are checked together first; where they do not all hold, or one reads a field
    excluded from the validation, each is checked on its own as Django does, and the errors are Django's own.
    """

    class Meta:
        abstract = True

    _check_constraints_hold = False

    def validate_constraints(self, exclude=None):
        checks = [constraint.condition for constraint in self._meta.constraints if _is_check(constraint)]
        if len(checks) > 1:
            against = self._get_field_expression_map(meta=self._meta, exclude=exclude)
            # FieldError: a condition reads an excluded field, and Django skips that one constraint alone.
            with contextlib.suppress(FieldError):
                self._check_constraints_hold = Q(*checks).check(
                    against, using=router.db_for_write(type(self), instance=self)
                )
        try:
            super().validate_constraints(exclude=exclude)
        finally:
            self._check_constraints_hold = False

    def get_constraints(self):
        constraints = super().get_constraints()
        if not self._check_constraints_hold:
            return constraints
        return [
            (model, [constraint for constraint in model_constraints if not _is_check(constraint)])
            for model, model_constraints in constraints
        ]


def _is_check(constraint):
    return isinstance(constraint, models.CheckConstraint)


class TimeStamped(ChecksTogether):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Production(TimeStamped):
    organisation = models.ForeignKey(
        "Organisation", on_delete=models.PROTECT, related_name="productions", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    original_title = models.CharField(_("original title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductionKind.choices)
    production_company = models.CharField(_("production company"), max_length=200)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1888), MaxValueValidator(2100)])
    eu_release_date = models.DateField(
        _("EU release or first exposure"),
        null=True,
        blank=True,
        help_text=_("The date the work is first made available in the EU; checklists are assessed on it."),
    )
    cut = models.CharField(
        _("cut or version disclosed"), max_length=120, blank=True, help_text=_('For example "picture lock v3".')
    )
    contact_point = models.CharField(_("contact point for disclosure questions"), max_length=200, blank=True)
    screenplay_credit = models.CharField(
        _("screenplay by"), max_length=300, blank=True, help_text=_("The writers credited for the screenplay.")
    )
    screenplay_human_authored = models.CharField(
        _("screenplay written by humans"),
        max_length=20,
        choices=Determination.choices,
        default=Determination.NOT_DETERMINED,
        help_text=_("Academy rules: screenplays are human-authored. Not determined until someone decides."),
    )
    performances_by_humans = models.CharField(
        _("every performance given by a human"),
        max_length=20,
        choices=Determination.choices,
        default=Determination.NOT_DETERMINED,
        help_text=_(
            "What the production declares; the checklist and the statement also read the AI uses, which name"
            " every replica, voice clone and alteration with the consent it rests on."
        ),
    )
    evidently_artistic = models.CharField(
        _("evidently artistic, creative, satirical or fictional work"),
        max_length=20,
        choices=Determination.choices,
        default=Determination.NOT_DETERMINED,
        help_text=_(
            "A determination someone makes and records. Only when it is yes may deep fakes be disclosed in a way"
            " that does not hamper enjoyment of the work (Art. 50(4), Recital 134); not determined: no such carve-out."
        ),
    )
    principal_photography_start = models.DateField(
        _("principal photography began"),
        null=True,
        blank=True,
        help_text=_("Decides which SAG-AFTRA agreement applies to the performers (2023 or 2026)."),
    )
    principal_photography_end = models.DateField(_("principal photography ended"), null=True, blank=True)
    company_size = models.CharField(
        _("company size class"),
        max_length=20,
        choices=CompanySize.choices,
        blank=True,
        default=CompanySize.NOT_STATED,
        help_text=_("For the AI Act's fines: SMEs (and small mid-caps for most fines) pay the lower amount."),
    )
    signatory = models.CharField(
        _("signatory"), max_length=200, blank=True, help_text=_("Name and title of who signs the statement.")
    )
    tracker_id_pattern = models.CharField(
        _("tracker id pattern"),
        max_length=100,
        blank=True,
        validators=[tracker_ids.check_pattern],
        help_text=_(
            "How episode and sequence are read from tracker ids, e.g. {episode}_{sequence}_{shot}. "
            "Empty: {episode}_{sequence}_{shot} for a series, {sequence}_{shot} otherwise."
        ),
    )
    history = AuditTrail()

    class Meta:
        ordering = ["title", "year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1888) & Q(year__lte=2100), name="production_year_plausible"),
            models.CheckConstraint(
                condition=Q(principal_photography_start__isnull=True)
                | Q(principal_photography_end__isnull=True)
                | Q(principal_photography_end__gte=F("principal_photography_start")),
                name="production_photography_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @property
    def id_pattern(self):
        """The pattern episode and sequence are read by: the production's own, or its kind's default."""
        if self.tracker_id_pattern:
            return self.tracker_id_pattern
        series = self.kind in (ProductionKind.SERIES, ProductionKind.EPISODE)
        return tracker_ids.SERIES_PATTERN if series else tracker_ids.FILM_PATTERN

    def clean(self):
        start, end = self.principal_photography_start, self.principal_photography_end
        if start and end and end < start:
            raise ValidationError({"principal_photography_end": _("Principal photography ends after it begins.")})


class Membership(TimeStamped):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = AuditTrail()

    class Meta:
        ordering = ["production", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["production", "user"], name="membership_unique_user_per_production"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} on {self.production}"


class Person(TimeStamped):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or character"), max_length=200, blank=True)
    union = models.CharField(_("union"), max_length=20, choices=Union.choices, default=Union.NONE)
    union_other = models.CharField(_("other union"), max_length=100, blank=True)
    representative_contact = models.CharField(_("representative or estate contact"), max_length=300, blank=True)
    deceased = models.BooleanField(
        _("deceased"), default=False, help_text=_("Consents then need a post-mortem authority (estate or union).")
    )
    history = AuditTrail()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(condition=~Q(union="other") | ~Q(union_other=""), name="person_other_union_named"),
        ]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


SAME_TOOL_MESSAGE = _("This vendor, product, model and version are already in the catalogue: edit that entry instead.")


class AITool(TimeStamped):
    """An entry of the tool catalogue: shared by every production (curated), or private to one organisation."""

    organisation = models.ForeignKey(
        "Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="private_tools",
        verbose_name=_("private to"),
        help_text=_("Empty for an entry of the shared catalogue."),
    )
    vendor = models.CharField(_("vendor"), max_length=120)
    product = models.CharField(_("product"), max_length=120)
    model_name = models.CharField(_("model"), max_length=120, blank=True)
    model_version = models.CharField(_("model version"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ToolKind.choices)
    general_purpose_model = models.BooleanField(
        _("built on a general-purpose AI model"), default=False, help_text=_("AI Act Art. 3(63) and 53.")
    )
    our_role = models.CharField(
        _("our role"), max_length=20, choices=OperatorRole.choices, default=OperatorRole.DEPLOYER
    )
    vendor_trains_on_inputs = models.CharField(
        _("vendor trains on our inputs"), max_length=10, choices=TriState.choices, default=TriState.UNKNOWN
    )
    vendor_retains_inputs = models.CharField(
        _("vendor retains our inputs"), max_length=10, choices=TriState.choices, default=TriState.UNKNOWN
    )
    training_data_provenance = MultiSelectField(
        _("training-data provenance"),
        choices=TrainingDataProvenance.choices,
        max_length=80,
        default=TrainingDataProvenance.UNDISCLOSED,
    )
    training_data_notes = models.TextField(_("training-data notes"), blank=True)
    training_content_summary_url = models.URLField(
        _("public training-content summary"), blank=True, help_text=_("AI Act Art. 53(1)(d).")
    )
    copyright_policy_url = models.URLField(
        _("copyright policy"),
        blank=True,
        help_text=_("AI Act Art. 53(1)(c); honours DSM Directive Art. 4(3) opt-outs."),
    )
    honours_tdm_opt_out = models.CharField(
        _("honours text-and-data-mining opt-outs"), max_length=10, choices=TriState.choices, default=TriState.UNKNOWN
    )
    output_marking = models.CharField(
        _("machine-readable output marking"),
        max_length=20,
        choices=OutputMarking.choices,
        default=OutputMarking.UNKNOWN,
        help_text=_("AI Act Art. 50(2)."),
    )
    on_market_since = models.DateField(
        _("placed on the market or put into service on"),
        null=True,
        blank=True,
        help_text=_(
            "In the EU. Generative systems placed before 2 Aug 2026 have until 2 Dec 2026 to mark outputs"
            " (Art. 111(4)); general-purpose models placed before 2 Aug 2025 have until 2 Aug 2027 (Art. 111(3))."
        ),
    )
    history = AuditTrail()

    class Meta:
        ordering = ["vendor", "product", "model_name", "model_version"]
        verbose_name = _("AI tool")
        permissions = [("curate_catalogue", _("Can curate the shared tool catalogue"))]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "product", "model_name", "model_version"],
                condition=Q(organisation__isnull=True),
                name="aitool_unique_model_version",
                violation_error_message=SAME_TOOL_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["organisation", "vendor", "product", "model_name", "model_version"],
                condition=Q(organisation__isnull=False),
                name="aitool_unique_private_model_version",
                violation_error_message=SAME_TOOL_MESSAGE,
            ),
        ]

    def __str__(self):
        model = " ".join(part for part in (self.model_name, self.model_version) if part)
        return f"{self.vendor} {self.product}" + (f" ({model})" if model else "")

    @property
    def is_shared(self):
        return self.organisation_id is None


class Consent(TimeStamped):
    """One person's consent to one kind of use, with its review state."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("kind"), max_length=30, choices=ConsentKind.choices)
    scope_description = models.TextField(
        _("intended use"),
        help_text=_(
            "A reasonably specific description of the intended use: consent to one use is not consent to another."
        ),
    )
    separately_signed = models.BooleanField(
        _("separately signed"), default=False, help_text=_("Signed on its own, not buried in a contract.")
    )
    not_separately_signed_reason = models.TextField(
        _("why it is not separately signed"),
        blank=True,
        help_text=_("Needed to approve a consent that was not signed on its own."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    scan_notice_on = models.DateField(
        _("scan notice given on"), null=True, blank=True, help_text=_("At least 48 hours before the scan.")
    )
    scan_on = models.DateField(_("scan date"), null=True, blank=True)
    scope_shots = models.TextField(
        _("shots, reels or scenes covered"),
        blank=True,
        help_text=_("One per line, e.g. “reel 3” or “SH0030”; blank when the description says it all."),
    )
    media = MultiSelectField(
        _("media"),
        max_length=200,
        choices=ConsentMedium.choices,
        blank=True,
        help_text=_("Where the use may be shown."),
    )
    media_notes = models.CharField(_("media, as the document words them"), max_length=300, blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    term_starts_on = models.DateField(_("term starts on"), null=True, blank=True)
    expires_on = models.DateField(_("term ends on"), null=True, blank=True)
    compensation = models.CharField(_("compensation"), max_length=300, blank=True)
    gdpr_explicit_consent = models.BooleanField(
        _("explicit consent to biometric processing"), default=False, help_text=_("GDPR Art. 9(2)(a).")
    )
    dpia_reference = models.CharField(_("DPIA reference"), max_length=120, blank=True, help_text=_("GDPR Art. 35."))
    covers_likeness = models.BooleanField(
        _("the described use includes the likeness"),
        default=True,
        help_text=_(
            "A SAG-AFTRA digital replica is of the voice and/or likeness: tick when this one includes the face"
            " and body."
        ),
    )
    covers_voice = models.BooleanField(
        _("the described use includes the voice"),
        default=False,
        help_text=_(
            "A SAG-AFTRA digital replica is of the voice and/or likeness: tick when this one includes the voice."
        ),
    )
    # Equity's "Don't sign on set" questions and the SAG-AFTRA 2026 agreement's, for legal to answer.
    scan_business_reason = models.TextField(
        _("business reason for the scan"), blank=True, help_text=_("Given with the scan notice.")
    )
    data_retention = models.TextField(
        _("data retention"), blank=True, help_text=_("How long the scans, recordings and models are kept, and where.")
    )
    data_deletion_on = models.DateField(_("data deleted on or by"), null=True, blank=True)
    training_permission = models.CharField(
        _("training AI on the performer's data"),
        max_length=20,
        choices=Permission.choices,
        default=Permission.NOT_STATED,
    )
    third_party_licensing = models.CharField(
        _("licensing to third parties (e.g. for training)"),
        max_length=20,
        choices=Permission.choices,
        default=Permission.NOT_STATED,
    )
    performer_is_minor = models.CharField(
        _("the performer is a minor"), max_length=10, choices=TriState.choices, default=TriState.UNKNOWN
    )
    guardian = models.CharField(
        _("parent or guardian who consented"), max_length=200, blank=True, help_text=_("Needed for a minor.")
    )
    intimate_imagery_consent = models.BooleanField(
        _("explicit consent to generated intimate imagery"),
        default=False,
        help_text=_(
            "A separate, specific consent to generating sexually explicit or intimate imagery of this person"
            " (AI Act Art. 5(1)(ba), from 2 Dec 2026)."
        ),
    )
    intimate_imagery_description = models.TextField(
        _("intimate imagery consented to"),
        blank=True,
        help_text=_("What imagery, in which scenes: the consent is to this generation and no other."),
    )
    post_mortem_authority = models.CharField(
        _("post-mortem authority"),
        max_length=200,
        blank=True,
        help_text=_("Estate or union, when the person has died."),
    )
    document = models.FileField(
        _("signed document"), storage=private_storage, upload_to=consent_document_path, blank=True, max_length=200
    )
    document_sha256 = models.CharField(_("document SHA-256"), max_length=64, blank=True, editable=False)
    document_content_type = models.CharField(max_length=40, blank=True, editable=False)
    document_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    review_state = models.CharField(
        _("review state"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    review_reason = models.TextField(_("review reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reviews",
        verbose_name=_("reviewer assigned"),
    )
    review_due_on = models.DateField(_("review due on"), null=True, blank=True)
    revoked_on = models.DateField(
        _("revoked on"), null=True, blank=True, help_text=_("Withdrawal of consent (GDPR Art. 7(3)).")
    )
    revocation_reason = models.TextField(_("why it was withdrawn"), blank=True)
    withdrawal_document = models.FileField(
        _("written withdrawal"),
        storage=private_storage,
        upload_to=withdrawal_document_path,
        blank=True,
        max_length=200,
    )
    withdrawal_document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    withdrawal_document_content_type = models.CharField(max_length=40, blank=True, editable=False)
    # Raised by every write through the services; an edit made on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = AuditTrail()

    class Meta:
        ordering = ["person__name", "kind", "signed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ConsentKind.values), name="consent_kind_valid"),
            models.CheckConstraint(condition=Q(review_state__in=ReviewState.values), name="consent_state_valid"),
            models.CheckConstraint(
                condition=Q(review_state=ReviewState.DRAFT) | Q(signed_on__isnull=False),
                name="consent_signed_before_review",
            ),
            models.CheckConstraint(
                condition=(
                    Q(review_state__in=[ReviewState.DRAFT, ReviewState.SUBMITTED], reviewed_at__isnull=True)
                    | Q(
                        review_state__in=[
                            ReviewState.APPROVED,
                            ReviewState.REJECTED,
                            ReviewState.CHANGES_REQUESTED,
                        ],
                        reviewed_at__isnull=False,
                    )
                ),
                name="consent_reviewed_iff_decided",
            ),
            models.CheckConstraint(
                condition=~Q(review_state__in=[ReviewState.REJECTED, ReviewState.CHANGES_REQUESTED])
                | ~Q(review_reason=""),
                name="consent_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(signed_on__isnull=True) | Q(expires_on__gte=F("signed_on")),
                name="consent_expires_after_signature",
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(signed_on__isnull=True) | Q(revoked_on__gte=F("signed_on")),
                name="consent_revoked_after_signature",
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | ~Q(revocation_reason=""),
                name="consent_revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(term_starts_on__isnull=True)
                | Q(expires_on__gte=F("term_starts_on")),
                name="consent_term_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.person.name}: {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.review_state != ReviewState.DRAFT and not self.signed_on:
            errors["signed_on"] = _("A consent goes to review only once it is signed.")
        if self.signed_on and self.expires_on and self.expires_on < self.signed_on:
            errors["expires_on"] = _("A consent cannot expire before it is signed.")
        if self.signed_on and self.revoked_on and self.revoked_on < self.signed_on:
            errors["revoked_on"] = _("A consent cannot be revoked before it is signed.")
        if self.scan_notice_on and self.scan_on and self.scan_on - self.scan_notice_on < datetime.timedelta(days=2):
            errors["scan_notice_on"] = _("Notice of a scan must be given at least 48 hours before it.")
        if self.intimate_imagery_consent and not self.intimate_imagery_description.strip():
            errors["intimate_imagery_description"] = _("Describe the intimate imagery the person consents to.")
        if self.person_id and self.person.deceased and not self.post_mortem_authority:
            errors["post_mortem_authority"] = _("The person has died: name the estate or union that consents.")
        if self.term_starts_on and self.expires_on and self.expires_on < self.term_starts_on:
            errors["expires_on"] = _("The term ends after it starts.")
        if self.kind in REPLICA_CONSENT_KINDS and not (self.covers_likeness or self.covers_voice):
            errors["covers_likeness"] = _("A digital replica is of the likeness, the voice or both: say which.")
        if self.performer_is_minor == TriState.YES and not self.guardian.strip():
            errors["guardian"] = _("The performer is a minor: name the parent or guardian who consented.")
        if errors:
            raise ValidationError(errors)

    def standing(self, on=None):
        """What the consent is worth on a date (today by default), as every list shows it: never “Approved” once it
        has expired or been revoked."""
        from productions.consent_status import consent_validity

        return consent_validity(self, on or timezone.localdate())


class CoverageDecision(ChecksTogether):
    """Legal's decision that a consent does, or does not, cover one AI use that relies on it.

    SAG-AFTRA: consent to one use is not consent to another. The decision holds for the consent's scope and the
    use's facts it was made on (their fingerprints): when either changes, the coverage is to confirm again.
    """

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="coverage_decisions")
    ai_use = models.ForeignKey("AIUse", on_delete=models.CASCADE, related_name="coverage_decisions")
    decision = models.CharField(_("decision"), max_length=20, choices=CoverageDecisionKind.choices)
    note = models.TextField(_("note"), blank=True)
    consent_scope = models.CharField(max_length=64, editable=False)
    use_facts = models.CharField(max_length=64, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"))
    history = AuditTrail()

    class Meta:
        ordering = ["consent", "ai_use"]
        verbose_name = _("coverage decision")
        constraints = [
            models.UniqueConstraint(fields=["consent", "ai_use"], name="coveragedecision_unique_pair"),
            models.CheckConstraint(
                condition=Q(decision__in=CoverageDecisionKind.values), name="coveragedecision_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision=CoverageDecisionKind.COVERS) | ~Q(note=""),
                name="coveragedecision_refusal_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.consent} → {self.ai_use}: {self.get_decision_display()}"


def pipeline_order():
    """A use's phase as its position in the way a film is made: what the ledger sorts by first. The index
    aiuse_pipeline_order holds this very expression, so that a page of the ledger is read in order from it."""
    return Case(
        *(When(phase=phase, then=Value(position)) for position, phase in enumerate(Phase.values)),
        output_field=IntegerField(),
    )


class AIUse(TimeStamped):
    """One use of an AI tool in a production: the heart of the ledger."""

    # Indexed with the id (Meta.indexes, aiuse_production_id) rather than alone.
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="ai_uses", db_index=False)
    phase = models.CharField(_("phase"), max_length=30, choices=Phase.choices)
    department = models.CharField(_("department"), max_length=30, choices=Department.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    shots = models.TextField(_("shots or scenes"), blank=True)
    timecode_in = models.CharField(_("timecode in"), max_length=11, blank=True, validators=[timecode_validator])
    timecode_out = models.CharField(_("timecode out"), max_length=11, blank=True, validators=[timecode_validator])
    frame_in = models.PositiveIntegerField(_("frame in"), null=True, blank=True)
    frame_out = models.PositiveIntegerField(_("frame out"), null=True, blank=True)
    external_id = models.CharField(
        _("tracker id"),
        max_length=120,
        blank=True,
        help_text=_("The shot or task id in Kitsu, ShotGrid or ftrack, kept as text."),
    )
    used_from = models.DateField(
        _("first used on"),
        null=True,
        blank=True,
        help_text=_("Prohibitions and high-risk rules apply to a use by when it happened."),
    )
    used_until = models.DateField(_("last used on"), null=True, blank=True)
    tool = models.ForeignKey(
        AITool, null=True, blank=True, on_delete=models.PROTECT, related_name="ai_uses", verbose_name=_("tool")
    )
    output_type = models.CharField(_("output type"), max_length=20, choices=OutputType.choices)
    digital_source_type = models.CharField(
        _("IPTC digital source type"), max_length=40, choices=DigitalSourceType.choices
    )
    is_final = models.BooleanField(
        _("in the final work"), default=False, help_text=_("Unticked: previs, temp or internal only.")
    )
    human_contribution = models.TextField(
        _("what the humans did"), blank=True, help_text=_("Who directed, selected, retouched or rejected the output.")
    )
    performer_use = models.CharField(
        _("what it does to the people depicted"),
        max_length=30,
        choices=PerformerUse.choices,
        default=PerformerUse.NONE,
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="ai_uses", verbose_name=_("people depicted or voiced")
    )
    consents = models.ManyToManyField(Consent, blank=True, related_name="ai_uses", verbose_name=_("consents relied on"))
    deep_fake = models.CharField(
        _("deep fake"),
        max_length=20,
        choices=DeepFake.choices,
        default=DeepFake.NOT_DETERMINED,
        help_text=_(
            "Resembles existing persons, objects, places, entities or events and would falsely appear"
            " authentic (AI Act Art. 3(60))."
        ),
    )
    disclosure_method = models.CharField(
        _("audience disclosure"), max_length=30, choices=DisclosureMethod.choices, default=DisclosureMethod.NONE
    )
    published_in = MultiSelectField(
        _("published outside the final work in"),
        choices=PublishedIn.choices,
        max_length=60,
        blank=True,
        default=list,
        help_text=_("Trailers, posters, press kits and social media expose the audience too (Art. 50(4))."),
    )
    inputs_description = models.TextField(_("inputs"), blank=True)
    inputs_rights = models.CharField(
        _("rights in the inputs"), max_length=20, choices=InputRights.choices, default=InputRights.OWN_MATERIAL
    )
    biometric_data = models.BooleanField(_("processes biometric face or voice data"), default=False)
    emotion_recognition = models.CharField(
        _("emotion recognition"), max_length=20, choices=EmotionRecognition.choices, default=EmotionRecognition.NONE
    )
    purpose = models.CharField(
        _("purpose, where the law turns on it"),
        max_length=30,
        choices=UsePurpose.choices,
        blank=True,
        default=UsePurpose.NOT_STATED,
        help_text=_(
            "Emotion recognition at work is allowed only for medical or safety reasons (Art. 5(1)(f)); labelling"
            " or filtering a lawfully acquired dataset is outside Art. 5(1)(g)."
        ),
    )
    biometric_categorisation = models.BooleanField(_("biometric categorisation"), default=False)
    sensitive_traits_inferred = models.BooleanField(
        _("infers sensitive traits"),
        default=False,
        help_text=_("Race, political opinions, union membership, beliefs, sex life or orientation (Art. 5(1)(g))."),
    )
    untargeted_face_scraping = models.BooleanField(
        _("untargeted scraping of facial images"), default=False, help_text=_("AI Act Art. 5(1)(e).")
    )
    people_informed = models.BooleanField(
        _("people exposed were informed"),
        default=False,
        help_text=_("Of emotion recognition or biometric categorisation (Art. 50(3))."),
    )
    intimate_imagery = models.BooleanField(
        _("generates sexual or intimate imagery of an identifiable person"),
        default=False,
        help_text=_(
            "Needs that person's explicit, specific consent to this generation (Art. 5(1)(ba), from 2 Dec 2026)."
        ),
    )
    screens_casting_or_hiring = models.BooleanField(
        _("screens or ranks people for casting or hiring"), default=False, help_text=_("High-risk: Annex III 4(a).")
    )
    public_interest_text = models.BooleanField(
        _("text published to inform the public"), default=False, help_text=_("On matters of public interest.")
    )
    human_editorial_responsibility = models.BooleanField(
        _("under human editorial review and responsibility"), default=False
    )
    marking_kept_in_master = models.CharField(
        _("output marking kept in the master"),
        max_length=10,
        choices=TriState.choices,
        default=TriState.UNKNOWN,
        help_text=_("The machine-readable marking survives into the delivered master (Art. 50(2))."),
    )
    handed_to_writers = models.BooleanField(_("material handed to writers"), default=False)
    writers_informed = models.BooleanField(
        _("writers told it was AI-generated"), default=False, help_text=_("WGA 2023 MBA Art. 72.")
    )
    # Raised by every write through the services; an edit made on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Derived from the title and tracker id on every save (productions.tracker_ids): what the ledger matches,
    # sorts and groups by. Not history: they say nothing the title and tracker id do not.
    tracker_key = models.CharField(max_length=120, blank=True, editable=False)
    title_sort = models.CharField(max_length=tracker_ids.SORT_KEY_LENGTH, blank=True, editable=False)
    tracker_sort = models.CharField(max_length=tracker_ids.SORT_KEY_LENGTH, blank=True, editable=False)
    episode = models.CharField(_("episode"), max_length=60, blank=True, editable=False)
    sequence = models.CharField(_("sequence"), max_length=60, blank=True, editable=False)
    history = AuditTrail(m2m_fields=[people, consents], excluded_fields=list(tracker_ids.DERIVED_FIELDS))

    class Meta:
        ordering = ["phase", "title", "id"]
        verbose_name = _("AI use")
        indexes = [
            # The ledger's and the API's default orders, so that a page is read from an index, not sorted from
            # all the production's uses.
            # The phase included: a page's ids are then read from the index alone (PostgreSQL).
            models.Index(
                F("production"),
                pipeline_order(),
                F("title_sort"),
                F("id"),
                include=["phase"],
                name="aiuse_pipeline_order",
            ),
            # With what the dashboard counts by phase, read from this index alone (PostgreSQL).
            models.Index(
                fields=["production", "phase", "title_sort", "id"],
                include=["is_final", "deep_fake", "tool"],
                name="aiuse_phase_order",
            ),
            # The ids of a production's uses from this index alone: the consent filters match them against the kept
            # statuses (PostgreSQL, 50,000 uses: counting the blocked ones read every row, 28 ms; with it 5 ms).
            models.Index(fields=["production", "id"], name="aiuse_production_id"),
            # The tools a production's uses name (the ledger's tool filter, the records revision), found by probing
            # each tool here, not by reading the tool of every use (50,000 uses: 15-25 ms).
            models.Index(fields=["production", "tool"], name="aiuse_production_tool"),
            models.Index(fields=["production", "updated_at"]),
            models.Index(fields=["production", "title_sort"]),
            models.Index(fields=["production", "tracker_sort"]),
            models.Index(fields=["production", "episode", "sequence"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["production", "external_id"],
                condition=~Q(external_id=""),
                name="aiuse_unique_tracker_id",
            ),
            models.UniqueConstraint(
                fields=["production", "tracker_key"],
                condition=~Q(tracker_key=""),
                name="aiuse_unique_tracker_key",
                violation_error_message=_(
                    "Another AI use of this production already has this tracker id, written the same way or "
                    "with other separators or case."
                ),
            ),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="aiuse_phase_valid"),
            models.CheckConstraint(
                condition=Q(digital_source_type__in=DigitalSourceType.values), name="aiuse_source_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(frame_in__isnull=True) | Q(frame_out__isnull=True) | Q(frame_out__gte=F("frame_in")),
                name="aiuse_frames_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(deep_fake=DeepFake.YES) | ~Q(output_type__in=[OutputType.TEXT, OutputType.ANALYSIS]),
                name="aiuse_deep_fake_is_audiovisual",
            ),
            models.CheckConstraint(
                condition=Q(used_from__isnull=True) | Q(used_until__isnull=True) | Q(used_until__gte=F("used_from")),
                name="aiuse_use_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.derive_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *tracker_ids.DERIVED_FIELDS}
        super().save(*args, **kwargs)

    @property
    def consent_kinds(self):
        """The kinds of consent this use can rest on, or None when it needs no performer consent."""
        return CONSENT_KINDS_FOR_PERFORMER_USE.get(self.performer_use)

    @property
    def exposed(self):
        """The audience sees or hears it: in the final work, or in published material outside it."""
        return self.is_final or bool(self.published_in)

    def derive_keys(self, pattern=None):
        if pattern is None:
            pattern = self.production.id_pattern if self.production_id else ""
        tracker_ids.derive(self, pattern)

    def full_clean(self, *args, **kwargs):
        # The unique tracker key is checked with the other constraints: derive it first.
        self.derive_keys()
        super().full_clean(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.frame_in is not None and self.frame_out is not None and self.frame_out < self.frame_in:
            errors["frame_out"] = _("The last frame comes after the first.")
        # Only well-formed timecodes compare; a malformed one already has its own error.
        well_formed = all(re.match(TIMECODE_REGEX, tc) for tc in (self.timecode_in, self.timecode_out))
        if well_formed and self.timecode_out < self.timecode_in:
            errors["timecode_out"] = _("The out point comes after the in point.")
        if self.used_from and self.used_until and self.used_until < self.used_from:
            errors["used_until"] = _("The last use comes after the first.")
        if self.deep_fake == DeepFake.YES and self.output_type in (OutputType.TEXT, OutputType.ANALYSIS):
            errors["deep_fake"] = _("Only image, video or audio content can be a deep fake.")
        if errors:
            raise ValidationError(errors)


class LiteracyMeasure(TimeStamped):
    """An AI literacy measure taken for staff (AI Act Art. 4)."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="literacy_measures")
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=LiteracyMeasureKind.choices)
    description = models.TextField(_("what was done"))
    departments = MultiSelectField(_("for departments"), choices=Department.choices, max_length=400)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    history = AuditTrail()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("AI literacy measure")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.held_on:%Y-%m-%d})"


class ApiToken(models.Model):
    """A user's personal key to the REST API; only the SHA-256 of the secret is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. “ShotGrid sync”."))
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    # Use is recorded on the row only: a history entry per API call would drown the audit trail.
    history = AuditTrail(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class ImportMapping(TimeStamped):
    """How one kind of spreadsheet maps onto the ledger, saved per production and reused from file to file."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="import_mappings")
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=20, choices=ImportSource.choices)
    mapping = models.JSONField(
        _("columns"), default=dict, blank=True, help_text=_("File column header → ledger field (empty: ignored).")
    )
    fixed_values = models.JSONField(
        _("values for every row"),
        default=dict,
        blank=True,
        help_text=_("Ledger field → value used when no cell gives one."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the file's headers were (productions.imports.mapping.header_signature): the next file with the
    # same headers gets this mapping without being asked.
    header_signature = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import mapping")
        constraints = [
            models.UniqueConstraint(fields=["production", "name"], name="importmapping_unique_name"),
            models.CheckConstraint(condition=Q(source__in=ImportSource.values), name="importmapping_source_valid"),
        ]

    def __str__(self):
        return self.name


class ImportBatch(models.Model):
    """One committed import: who, when, which file, what it did, and whether it was undone."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="import_batches")
    file_name = models.CharField(_("file"), max_length=255)
    source = models.CharField(_("source"), max_length=20, choices=ImportSource.choices, blank=True)
    mapping_name = models.CharField(_("saved mapping"), max_length=100, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    imported_at = models.DateTimeField(_("imported"))
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.file_name


class ImportBatchItem(models.Model):
    """A use an import created or updated, with what undoing it restores."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    # Null once the use is gone (an undone creation, or a use deleted since).
    ai_use = models.ForeignKey(AIUse, null=True, on_delete=models.SET_NULL, related_name="import_items")
    action = models.CharField(max_length=20, choices=ImportAction.choices)
    row_number = models.PositiveIntegerField(_("row"))
    # What the use was called once imported: still said once the use is gone.
    title = models.CharField(_("title"), max_length=200, blank=True)
    external_id = models.CharField(_("tracker id"), max_length=120, blank=True)
    # The use's version once imported: undo is refused when it has moved on since.
    version_after = models.PositiveIntegerField()
    # For an update, each changed field's value before the import, as the field serialises it (value_to_string).
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[ImportAction.CREATE, ImportAction.UPDATE]), name="importbatchitem_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.batch} row {self.row_number}"


class SavedView(models.Model):
    """A ledger view someone named: its filters, search, sort and grouping, as the ledger's query string."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        constraints = [
            models.UniqueConstraint(fields=["user", "production", "name"], name="savedview_unique_name"),
        ]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A studio or production company: it owns productions and decides who may start them."""

    name = models.CharField(_("name"), max_length=200)
    production_creation = models.CharField(
        _("who may start productions"),
        max_length=20,
        choices=ProductionCreation.choices,
        default=ProductionCreation.ADMINS,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = AuditTrail()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=Q(production_creation__in=ProductionCreation.values), name="organisation_policy_valid"
            ),
        ]

    def __str__(self):
        return self.name


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    history = AuditTrail()

    class Meta:
        ordering = ["organisation", "user__username"]
        verbose_name = _("organisation member")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="organisationmembership_unique_user"),
            models.CheckConstraint(condition=Q(role__in=OrganisationRole.values), name="organisationmembership_role"),
        ]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} of {self.organisation}"


class Invitation(models.Model):
    """An e-mailed, one-time link to join an organisation, optionally straight onto one of its productions.

    Only the SHA-256 of the link's token is kept, as for API tokens.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    production = models.ForeignKey(
        Production, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    production_role = models.CharField(_("role on the production"), max_length=20, choices=Role.choices, blank=True)
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role in the organisation"), max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    history = AuditTrail()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=OrganisationRole.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=Q(production__isnull=True, production_role="")
                | Q(production__isnull=False, production_role__in=Role.values),
                name="invitation_production_role_with_production",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.production or self.organisation}"

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ToolProposal(models.Model):
    """A correction of a shared catalogue entry (or a new entry, without `tool`), proposed for curators to decide."""

    tool = models.ForeignKey(
        AITool, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("tool")
    )
    changes = models.JSONField(_("proposed values"), default=dict)
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("proposed by")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tool_proposals",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("curator's note"), blank=True)
    history = AuditTrail()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tool proposal")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="toolproposal_status_valid"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.tool or self.changes.get('product', '')}"


class OrganisationToolPolicy(models.Model):
    """Whether an organisation approves, restricts or blocks a tool for its productions."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tool_policies")
    tool = models.ForeignKey(AITool, on_delete=models.CASCADE, related_name="policies", verbose_name=_("tool"))
    status = models.CharField(_("policy"), max_length=20, choices=ToolPolicyStatus.choices)
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("set by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = AuditTrail()

    class Meta:
        ordering = ["organisation", "tool"]
        verbose_name = _("organisation tool policy")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "tool"], name="organisationtoolpolicy_unique_tool"),
            models.CheckConstraint(
                condition=Q(status__in=ToolPolicyStatus.values), name="organisationtoolpolicy_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.tool} ({self.get_status_display()})"


class BlockedUse(models.Model):
    """An AI use found blocked by its consents, as the notifications know it: a row per blocked use, kept by the
    services after each consent change and by the daily reminders (an expiry blocks a use with no write at all).

    Not the truth of a use's status (consent_status computes that from the records on any date); only what lets
    "a use newly blocked" be told once. Kept outside the AI use so that it never touches the records' history.
    """

    ai_use = models.OneToOneField("AIUse", on_delete=models.CASCADE, primary_key=True, related_name="block")
    status = models.CharField(max_length=30)
    since = models.DateField()

    def __str__(self):
        return f"{self.ai_use_id}: {self.status} since {self.since}"


class StatusSnapshot(models.Model):
    """For which records and which date a production's kept consent statuses (KeptStatus) were computed.

    `records` is the revision (productions.revisions) of what a status reads: the people, consents, coverage
    decisions and uses. While it and `on` are those of today, every KeptStatus row of the production is the status
    consent_status computes; productions.kept_statuses recomputes them when either moves.
    """

    production = models.OneToOneField(
        Production, on_delete=models.CASCADE, primary_key=True, related_name="status_snapshot"
    )
    records = models.CharField(max_length=200)
    on = models.DateField()

    def __str__(self):
        return f"{self.production_id}: {self.records} on {self.on}"


class KeptStatus(models.Model):
    """The consent status of an AI use that needs consent, kept so that the database filters and counts on it.

    Derived data (productions.kept_statuses keeps it; consent_status computes the truth), never edited, kept outside
    the AI use so that it never touches the records' history. A use with no row needs no consent.
    """

    ai_use = models.OneToOneField("AIUse", on_delete=models.CASCADE, primary_key=True, related_name="kept_status")
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=30)

    class Meta:
        indexes = [models.Index(fields=["production", "status"], name="keptstatus_production_status")]

    def __str__(self):
        return f"{self.ai_use_id}: {self.status}"


class Notification(models.Model):
    """One event told to one person: in their inbox, and by e-mail as their settings ask.

    `key` names the event and what it is about, so that the same event is never told twice to the same person
    (the reminders can run as often as they like).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(_("event"), max_length=40, choices=NotificationEvent.choices)
    key = models.CharField(max_length=200)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    ai_use = models.ForeignKey("AIUse", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient"),
            models.CheckConstraint(condition=Q(event__in=NotificationEvent.values), name="notification_event_valid"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["emailed_at", "recipient"])]

    def __str__(self):
        return f"{self.recipient}: {self.get_event_display()}"


class NotificationSettings(models.Model):
    """How a person wants to hear of events by e-mail; the inbox always has them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.CharField(
        _("e-mail"), max_length=20, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATELY
    )
    language = models.CharField(_("language of the e-mails"), max_length=10, choices=settings.LANGUAGES, default="en")
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__in=EmailFrequency.values), name="notificationsettings_email_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_email_display()}"
