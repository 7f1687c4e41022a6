"""The Django admin for every record, each with its history (who, when, what changed).

The admin is a staff tool for looking things up and repairing data; producers and legal
work in the app, whose writes go through services.py. History here is a record to read,
not an undo button, and signed consent documents leave only through their download view.
"""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from productions import tokens
from productions.audit import save_audited
from productions.consent_status import BLOCKING_STATUSES, consent_status, with_consent_data
from productions.models import (
    AITool,
    AIUse,
    ApiToken,
    Consent,
    CoverageDecision,
    Invitation,
    LiteracyMeasure,
    Membership,
    Notification,
    Organisation,
    OrganisationMembership,
    OrganisationToolPolicy,
    Person,
    Production,
    ToolProposal,
)

EMPTY = "—"


class HistoryAdmin(SimpleHistoryAdmin):
    """Shows each object's history read-only: reverting would bypass the services' rules."""

    # Each row's diff costs queries (two per many-to-many field): keep a history page short.
    history_list_per_page = 25

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a POST to this view even when its Revert button is hidden.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# Productions and members


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]


@admin.register(Production)
class ProductionAdmin(HistoryAdmin):
    list_display = [
        "title", "year", "kind", "organisation", "production_company", "country_names", "eu_release_date", "cut",
    ]  # fmt: skip
    list_select_related = ["organisation"]
    list_filter = [
        "organisation",
        "kind",
        "year",
        "evidently_artistic",
        "screenplay_human_authored",
        "performances_by_humans",
        "company_size",
    ]
    search_fields = ["title", "original_title", "production_company"]
    date_hierarchy = "eu_release_date"
    inlines = [MembershipInline]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    "title",
                    "original_title",
                    "kind",
                    "production_company",
                    "company_size",
                    "countries",
                    "year",
                ]
            },  # fmt: skip
        ),
        (_("Dates"), {"fields": [("principal_photography_start", "principal_photography_end"), "eu_release_date"]}),
        (_("Disclosure"), {"fields": ["cut", "contact_point", "signatory", "evidently_artistic"]}),
        (
            _("Human authorship"),
            {"fields": ["screenplay_credit", "screenplay_human_authored", "performances_by_humans"]},
        ),
    ]

    @admin.display(description=_("countries"))
    def country_names(self, obj):
        return ", ".join(country.name for country in obj.countries) or EMPTY


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "production", "role", "created_at"]
    list_filter = ["role", "production"]
    list_select_related = ["user", "production"]
    search_fields = ["user__username", "user__email", "production__title"]
    autocomplete_fields = ["production", "user"]


# People and their consents


class ConsentInline(admin.TabularInline):
    """A person's consents at a glance; each is edited on its own page, where its document is guarded."""

    model = Consent
    extra = 0
    fields = ["kind", "review_state", "signed_on", "expires_on", "revoked_on"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "role", "production", "union", "deceased"]
    list_filter = ["union", "deceased", "production"]
    list_select_related = ["production"]
    search_fields = ["name", "role", "representative_contact", "production__title"]
    autocomplete_fields = ["production"]
    inlines = [ConsentInline]


class RevokedFilter(admin.SimpleListFilter):
    title = _("revoked")
    parameter_name = "revoked"

    def lookups(self, request, model_admin):
        return [("yes", _("Revoked")), ("no", _("Not revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(revoked_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(revoked_on__isnull=True)
        return queryset


class ExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expiry"
    SOON = datetime.timedelta(days=90)

    def lookups(self, request, model_admin):
        return [
            ("expired", _("Expired")),
            ("soon", _("Expires within 90 days")),
            ("later", _("Expires later")),
            ("never", _("No expiry date")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "expired":
                return queryset.filter(expires_on__lt=today)
            case "soon":
                return queryset.filter(expires_on__gte=today, expires_on__lte=today + self.SOON)
            case "later":
                return queryset.filter(expires_on__gt=today + self.SOON)
            case "never":
                return queryset.filter(expires_on__isnull=True)
        return queryset


@admin.register(Consent)
class ConsentAdmin(HistoryAdmin):
    list_display = [
        "person",
        "production",
        "kind",
        "review_state",
        "signed_on",
        "expires_on",
        "revoked_on",
        "has_document",
    ]
    list_filter = [
        "kind",
        "review_state",
        RevokedFilter,
        ExpiryFilter,
        "covers_likeness",
        "covers_voice",
        "performer_is_minor",
        "training_permission",
        "intimate_imagery_consent",
        "person__production",
    ]
    search_fields = [
        "person__name",
        "person__production__title",
        "scope_description",
        "scope_shots",
        "intimate_imagery_description",
        "dpia_reference",
    ]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["person"]
    # Documents are uploaded through the app (the services sniff their type); the review, its assignment and the
    # reason an approval was given without a separate signature are legal's, made through the services.
    readonly_fields = [
        "document_link",
        "document_sha256",
        "document_content_type",
        "document_size_display",
        "review_state",
        "review_reason",
        "not_separately_signed_reason",
        "reviewed_by",
        "reviewed_at",
        "review_assignee",
        "review_due_on",
        "withdrawal_document_link",
        "withdrawal_document_sha256",
        "withdrawal_document_content_type",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "person",
                    "kind",
                    "scope_description",
                    "scope_shots",
                    ("covers_likeness", "covers_voice"),
                    "separately_signed",
                ]
            },
        ),
        (
            _("Dates"),
            {"fields": ["signed_on", "scan_notice_on", "scan_on", ("term_starts_on", "expires_on")]},
        ),
        (_("Terms"), {"fields": ["media", "media_notes", "territory", "compensation", "scan_business_reason"]}),
        (
            _("Data protection"),
            {
                "fields": [
                    "gdpr_explicit_consent",
                    "dpia_reference",
                    "data_retention",
                    "data_deletion_on",
                    "post_mortem_authority",
                ]
            },
        ),
        (_("Training and licensing"), {"fields": ["training_permission", "third_party_licensing"]}),
        (_("Minors"), {"fields": ["performer_is_minor", "guardian"]}),
        (_("Generated intimate imagery"), {"fields": ["intimate_imagery_consent", "intimate_imagery_description"]}),
        (
            _("Signed document"),
            {"fields": ["document_link", "document_sha256", "document_content_type", "document_size_display"]},
        ),
        (
            _("Review"),
            {
                "fields": [
                    "review_state",
                    "review_reason",
                    "not_separately_signed_reason",
                    "reviewed_by",
                    "reviewed_at",
                    ("review_assignee", "review_due_on"),
                ]
            },
        ),
        (
            _("Withdrawal"),
            {
                "fields": [
                    "revoked_on",
                    "revocation_reason",
                    "withdrawal_document_link",
                    "withdrawal_document_sha256",
                    "withdrawal_document_content_type",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__production", "reviewed_by", "review_assignee")

    @admin.display(description=_("production"), ordering="person__production__title")
    def production(self, obj):
        return obj.person.production

    @admin.display(description=_("document"), boolean=True)
    def has_document(self, obj):
        return bool(obj.document)

    @admin.display(description=_("signed document"))
    def document_link(self, obj):
        # Never obj.document.url: the private storage refuses to make one on purpose.
        if not obj.pk or not obj.document:
            return EMPTY
        url = reverse("productions:consent-document", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the signed document"))

    @admin.display(description=_("document size"))
    def document_size_display(self, obj):
        return filesizeformat(obj.document_size) if obj.document_size is not None else EMPTY

    @admin.display(description=_("written withdrawal"))
    def withdrawal_document_link(self, obj):
        if not obj.pk or not obj.withdrawal_document:
            return EMPTY
        url = reverse("productions:consent-withdrawal-document", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the written withdrawal"))


@admin.register(CoverageDecision)
class CoverageDecisionAdmin(HistoryAdmin):
    """Legal's decisions that a consent covers a use, and their history: to look up, never to write (a decision is
    made in the app, on the consent's scope and the use's facts as they are then)."""

    list_display = ["consent", "ai_use", "decision", "decided_by", "decided_at"]
    list_filter = ["decision", "consent__person__production"]
    list_select_related = ["consent__person", "ai_use", "decided_by"]
    search_fields = ["consent__person__name", "ai_use__title", "note", "consent__person__production__title"]
    date_hierarchy = "decided_at"
    fields = ["consent", "ai_use", "decision", "note", "decided_by", "decided_at", "consent_scope", "use_facts"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The tool catalogue


class AIToolAdminForm(forms.ModelForm):
    """A change made in the admin keeps its reason in the tool's history, as one made in the app does."""

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for the shared catalogue: a source others can check. Kept in the tool's history."),
    )


@admin.register(AITool)
class AIToolAdmin(HistoryAdmin):
    form = AIToolAdminForm
    list_display = [
        "vendor",
        "product",
        "model_name",
        "model_version",
        "kind",
        "our_role",
        "general_purpose_model",
        "output_marking",
        "vendor_trains_on_inputs",
    ]
    list_filter = [
        ("organisation", admin.EmptyFieldListFilter),
        "kind",
        "our_role",
        "output_marking",
        "general_purpose_model",
        "vendor_trains_on_inputs",
    ]
    search_fields = ["vendor", "product", "model_name", "model_version"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Curators change shared entries in the app, where each change needs a reason; the admin grants the role
    # (the "Can curate the shared tool catalogue" permission, to users or a group) and shows the history.
    readonly_fields = ["organisation"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    "vendor",
                    "product",
                    "model_name",
                    "model_version",
                    "kind",
                    "on_market_since",
                ]
            },
        ),
        (_("AI Act"), {"fields": ["our_role", "general_purpose_model", "output_marking"]}),
        (
            _("Training data and our inputs"),
            {
                "fields": [
                    "vendor_trains_on_inputs",
                    "vendor_retains_inputs",
                    "training_data_provenance",
                    "training_data_notes",
                    "training_content_summary_url",
                    "copyright_policy_url",
                    "honours_tdm_opt_out",
                ]
            },
        ),
        (None, {"fields": ["change_reason"]}),
    ]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data["change_reason"]
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj._change_reason = "deleted in the admin"
        super().delete_model(request, obj)


# AI uses


class AIUseAdminForm(forms.ModelForm):
    """The admin supplies the model and the fields (from the fieldsets)."""

    def clean(self):
        # The same rule as services._check_relations: a use links only its own production's records.
        cleaned = super().clean()
        production = cleaned.get("production")
        if production is None:
            return cleaned
        errors = {}
        if any(person.production_id != production.id for person in cleaned.get("people") or []):
            errors["people"] = _("Only people of this production can be linked.")
        if any(consent.person.production_id != production.id for consent in cleaned.get("consents") or []):
            errors["consents"] = _("Only consents of this production can be relied on.")
        if errors:
            raise ValidationError(errors)
        return cleaned


@admin.register(AIUse)
class AIUseAdmin(HistoryAdmin):
    form = AIUseAdminForm
    list_display = [
        "title",
        "production",
        "phase",
        "department",
        "tool",
        "output_type",
        "is_final",
        "deep_fake",
        "disclosure_method",
        "consent_status_display",
        "updated_at",
    ]
    list_filter = [
        "production",
        "phase",
        "department",
        "is_final",
        "deep_fake",
        "digital_source_type",
        "output_type",
        "performer_use",
        "disclosure_method",
        "purpose",
        "intimate_imagery",
        "tool__kind",
    ]
    list_select_related = ["production", "tool"]
    search_fields = [
        "title",
        "description",
        "shots",
        "external_id",
        "production__title",
        "tool__vendor",
        "tool__product",
        "people__name",
    ]
    date_hierarchy = "updated_at"
    autocomplete_fields = ["production", "tool", "people", "consents"]
    readonly_fields = ["consent_status_display", "created_at", "updated_at"]
    fieldsets = [
        (
            _("What"),
            {
                "fields": [
                    "production",
                    "title",
                    "description",
                    "phase",
                    "department",
                    "output_type",
                    "digital_source_type",
                    "is_final",
                    "human_contribution",
                ]
            },
        ),
        (
            _("Where in the film"),
            {"fields": ["shots", ("timecode_in", "timecode_out"), ("frame_in", "frame_out"), "external_id"]},
        ),
        (_("When"), {"fields": [("used_from", "used_until")]}),
        (_("Tool"), {"fields": ["tool"]}),
        (_("People and consent"), {"fields": ["performer_use", "people", "consents", "consent_status_display"]}),
        (
            _("Disclosure"),
            {
                "fields": [
                    "deep_fake",
                    "disclosure_method",
                    "published_in",
                    "marking_kept_in_master",
                    "public_interest_text",
                    "human_editorial_responsibility",
                    "handed_to_writers",
                    "writers_informed",
                ]
            },
        ),
        (
            _("Data and rights"),
            {
                "fields": [
                    "inputs_description",
                    "inputs_rights",
                    "biometric_data",
                    "emotion_recognition",
                    "purpose",
                    "biometric_categorisation",
                    "sensitive_traits_inferred",
                    "untargeted_face_scraping",
                    "intimate_imagery",
                    "people_informed",
                    "screens_casting_or_hiring",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        # consent_status reads only what with_consent_data prefetches: a page of any length costs the same.
        return with_consent_data(super().get_queryset(request))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "consents":
            # A consent's name shows its person's: load them with it.
            kwargs["queryset"] = Consent.objects.select_related("person")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("consent status"))
    def consent_status_display(self, obj):
        if not obj.pk:
            return EMPTY
        status = consent_status(obj)
        if status in BLOCKING_STATUSES:
            return format_html('<strong style="color: var(--error-fg, #ba2121)">{}</strong>', status.label)
        return status.label


# AI literacy (Art. 4)


@admin.register(LiteracyMeasure)
class LiteracyMeasureAdmin(HistoryAdmin):
    list_display = ["held_on", "kind", "production", "get_departments_display", "participants"]
    list_filter = ["kind", "production"]
    list_select_related = ["production"]
    search_fields = ["description", "production__title"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["production"]


@admin.register(ApiToken)
class ApiTokenAdmin(HistoryAdmin):
    """Tokens are created by their owners in the app (the secret is shown once); staff can only look and revoke."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            tokens.revoke(token, request.user, reason="revoked by staff")


# Organisations and invitations


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "production_creation", "created_at"]
    list_filter = ["production_creation"]
    search_fields = ["name"]
    inlines = [OrganisationMembershipInline]


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(HistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(Invitation)
class InvitationAdmin(HistoryAdmin):
    """Invitations are sent in the app (the link exists only in the e-mail); staff can only look and withdraw."""

    list_display = ["email", "organisation", "production", "role", "production_role", "created_at", "state"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["organisation", "production"]
    search_fields = ["email", "organisation__name", "production__title"]
    fields = [
        "organisation", "production", "email", "role", "production_role", "token_hash", "invited_by", "created_at",
        "expires_at", "accepted_at", "accepted_by", "revoked_at",
    ]  # fmt: skip
    readonly_fields = fields
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.accepted_at:
            return _("accepted")
        if obj.revoked_at:
            return _("withdrawn")
        return _("pending") if obj.is_pending else _("expired")

    @admin.action(description=_("Withdraw the selected invitations"))
    def withdraw(self, request, queryset):
        # Staff act outside any organisation: the row is marked directly, audited with who and why.
        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            invitation.revoked_at = timezone.now()
            save_audited(invitation, request.user, reason="withdrawn by staff")


admin.site.site_header = _("Reelproof administration")
admin.site.site_title = _("Reelproof")


@admin.register(ToolProposal)
class ToolProposalAdmin(HistoryAdmin):
    list_display = ["id", "tool", "status", "proposed_by", "organisation", "created_at", "decided_by"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in ToolProposal._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(OrganisationToolPolicy)
class OrganisationToolPolicyAdmin(HistoryAdmin):
    list_display = ["organisation", "tool", "status", "set_by", "updated_at"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in OrganisationToolPolicy._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Who was told what, and when it was read and e-mailed: to look up, never to write (events write them)."""

    list_display = ["created_at", "recipient", "event", "production", "actor", "read_at", "emailed_at"]
    list_filter = ["event", ("read_at", admin.EmptyFieldListFilter), ("emailed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient", "production", "actor"]
    search_fields = ["recipient__username", "recipient__email", "production__title", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
