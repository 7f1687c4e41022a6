"""What the API reads and writes. Serializers check types and shapes only: the services validate and write."""

from django.contrib.auth import get_user_model
from django.db.models import TextChoices
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from productions import selectors
from productions.consent_status import BLOCKING_STATUSES, ConsentStatus, consent_status
from productions.models import (
    AITool,
    AIUse,
    Consent,
    Invitation,
    LiteracyMeasure,
    Membership,
    Organisation,
    OrganisationMembership,
    OrganisationToolPolicy,
    Person,
    Production,
    ToolProposal,
)
from productions.services import (
    AI_USE_FIELDS,
    CONSENT_TERMS,
    LITERACY_FIELDS,
    PERSON_FIELDS,
    PRODUCTION_FIELDS,
    TOOL_FIELDS,
)
from productions.vocabularies import (
    Department,
    Determination,
    OrganisationRole,
    PublishedIn,
    Role,
    TrainingDataProvenance,
)

TIMESTAMPS = ("created_at", "updated_at")


def in_model_order(model, names):
    """The writable fields a service takes, in the order the model declares them."""
    return [field.name for field in model._meta.get_fields() if field.name in names]


class ErrorSerializer(serializers.Serializer):
    """Every error response of the API."""

    detail = serializers.CharField(help_text=_("What went wrong, for a person to read."))
    code = serializers.CharField(help_text=_("A stable code: invalid, not_found, permission_denied, throttled…"))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages per field; “non_field_errors” for the record as a whole. Empty unless 400."),
    )


class ChoiceListField(serializers.MultipleChoiceField):
    """Several choices as a JSON array, in the vocabulary's order (MultiSelectField values)."""

    def to_representation(self, value):
        chosen = {str(item) for item in value}
        return [key for key in self.choices if key in chosen]

    def to_internal_value(self, data):
        chosen = super().to_internal_value(data)
        return [key for key in self.choices if key in chosen]


class DeterminationField(serializers.ChoiceField):
    """A determination as its code; the JSON booleans earlier versions took read as yes and no, null as not determined.

    Those fields were booleans that defaulted to true: clients written then still send true, false or null.
    """

    LEGACY_VALUES = {True: Determination.YES, False: Determination.NO}

    def validate_empty_values(self, data):
        if data is None:
            return False, data  # to to_internal_value, which reads it as not determined
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if data is None:
            return Determination.NOT_DETERMINED
        if isinstance(data, bool):
            return self.LEGACY_VALUES[data]
        return super().to_internal_value(data)


LEGACY_NOTE = _("Earlier versions took true, false or null: they still read as yes, no and not_determined.")


class ServiceModelSerializer(serializers.ModelSerializer):
    # Record-level validation (constraints, clean()) runs once, in the services' Model.full_clean.

    def get_validators(self):
        return []


class VersionedSerializer(ServiceModelSerializer):
    """A record edited by several people: an update names the version it was made on, and a stale one is refused."""

    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_(
            "Raised by every change. Required on PUT and PATCH: send the version you read; if the record changed"
            " since, the answer is 409 and nothing is overwritten. Ignored on creation."
        ),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None:
            attrs.pop("version", None)
        elif "version" not in attrs:
            raise serializers.ValidationError(
                {"version": _("Required: the version you read, so that nobody's change is overwritten.")}
            )
        return attrs


class UserOrganisationField(serializers.PrimaryKeyRelatedField):
    """An id among the organisations the requesting user belongs to; others do not exist here."""

    def get_queryset(self):
        return selectors.organisations_for(self.context["request"].user)


class ProductionSerializer(ServiceModelSerializer):
    organisation = UserOrganisationField(
        required=False,
        help_text=_(
            "The organisation the production belongs to: required when starting one, where its policy must let"
            " you start productions (else 403). A production stays in its organisation."
        ),
    )
    countries = serializers.ListField(child=CountryField(), required=False, help_text=_("ISO 3166-1 alpha-2 codes."))
    role = serializers.ChoiceField(choices=Role.choices, read_only=True, help_text=_("Your role on this production."))

    # Booleans until the law's facts became determinations someone records (migration 0004).
    DETERMINATIONS = ("evidently_artistic", "screenplay_human_authored", "performances_by_humans")

    class Meta:
        model = Production
        fields = ["id", "organisation", *in_model_order(Production, PRODUCTION_FIELDS), "role", *TIMESTAMPS]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        organisation = attrs.pop("organisation", None)
        if self.instance is None:
            if organisation is None:
                raise serializers.ValidationError({"organisation": _("Required: the organisation it belongs to.")})
            attrs["organisation"] = organisation
        elif organisation is not None and organisation.pk != self.instance.organisation_id:
            raise serializers.ValidationError({"organisation": _("A production stays in its organisation.")})
        return attrs

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name in self.DETERMINATIONS:
            field_class = DeterminationField
            kwargs["help_text"] = format_lazy("{} {}", kwargs.get("help_text", ""), LEGACY_NOTE)
        return field_class, kwargs


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class MembershipSerializer(ServiceModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", *TIMESTAMPS]


class MembershipRoleSerializer(ServiceModelSerializer):
    class Meta:
        model = Membership
        fields = ["role"]


class OrganisationSerializer(ServiceModelSerializer):
    role = serializers.ChoiceField(
        choices=OrganisationRole.choices, read_only=True, help_text=_("Your role in this organisation.")
    )

    class Meta:
        model = Organisation
        fields = ["id", "name", "production_creation", "role", "created_at"]
        read_only_fields = ["created_at"]


class OrganisationMembershipSerializer(ServiceModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = OrganisationMembership
        fields = ["id", "user", "role", "created_at"]
        read_only_fields = ["created_at"]


class OrganisationRoleSerializer(ServiceModelSerializer):
    class Meta:
        model = OrganisationMembership
        fields = ["role"]


class InvitationState(TextChoices):
    # In context: French agrees the labels with "invitation", a feminine noun.
    PENDING = "pending", pgettext_lazy("invitation state", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("invitation state", "Accepted")
    WITHDRAWN = "withdrawn", pgettext_lazy("invitation state", "Withdrawn")
    EXPIRED = "expired", pgettext_lazy("invitation state", "Expired")


class InvitationSerializer(serializers.ModelSerializer):
    invited_by = UserSerializer(read_only=True)
    production_role = serializers.ChoiceField(
        choices=Role.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("The role on the production once accepted; empty for an invitation to the organisation only."),
    )
    state = serializers.SerializerMethodField(help_text=_("pending, accepted, withdrawn or expired."))

    class Meta:
        model = Invitation
        fields = [
            "id", "organisation", "production", "email", "role", "production_role", "invited_by", "state",
            "created_at", "expires_at", "accepted_at", "revoked_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=InvitationState.choices))
    def get_state(self, invitation):
        if invitation.accepted_at is not None:
            return InvitationState.ACCEPTED
        if invitation.revoked_at is not None:
            return InvitationState.WITHDRAWN
        return InvitationState.PENDING if invitation.is_pending else InvitationState.EXPIRED


class ProductionInvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text=_("Where the one-time link is sent."))
    role = serializers.ChoiceField(choices=Role.choices, help_text=_("The role on the production once accepted."))


class OrganisationInvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text=_("Where the one-time link is sent."))
    role = serializers.ChoiceField(
        choices=OrganisationRole.choices,
        default=OrganisationRole.MEMBER,
        help_text=_("The role in the organisation once accepted; never above your own."),
    )


class PersonSerializer(ServiceModelSerializer):
    class Meta:
        model = Person
        fields = ["id", *in_model_order(Person, PERSON_FIELDS), *TIMESTAMPS]


class _UserOrganisationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.organisations_for(self.context["request"].user)


class ToolSerializer(ServiceModelSerializer):
    training_data_provenance = ChoiceListField(
        choices=TrainingDataProvenance.choices, allow_empty=False, required=False
    )
    organisation = _UserOrganisationField(
        allow_null=True,
        required=False,
        help_text=_("Empty for the shared catalogue (curators only); one of your organisations for a private tool."),
    )
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text=_("Why the entry changes; required for the shared catalogue, kept in its history."),
    )

    class Meta:
        model = AITool
        fields = ["id", "organisation", *in_model_order(AITool, TOOL_FIELDS), "reason", *TIMESTAMPS]


class ToolProposalSerializer(serializers.ModelSerializer):
    tool = serializers.PrimaryKeyRelatedField(
        queryset=AITool.objects.filter(organisation__isnull=True),
        allow_null=True,
        required=False,
        help_text=_("The shared entry to correct; empty to propose a new entry."),
    )
    changes = serializers.DictField(help_text=_("The proposed values, by the names the /tools/ entries use."))
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ToolProposal
        fields = [
            "id",
            "tool",
            "changes",
            "reason",
            "proposed_by",
            "organisation",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = ["organisation", "status", "created_at", "decided_at", "decision_note"]


class ToolProposalCreateSerializer(serializers.Serializer):
    changes = serializers.DictField(help_text=_("The proposed values, by the names the /tools/ entries use."))
    reason = serializers.CharField(help_text=_("Why: a source the curators can check."))


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, help_text=_("For the proposer; required to reject."))


class ToolPolicySerializer(serializers.ModelSerializer):
    tool = serializers.PrimaryKeyRelatedField(
        queryset=AITool.objects.all(), help_text=_("A shared tool or one of this organisation's.")
    )
    set_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = OrganisationToolPolicy
        fields = ["id", "tool", "status", "note", "set_by", "updated_at"]


class _ProductionRecordField(serializers.PrimaryKeyRelatedField):
    """An id among the records of the production in the URL, as the requesting user sees them.

    Records of other productions do not exist here, even those of the user's other productions.
    """

    selector = None

    def get_queryset(self):
        return type(self).selector(self.context["request"].user, self.context.get("production"))


class ProductionPersonField(_ProductionRecordField):
    selector = staticmethod(selectors.people_for)


class ProductionConsentField(_ProductionRecordField):
    selector = staticmethod(selectors.consents_for)


class ProductionToolField(serializers.PrimaryKeyRelatedField):
    """A shared tool or a private tool of the production's organisation; another organisation's does not exist."""

    def get_queryset(self):
        production = self.context.get("production")
        if production is None:
            return AITool.objects.filter(organisation__isnull=True)
        return selectors.tools_for_production(production)


class AIUseSerializer(VersionedSerializer):
    tool = ProductionToolField(allow_null=True, required=False, help_text=_("An id from /tools/."))
    people = ProductionPersonField(many=True, required=False, help_text=_("Ids of people of this production."))
    consents = ProductionConsentField(many=True, required=False, help_text=_("Ids of consents of this production."))
    consent_status = serializers.SerializerMethodField(
        help_text=_("Computed from the consents, on the date given as ?on=YYYY-MM-DD (today by default).")
    )
    blocked = serializers.SerializerMethodField(
        help_text=_(
            "True when the use relies on a missing, revoked, expired or out-of-scope consent, or on one not signed"
            " apart from the contract."
        )
    )
    published_in = ChoiceListField(
        choices=PublishedIn.choices,
        required=False,
        help_text=AIUse._meta.get_field("published_in").help_text,
    )

    class Meta:
        model = AIUse
        fields = [
            "id",
            "production",
            *in_model_order(AIUse, AI_USE_FIELDS),
            "people",
            "consents",
            "consent_status",
            "blocked",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["production"]

    def _status(self, ai_use):
        # Computed once per use and response, on the requested date; reads only what ai_uses_for prefetched.
        cache = self.context.setdefault("consent_statuses", {})
        if ai_use.pk not in cache:
            cache[ai_use.pk] = consent_status(ai_use, self.context.get("on"))
        return cache[ai_use.pk]

    @extend_schema_field(serializers.ChoiceField(choices=ConsentStatus.choices))
    def get_consent_status(self, ai_use):
        return self._status(ai_use).value

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_blocked(self, ai_use):
        return self._status(ai_use) in BLOCKING_STATUSES


class ConsentSerializer(VersionedSerializer):
    person = ProductionPersonField(help_text=_("The person who consents; set when the consent is recorded."))
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    has_document = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            *in_model_order(Consent, CONSENT_TERMS),
            "review_state",
            "review_reason",
            "reviewed_by",
            "reviewed_at",
            "revoked_on",
            "has_document",
            "document_url",
            "document_sha256",
            "document_content_type",
            "document_size",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = [
            "review_state",
            "review_reason",
            "reviewed_at",
            "revoked_on",
            "document_sha256",
            "document_content_type",
            "document_size",
        ]

    def validate_person(self, person):
        if self.instance is not None and person.pk != self.instance.person_id:
            raise serializers.ValidationError(_("A consent stays with the person who gave it."))
        return person

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_has_document(self, consent):
        return bool(consent.document)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_document_url(self, consent):
        if not consent.document:
            return None
        url = reverse(
            "api:consent-document",
            kwargs={"production_id": consent.person.production_id, "pk": consent.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


# Request fields are named like the consent fields the services report errors on.
class ReasonSerializer(serializers.Serializer):
    review_reason = serializers.CharField(help_text=_("Why, so the producer knows what to fix."))


class RevokeSerializer(serializers.Serializer):
    revoked_on = serializers.DateField(help_text=_("The date the person withdrew consent (GDPR Art. 7(3))."))


class DocumentUploadSerializer(serializers.Serializer):
    document = serializers.FileField(help_text=_("The signed document: a PDF, JPEG or PNG file."))


class LiteracyMeasureSerializer(ServiceModelSerializer):
    departments = ChoiceListField(choices=Department.choices, allow_empty=False)

    class Meta:
        model = LiteracyMeasure
        fields = ["id", *in_model_order(LiteracyMeasure, LITERACY_FIELDS), *TIMESTAMPS]
