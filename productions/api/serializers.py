"""What the API reads and writes. Serializers check types and shapes only: the services validate and write."""

import copy
import functools

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import TextChoices
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import relations, serializers

from productions import selectors
from productions.consent_status import (
    BLOCKING_STATUSES,
    CONSENT_SCOPE_FIELDS,
    ConsentStatus,
    consent_status,
    decision_holds,
    link_prefetches,
    linked_decisions,
    status_of,
    use_facts_fingerprint,
)
from productions.models import (
    AITool,
    AIUse,
    Consent,
    CoverageDecision,
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
    ConsentMedium,
    CoverageDecisionKind,
    Department,
    Determination,
    OrganisationRole,
    PerformerUse,
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

    def get_fields(self):
        # DRF builds a model serializer's fields from the model for every instance (a use's 41 fields: two fifths
        # of a refused write). They depend on the class alone: built once per class and language, then copied
        # as DRF copies declared fields, so that each serializer binds its own.
        key = (type(self), get_language())
        built = _BUILT_FIELDS.get(key)
        if built is None:
            built = _BUILT_FIELDS[key] = super().get_fields()
        return copy.deepcopy(built)


_BUILT_FIELDS = {}


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

    Records of other productions do not exist here, even those of the user's other productions. A list of them
    (many=True) is read in one query (_ProductionRecords).
    """

    selector = None

    @classmethod
    def many_init(cls, *args, **kwargs):
        # As RelatedField.many_init, with the list field that reads its ids at once.
        return _ProductionRecords(
            child_relation=cls(*args, **kwargs),
            **{key: value for key, value in kwargs.items() if key in relations.MANY_RELATION_KWARGS},
        )

    def get_queryset(self):
        return type(self).selector(self.context["request"].user, self.context.get("production"))


class _ProductionRecords(relations.ManyRelatedField):
    """A list of ids of the production's records, read in one query, where DRF reads one id per query: a body of
    thousands of ids would cost thousands of queries. The records, and the error of the first id that is not one,
    are DRF's own: in the list's order, repeats kept; not an id (incorrect_type), or no such record here
    (does_not_exist)."""

    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        child = self.child_relation
        queryset = child.get_queryset()
        pk = queryset.model._meta.pk
        lowest, highest = connections[queryset.db].ops.integer_field_range(pk.get_internal_type())
        keys = [_pk_value(pk, item) for item in data]
        # An id past the column's range, or none, names no record (as QuerySet.get finds none for it).
        found = queryset.in_bulk({key for key in keys if isinstance(key, int) and lowest <= key <= highest})
        records = []
        for item, key in zip(data, keys, strict=True):
            if key is _NOT_AN_ID:
                child.fail("incorrect_type", data_type=type(item).__name__)
            if key not in found:
                child.fail("does_not_exist", pk_value=item)
            records.append(found[key])
        return records


_NOT_AN_ID = object()


def _pk_value(pk, item):
    """The primary key `item` stands for, as QuerySet.get(pk=item) reads it; _NOT_AN_ID where that fails with the
    TypeError or ValueError PrimaryKeyRelatedField reports as incorrect_type (a boolean is never an id)."""
    if isinstance(item, bool):
        return _NOT_AN_ID
    try:
        return pk.get_prep_value(item)
    except (TypeError, ValueError):
        return _NOT_AN_ID


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


class Coverage(TextChoices):
    """Where legal's decision on one consent and one use stands."""

    COVERS = "covers", _("Covers this use")
    DOES_NOT_COVER = "does_not_cover", _("Does not cover this use")
    TO_CONFIRM = "to_confirm", _("To confirm")
    STALE = "stale", _("To confirm again: the consent's scope or the use changed since the decision")


def coverage_entry(consent, decision, use_facts, /, **fields):
    """One consent's coverage of one use: the decision recorded (if any) and whether it holds on their terms now."""
    if decision is None:
        state = Coverage.TO_CONFIRM
    elif not decision_holds(decision, consent, use_facts):
        state = Coverage.STALE
    else:
        state = Coverage(decision.decision)
    return {
        **fields,
        "coverage": state,
        "decision": decision.decision if decision else None,
        "note": decision.note if decision else "",
        "decided_at": decision.decided_at if decision else None,
        "decision_record": decision,
    }


COVERAGE_HELP = _(
    "covers / does_not_cover: legal's decision, made on the consent's scope and the use's facts as they are now;"
    " to_confirm: no decision yet; stale: decided, but the consent's scope or the use changed since, so legal"
    " confirms again. The use is covered only with “covers”."
)


class UseCoverageSerializer(serializers.Serializer):
    consent = serializers.IntegerField(read_only=True, help_text=_("A consent the use relies on."))
    coverage = serializers.ChoiceField(choices=Coverage.choices, read_only=True, help_text=COVERAGE_HELP)
    decision = serializers.ChoiceField(
        choices=CoverageDecisionKind.choices,
        read_only=True,
        allow_null=True,
        help_text=_("The decision recorded, even when it no longer holds; empty when none was made."),
    )
    note = serializers.CharField(read_only=True, help_text=_("Legal's note with the decision."))
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ConsentCoverageSerializer(serializers.Serializer):
    """A use relying on a consent, with legal's decision that the consent covers it."""

    ai_use = serializers.IntegerField(read_only=True, help_text=_("The AI use's id."))
    title = serializers.CharField(read_only=True)
    external_id = serializers.CharField(read_only=True)
    performer_use = serializers.ChoiceField(choices=PerformerUse.choices, read_only=True, allow_blank=True)
    consent_status = serializers.ChoiceField(
        choices=ConsentStatus.choices,
        read_only=True,
        help_text=_("The use's consent status today, from all the consents it relies on."),
    )
    coverage = serializers.ChoiceField(choices=Coverage.choices, read_only=True, help_text=COVERAGE_HELP)
    decision = serializers.ChoiceField(
        choices=CoverageDecisionKind.choices,
        read_only=True,
        allow_null=True,
        help_text=_("The decision recorded, even when it no longer holds; empty when none was made."),
    )
    note = serializers.CharField(read_only=True, help_text=_("Legal's note with the decision."))
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field({"type": "string", "nullable": True, "description": str(_("Who decided: a username."))})
    def get_decided_by(self, entry):
        decision = entry["decision_record"]
        return decision.decided_by.username if decision and decision.decided_by else None


MAX_ID = 2**63 - 1  # a BigAutoField's largest; a larger number is no record and must not reach the database


class CoverageDecisionRequestSerializer(serializers.Serializer):
    ai_uses = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=1000,
        help_text=_("Ids of the AI uses the decision is about; each must rely on this consent."),
    )
    decision = serializers.ChoiceField(choices=CoverageDecisionKind.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why; required when the consent does not cover the uses, so the producer can act."),
    )

    def validate_ai_uses(self, ids):
        ids = list(dict.fromkeys(ids))
        found = {use.pk: use for use in AIUse.objects.filter(production=self.context["production"], pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("No AI use %(ids)s in this production: nothing was decided.") % {"ids": ", ".join(missing)}
            )
        return [found[pk] for pk in ids]


PART_HELP = _(
    "Read from the tracker id by the production's tracker id pattern (upper-case); empty when the id does not say. "
    "Not written: it changes with the tracker id or the pattern."
)


# What a page of uses reads of their links, as plain lists on each use (consent_status.link_prefetches), of the
# fields the list writes. People and consents in `with_consent_data`'s order.
LISTED_CONSENT_FIELDS = (
    "id",
    "person",
    "review_state",
    "separately_signed",
    "not_separately_signed_reason",
    "revoked_on",
    *CONSENT_SCOPE_FIELDS,
)
PAGE_LINKS = link_prefetches(
    people=Person.objects.only("id"),
    consents=Consent.objects.only(*LISTED_CONSENT_FIELDS),
    # Read by consent id, one per consent and use: unordered, so without the joins the model's ordering takes.
    decisions=CoverageDecision.objects.only(
        "consent", "ai_use", "decision", "note", "consent_scope", "use_facts", "decided_at"
    ).order_by(),
)


class AIUseListSerializer(serializers.ListSerializer):
    """A page of uses (read with PAGE_LINKS), each as AIUseSerializer writes it, from the same fields.

    DRF's generic walk (get_attribute, PKOnlyObject, a related manager per relation and use) costs most of a page
    of 50 uses of 48 fields; here each field's own to_representation is called on the value read directly.
    """

    def to_representation(self, data):
        fields = _listed_fields()
        on = self.context.get("on")
        entry = UseCoverageSerializer()
        rows = []
        for ai_use in data:
            people = [person.pk for person in ai_use.linked_people]
            decisions = linked_decisions(ai_use)
            facts = use_facts_fingerprint(ai_use)
            status = status_of(ai_use, people, ai_use.linked_consents, decisions, facts, on)
            computed = {
                "people": people,
                "consents": [consent.pk for consent in ai_use.linked_consents],
                "consent_status": status.value,
                "blocked": status in BLOCKING_STATUSES,
                "coverage": [
                    entry.to_representation(
                        coverage_entry(consent, decisions.get(consent.pk), facts, consent=consent.pk)
                    )
                    for consent in sorted(ai_use.linked_consents, key=lambda consent: consent.pk)
                ],
            }
            row = {}
            for name, attribute, represent in fields:
                if attribute is None:
                    row[name] = computed[name]
                else:
                    value = getattr(ai_use, attribute)
                    row[name] = value if value is None or represent is None else represent(value)
            rows.append(row)
        return rows


@functools.cache
def _listed_fields():
    """(name, attribute, how it is written) for each field AIUseSerializer shows, built once per process: no
    attribute for those the list computes; a relation to one record shows the foreign key's column as it is."""
    listed = []
    for field in AIUseSerializer()._readable_fields:
        if isinstance(field, serializers.SerializerMethodField | relations.ManyRelatedField):
            listed.append((field.field_name, None, None))
        elif isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None:
            listed.append((field.field_name, AIUse._meta.get_field(field.source).attname, None))
        else:
            listed.append((field.field_name, field.source, field.to_representation))
    return tuple(listed)


class AIUseSerializer(VersionedSerializer):
    tool = ProductionToolField(allow_null=True, required=False, help_text=_("An id from /tools/."))
    people = ProductionPersonField(many=True, required=False, help_text=_("Ids of people of this production."))
    consents = ProductionConsentField(many=True, required=False, help_text=_("Ids of consents of this production."))
    consent_status = serializers.SerializerMethodField(
        help_text=_("Computed from the consents, on the date given as ?on=YYYY-MM-DD (today by default).")
    )
    blocked = serializers.SerializerMethodField(
        help_text=_(
            "True when the use relies on a missing, revoked, expired or out-of-scope consent, on one not signed"
            " apart from the contract, or on one legal has not yet confirmed covers this use (scope_to_confirm)."
        )
    )
    coverage = serializers.SerializerMethodField(
        help_text=_(
            "For each consent the use relies on, legal's decision that it covers this use (or not), and whether"
            " that decision still holds. Decided through /consents/{id}/coverage/."
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
            "coverage",
            "episode",
            "sequence",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["production"]
        list_serializer_class = AIUseListSerializer
        extra_kwargs = {
            "episode": {"help_text": PART_HELP},
            "sequence": {"help_text": PART_HELP},
        }

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

    @extend_schema_field(UseCoverageSerializer(many=True))
    def get_coverage(self, ai_use):
        # Reads only the consents and decisions ai_uses_for prefetched.
        consents = sorted(ai_use.consents.all(), key=lambda consent: consent.pk)
        if not consents:
            return []
        decisions = {decision.consent_id: decision for decision in ai_use.coverage_decisions.all()}
        facts = use_facts_fingerprint(ai_use)
        # One serializer for the whole response: building one copies its fields, and a list has 50 uses.
        entry = self.context.setdefault("coverage_serializer", UseCoverageSerializer())
        return [
            entry.to_representation(coverage_entry(consent, decisions.get(consent.pk), facts, consent=consent.pk))
            for consent in consents
        ]


STANDING_HELP = _(
    "What the consent is worth on the date given as ?on=YYYY-MM-DD (today by default): covered (approved, valid:"
    " within its term, not revoked, separately signed or approved with a reason why not), pending_review,"
    " not_separately_signed, expired, revoked, or missing (rejected). Never “approved” once it has expired."
)


class ConsentSerializer(VersionedSerializer):
    person = ProductionPersonField(help_text=_("The person who consents; set when the consent is recorded."))
    media = ChoiceListField(
        choices=ConsentMedium.choices,
        required=False,
        help_text=Consent._meta.get_field("media").help_text,
    )
    standing = serializers.SerializerMethodField(help_text=STANDING_HELP)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    review_assignee = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("The legal member who reviews it (a username); set with the assign action."),
    )
    has_document = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()
    has_withdrawal_document = serializers.SerializerMethodField()
    withdrawal_document_url = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            *in_model_order(Consent, CONSENT_TERMS),
            "standing",
            "review_state",
            "review_reason",
            "not_separately_signed_reason",
            "reviewed_by",
            "reviewed_at",
            "review_assignee",
            "review_due_on",
            "revoked_on",
            "revocation_reason",
            "has_document",
            "document_url",
            "document_sha256",
            "document_content_type",
            "document_size",
            "has_withdrawal_document",
            "withdrawal_document_url",
            "withdrawal_document_sha256",
            "withdrawal_document_content_type",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = [
            "review_state",
            "review_reason",
            "not_separately_signed_reason",
            "reviewed_at",
            "review_due_on",
            "revoked_on",
            "revocation_reason",
            "document_sha256",
            "document_content_type",
            "document_size",
            "withdrawal_document_sha256",
            "withdrawal_document_content_type",
        ]

    def validate_person(self, person):
        if self.instance is not None and person.pk != self.instance.person_id:
            raise serializers.ValidationError(_("A consent stays with the person who gave it."))
        return person

    @extend_schema_field(serializers.ChoiceField(choices=ConsentStatus.choices))
    def get_standing(self, consent):
        return consent.standing(self.context.get("on")).value

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_has_document(self, consent):
        return bool(consent.document)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_document_url(self, consent):
        return self._download_url(consent, "document", "api:consent-document")

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_has_withdrawal_document(self, consent):
        return bool(consent.withdrawal_document)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_withdrawal_document_url(self, consent):
        return self._download_url(consent, "withdrawal_document", "api:consent-withdrawal-document")

    def _download_url(self, consent, field, route):
        if not getattr(consent, field):
            return None
        url = reverse(route, kwargs={"production_id": consent.person.production_id, "pk": consent.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


def version_read():
    return serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("The version of the consent you read: if it changed since, the answer is 409 and nothing changes."),
    )


# Request fields are named like the consent fields the services report errors on.
class ReasonSerializer(serializers.Serializer):
    review_reason = serializers.CharField(help_text=_("Why, so the producer knows what to fix."))


class ApprovalSerializer(serializers.Serializer):
    not_separately_signed_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Required when the consent was not signed on its own, apart from the contract (SAG-AFTRA asks that it"
            " be): why it can be approved all the same. Kept with the approval."
        ),
    )
    version = version_read()


class RevokeSerializer(serializers.Serializer):
    revoked_on = serializers.DateField(help_text=_("The date the person withdrew consent (GDPR Art. 7(3))."))
    revocation_reason = serializers.CharField(
        help_text=_("Why the consent was withdrawn, as the person or their representative said it.")
    )
    version = version_read()


class RevokeWithDocumentSerializer(RevokeSerializer):
    withdrawal_document = serializers.FileField(
        required=False,
        help_text=_("The person's written withdrawal, when there is one: a PDF, JPEG or PNG file, kept private."),
    )


@extend_schema_field(OpenApiTypes.STR)
class ProductionMemberField(serializers.SlugRelatedField):
    """A member of the production in the URL, by username; anyone else does not exist here."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):
        return get_user_model().objects.filter(memberships__production=self.context["production"])


class AssignmentSerializer(serializers.Serializer):
    review_assignee = ProductionMemberField(
        allow_null=True,
        required=False,
        help_text=_("The username of a legal member of this production; null to assign the review to nobody."),
    )
    review_due_on = serializers.DateField(
        allow_null=True, required=False, help_text=_("The date the review is due; null for none.")
    )
    version = version_read()

    def validate(self, attrs):
        if "review_assignee" not in attrs and "review_due_on" not in attrs:
            raise serializers.ValidationError(_("Give the reviewer, the due date or both; the other stays as it is."))
        return attrs


class DocumentUploadSerializer(serializers.Serializer):
    document = serializers.FileField(help_text=_("The signed document: a PDF, JPEG or PNG file."))


class LiteracyMeasureSerializer(ServiceModelSerializer):
    departments = ChoiceListField(choices=Department.choices, allow_empty=False)

    class Meta:
        model = LiteracyMeasure
        fields = ["id", *in_model_order(LiteracyMeasure, LITERACY_FIELDS), *TIMESTAMPS]
