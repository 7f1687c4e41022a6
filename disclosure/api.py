"""The disclosure part of the REST API: the checklist and its attestations, documents, public verification.

Production-scoped views reuse productions.api's base (404 for non-members, 403 without the
capability); the work is done by disclosure.checklist, disclosure.services and disclosure.documents.
Mounted under /api/v1/ by config.api_urls.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.throttling import AnonRateThrottle

from disclosure import services
from disclosure.checklist import RULES_BY_ID, assess
from disclosure.documents import building, downloads, editions, labels, requests, verification
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus, Edition, ItemStatus
from productions.api.exceptions import error_body
from productions.api.serializers import ErrorSerializer
from productions.api.views import ProductionScoped, ProductionScopedViewSet
from productions.roles import Capability
from productions.vocabularies import CompanySize

# Serializers: what the API says about checklists and documents


class RecordReferenceSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["ai_use", "consent", "tool", "person", "literacy_measure"])
    id = serializers.IntegerField()
    label = serializers.CharField()


class AttestationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    comment = serializers.CharField()
    by = serializers.CharField(allow_null=True, help_text=_("Username of the legal reviewer."))
    at = serializers.DateTimeField()


class ChecklistItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    legal_basis = serializers.CharField()
    applies_from = serializers.DateField()
    in_force = serializers.BooleanField(help_text=_("Whether the obligation applies on the assessment date."))
    status = serializers.ChoiceField(choices=ItemStatus.choices, help_text=_("Computed from the records."))
    explanation = serializers.CharField(allow_blank=True)
    penalty = serializers.CharField(
        allow_blank=True,
        help_text=_("The fine a breach risks (AI Act Art. 99), where the duty is the production's own; else empty."),
    )
    records = RecordReferenceSerializer(many=True, help_text=_("The records that caused the status."))
    attestation = AttestationSerializer(allow_null=True, help_text=_("Legal's attestation, beside the status."))


class ChecklistProductionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    cut = serializers.CharField(allow_blank=True)
    eu_release_date = serializers.DateField(allow_null=True)
    company_size = serializers.ChoiceField(choices=CompanySize.choices, help_text=_("Decides the fines' wording."))


class ChecklistSummarySerializer(serializers.Serializer):
    met = serializers.IntegerField()
    attention = serializers.IntegerField()
    not_met = serializers.IntegerField()
    not_applicable = serializers.IntegerField()


class ChecklistSerializer(serializers.Serializer):
    production = ChecklistProductionSerializer()
    assessed_on = serializers.DateField()
    summary = ChecklistSummarySerializer(help_text=_("How many items have each status."))
    items = ChecklistItemSerializer(many=True)


class ChecklistQuerySerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False, help_text=_("The assessment date; by default the EU release date, else today.")
    )


class StatementQuerySerializer(ChecklistQuerySerializer):
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the recorded text's labels; the data itself is the same in every language."),
    )


class StatementContentSerializer(serializers.Serializer):
    """What a statement PDF embeds as its data file, and the SHA-256 printed on it."""

    content_hash = serializers.CharField(help_text=_("SHA-256 of `content` written as canonical JSON."))
    content = serializers.JSONField(
        help_text=_("kind, language, date, template_version and data: the statement as codes and recorded text.")
    )


class AttestRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ItemStatus.choices, help_text=_("The status legal attests."))
    comment = serializers.CharField(help_text=_("What was checked and why this status."))


NULLABLE_URI = {"type": "string", "format": "uri", "nullable": True}


class DocumentSerializer(serializers.ModelSerializer):
    draft = serializers.BooleanField(
        source="is_draft", read_only=True, help_text=_("A draft: marked not for submission on every page.")
    )
    edition = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("The edition this PDF belongs to; null for a draft.")
    )
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(help_text=_("Where to download the PDF, once ready."))
    verify_url = serializers.SerializerMethodField(help_text=_("The public verification page printed in the PDF."))

    class Meta:
        model = DisclosureDocument
        fields = [
            "id",
            "kind",
            "language",
            "assessment_date",
            "production_title",
            "cut",
            "status",
            "error",
            "attempts",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "sha256",
            "size",
            "content_hash",
            "draft",
            "edition",
            "download_url",
            "verify_url",
        ]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URI)
    def get_download_url(self, document):
        if document.status != DocumentStatus.READY:
            return None
        url = reverse("api:document-download", kwargs={"production_id": document.production_id, "pk": document.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, document):
        return building.verify_url(document.id)


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    assessment_date = serializers.DateField(
        required=False, help_text=_("Statuses and consents are assessed on this date: the EU release by default.")
    )


class SignatureSerializer(serializers.Serializer):
    signed = serializers.BooleanField()
    valid = serializers.BooleanField(
        help_text=_("Intact, covering the whole file, by this instance's certificate (or the studio's chain).")
    )
    signer = serializers.CharField(allow_blank=True)
    signed_at = serializers.DateTimeField(allow_null=True)


class BlockerSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["use", "item"], help_text=_("An exposed AI use, or a checklist item."))
    id = serializers.CharField(help_text=_("The use's id, or the checklist item's id."))
    label = serializers.CharField(help_text=_("The use's title, or the checklist item's title."))
    status = serializers.CharField(help_text=_("The use's consent status, or not_met."))


class SignOffSerializer(serializers.Serializer):
    by = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()
    reason = serializers.CharField()
    blockers = BlockerSerializer(many=True, help_text=_("What blocked issuing when legal signed off."))


class ChangedConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    before = serializers.CharField(allow_null=True, help_text=_("Its status in the previous edition; null if new."))
    after = serializers.CharField(allow_null=True, help_text=_("Its status now; null if no longer recorded."))


class ChangedUseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ChangesSerializer(serializers.Serializer):
    uses_added = ChangedUseSerializer(many=True)
    uses_removed = ChangedUseSerializer(many=True)
    uses_changed = ChangedUseSerializer(many=True)
    consents_changed = ChangedConsentSerializer(many=True)


def _blocker_data(blockers):
    """Blockers as the API states them: labels in the request's language, ids as strings (a use's or an item's)."""
    labelled = labels.blocker_labels(blockers)
    entries = [{**entry, "label": str(label)} for entry, (label, _why) in zip(blockers, labelled, strict=True)]
    return BlockerSerializer(entries, many=True).data


def _sign_off_data(sign_off):
    if sign_off is None:
        return None
    who = sign_off.signed_off_by
    return {
        "by": who.get_username() if who else None,
        "at": sign_off.signed_off_at,
        "reason": sign_off.reason,
        "blockers": _blocker_data(sign_off.blockers),
    }


class EditionSerializer(serializers.ModelSerializer):
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    withdrawn_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    documents = serializers.SerializerMethodField(help_text=_("Its PDFs, one per language."))
    sign_off = serializers.SerializerMethodField(help_text=_("Legal's sign-off, when something blocked issuing."))
    changes = ChangesSerializer(
        allow_null=True, read_only=True, help_text=_("What changed since the previous edition; null for the first.")
    )

    class Meta:
        model = Edition
        fields = [
            "id",
            "kind",
            "number",
            "assessment_date",
            "signatory",
            "signatory_role",
            "status",
            "error",
            "issued_by",
            "requested_at",
            "issued_at",
            "previous",
            "superseded_by",
            "changes",
            "sign_off",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
            "documents",
        ]
        read_only_fields = fields

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, edition):
        return DocumentSerializer(edition.documents.all(), many=True, context=self.context).data

    @extend_schema_field(SignOffSerializer(allow_null=True))
    def get_sign_off(self, edition):
        data = _sign_off_data(edition.sign_off)
        return None if data is None else SignOffSerializer(data).data


class IssueRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    assessment_date = serializers.DateField(
        required=False, help_text=_("Statuses and consents are assessed on this date: the EU release by default.")
    )
    signatory = serializers.CharField(
        max_length=200, help_text=_("The person who signs on the production's behalf, by name.")
    )
    signatory_role = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sign_off_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Legal reviewers only: why it may be issued although something blocks it."),
    )


class SignOffRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    assessment_date = serializers.DateField(required=False)
    reason = serializers.CharField(help_text=_("Why it may be issued despite what blocks it."))


class GateQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    on = serializers.DateField(required=False)


class GateSerializer(serializers.Serializer):
    may_issue = serializers.BooleanField(help_text=_("Nothing blocks issuing, or legal signed off on these records."))
    blockers = BlockerSerializer(many=True)
    sign_off = SignOffSerializer(allow_null=True)


class WithdrawRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Shown on the verification page."))


class VerificationSerializer(serializers.Serializer):
    """The same facts as the public verification page."""

    id = serializers.UUIDField()
    production_title = serializers.CharField(help_text=_("As the document states it, even if renamed since."))
    cut = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    assessment_date = serializers.DateField()
    status = serializers.ChoiceField(choices=DocumentStatus.choices, help_text=_("The render job's status."))
    state = serializers.ChoiceField(choices=verification.State.choices, help_text=_("Draft, issued, withdrawn..."))
    currency = serializers.ChoiceField(
        choices=verification.Currency.choices,
        allow_null=True,
        help_text=_("current, superseded, or records_changed since issue; null until the PDF is ready."),
    )
    records_changed = serializers.ListField(
        child=serializers.ChoiceField(choices=list(building.REVISION_SOURCES)),
        help_text=_("Which kinds of record changed since the document was made."),
    )
    edition = serializers.UUIDField(allow_null=True)
    edition_number = serializers.IntegerField(allow_null=True)
    signatory = serializers.CharField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True, help_text=_("When its edition was issued."))
    superseded = serializers.BooleanField(help_text=_("A newer edition has been issued."))
    superseded_by = serializers.UUIDField(allow_null=True, help_text=_("The newer edition."))
    superseded_on = serializers.DateTimeField(allow_null=True, help_text=_("When the newer edition was issued."))
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField(allow_null=True)
    sign_off = SignOffSerializer(allow_null=True)
    changes = ChangesSerializer(allow_null=True, help_text=_("What changed since the previous edition."))
    sha256 = serializers.CharField(allow_null=True, help_text=_("SHA-256 of the PDF, once ready."))
    content_hash = serializers.CharField(allow_null=True, help_text=_("The data SHA-256 printed in the PDF."))
    signature = SignatureSerializer(allow_null=True, help_text=_("The PAdES signature of the PDF, checked now."))


# Views


@extend_schema(tags=["Checklist"])
class ChecklistView(ProductionScoped, GenericAPIView):
    """The AI Act-aligned checklist of the production on an assessment date, with legal's attestations."""

    serializer_class = ChecklistSerializer

    @extend_schema(parameters=[ChecklistQuerySerializer], responses=ChecklistSerializer)
    def get(self, request, *args, **kwargs):
        query = ChecklistQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        checklist = assess(self.production, on=query.validated_data.get("on"))
        return Response(ChecklistSerializer(checklist.as_data()).data)


@extend_schema(tags=["Checklist"])
class StatementView(ProductionScoped, GenericAPIView):
    """The transparency statement as data: the same content a statement PDF of that date and language embeds."""

    serializer_class = StatementContentSerializer

    @extend_schema(parameters=[StatementQuerySerializer], responses=StatementContentSerializer)
    def get(self, request, *args, **kwargs):
        query = StatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on = query.validated_data.get("on") or building.default_assessment_date(self.production)
        _statement, inputs = building.build(
            self.production, DocumentKind.STATEMENT, query.validated_data["language"], on
        )
        return Response({"content_hash": inputs.content_hash, "content": inputs.content})


def _known_item(item_id):
    if item_id not in RULES_BY_ID:
        raise Http404(_("No such checklist item."))
    return item_id


@extend_schema(tags=["Checklist"])
class AttestationView(ProductionScoped, GenericAPIView):
    """Legal's attestation of one checklist item: it sits beside the computed status, never replaces it."""

    serializer_class = AttestRequestSerializer
    write_capability = Capability.ATTEST_CHECKLIST

    @extend_schema(request=AttestRequestSerializer, responses=AttestationSerializer)
    def post(self, request, *args, **kwargs):
        item_id = _known_item(kwargs["item_id"])
        data = AttestRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attestation = services.attest_item(
            actor=request.user, production=self.production, item_id=item_id, **data.validated_data
        )
        body = {
            "status": attestation.status,
            "comment": attestation.comment,
            "by": request.user.get_username(),
            "at": attestation.attested_at,
        }
        return Response(AttestationSerializer(body).data)

    @extend_schema(responses={204: None})
    def delete(self, request, *args, **kwargs):
        item_id = _known_item(kwargs["item_id"])
        services.withdraw_attestation(actor=request.user, production=self.production, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


WAITING_FOR_BROKER = OpenApiResponse(
    ErrorSerializer,
    description=str(
        _(
            "The background worker cannot be reached: the request is kept, queued, and sent when the worker "
            "is back. The Location header names the document; ask for it later."
        )
    ),
)


@extend_schema(tags=["Disclosure documents"])
@extend_schema_view(
    create=extend_schema(
        request=DocumentRequestSerializer,
        responses={
            202: OpenApiResponse(DocumentSerializer, description=str(_("A render job was queued."))),
            200: OpenApiResponse(
                DocumentSerializer,
                description=str(_("An identical document is already issued and current, or being prepared.")),
            ),
            503: WAITING_FOR_BROKER,
        },
    ),
    retry=extend_schema(request=None, responses={202: DocumentSerializer, 503: WAITING_FOR_BROKER}),
    download=extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)}),
)
class DocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProductionScopedViewSet
):
    """Transparency statements and checklists as PDFs, rendered in the background: queued → rendering → ready."""

    serializer_class = DocumentSerializer
    lookup_value_converter = "uuid"
    write_capability = Capability.EXPORT
    action_capabilities = {"download": Capability.EXPORT}
    download_actions = ("download",)
    filter_backends = []

    def get_queryset(self):
        if self.is_schema_request():
            return DisclosureDocument.objects.none()
        return (
            DisclosureDocument.objects.filter(production=self.production)
            .select_related("requested_by")
            .defer("data")
            .order_by("-requested_at", "id")
        )

    def _data(self, document):
        return self.get_serializer(self.get_queryset().get(pk=document.pk)).data

    def _waiting_for_broker(self, document):
        """503 in the error shape: the job is kept in the outbox and sent when the broker is back."""
        detail = _(
            "The background worker cannot be reached right now. Your request is kept as document %(id)s, "
            "queued, and prepared as soon as the worker is back; ask for it again later."
        ) % {"id": document.id}
        url = reverse("api:document-detail", args=[self.production.pk, document.pk])
        headers = {"Location": self.request.build_absolute_uri(url), "Retry-After": "60"}
        return Response(error_body(detail, "service_unavailable"), status=503, headers=headers)

    def create(self, request, *args, **kwargs):
        data = DocumentRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        on = data.validated_data.get("assessment_date") or building.default_assessment_date(self.production)
        document, created = requests.request_document(
            production=self.production,
            kind=data.validated_data["kind"],
            language=data.validated_data["language"],
            on=on,
            requested_by=request.user,
        )
        if document.waiting_for_broker:
            return self._waiting_for_broker(document)
        return Response(self._data(document), status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK)

    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        document = self.get_object()
        if document.status != DocumentStatus.READY:
            raise Http404(_("This document is not ready."))
        return downloads.pdf_response(document)

    @action(detail=True, methods=["post"])
    def retry(self, request, *args, **kwargs):
        document = self.get_object()
        if not requests.retry(document):
            raise ValidationError(_("Only a failed document, or one stuck past its time limit, can be tried again."))
        if document.waiting_for_broker:
            return self._waiting_for_broker(document)
        return Response(self._data(document), status=status.HTTP_202_ACCEPTED)


class IssueBlockedResponse(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField()
    blockers = BlockerSerializer(many=True)


@extend_schema(tags=["Editions"])
@extend_schema_view(
    create=extend_schema(
        request=IssueRequestSerializer,
        responses={
            202: OpenApiResponse(EditionSerializer, description=str(_("Issued: its PDFs are being prepared."))),
            409: OpenApiResponse(
                IssueBlockedResponse,
                description=str(_("Refused: something blocks issuing and no legal sign-off covers these records.")),
            ),
        },
    ),
    withdraw=extend_schema(request=WithdrawRequestSerializer, responses=EditionSerializer),
    gate=extend_schema(parameters=[GateQuerySerializer], responses=GateSerializer),
    sign_off=extend_schema(request=SignOffRequestSerializer, responses={201: SignOffSerializer}),
)
class EditionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProductionScopedViewSet
):
    """Editions: the English and French PDFs of one issue under one id; a new one supersedes the previous."""

    serializer_class = EditionSerializer
    lookup_value_converter = "uuid"
    write_capability = Capability.ISSUE
    action_capabilities = {"sign_off": Capability.SIGN_OFF}
    filter_backends = []

    def get_queryset(self):
        if self.is_schema_request():
            return Edition.objects.none()
        return (
            Edition.objects.filter(production=self.production)
            .select_related("issued_by", "withdrawn_by", "sign_off__signed_off_by")
            .prefetch_related("documents__requested_by")
            .defer("snapshot")
            .order_by("-requested_at", "id")
        )

    def _data(self, edition, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=edition.pk)).data, status=status_code)

    def _date(self, value):
        return value or building.default_assessment_date(self.production)

    def create(self, request, *args, **kwargs):
        data = IssueRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            edition = editions.issue(
                actor=request.user,
                production=self.production,
                kind=fields["kind"],
                on=self._date(fields.get("assessment_date")),
                signatory=fields["signatory"],
                signatory_role=fields["signatory_role"],
                sign_off_reason=fields["sign_off_reason"],
            )
        except editions.IssueBlocked as blocked:
            body = {**error_body(blocked.message, "issue_blocked"), "blockers": _blocker_data(blocked.blockers)}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return self._data(edition, status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        edition = self.get_object()
        data = WithdrawRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        editions.withdraw(actor=request.user, edition=edition, reason=data.validated_data["reason"])
        return self._data(edition)

    @action(detail=False, methods=["get"])
    def gate(self, request, *args, **kwargs):
        query = GateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = editions.gate(self.production, query.validated_data["kind"], self._date(query.validated_data.get("on")))
        return Response(
            {"may_issue": now.open, "blockers": _blocker_data(now.blockers), "sign_off": _sign_off_data(now.sign_off)}
        )

    @action(detail=False, methods=["post"], url_path="sign-off")
    def sign_off(self, request, *args, **kwargs):
        data = SignOffRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = editions.sign_off(
            actor=request.user,
            production=self.production,
            kind=data.validated_data["kind"],
            on=self._date(data.validated_data.get("assessment_date")),
            reason=data.validated_data["reason"],
        )
        return Response(SignOffSerializer(_sign_off_data(record)).data, status=status.HTTP_201_CREATED)


class VerifyRateThrottle(AnonRateThrottle):
    """Public and unauthenticated: limited per client address."""


@extend_schema(tags=["Verification"], responses=VerificationSerializer, auth=[])
class VerifyView(GenericAPIView):
    """Public: what an issued document states, to check a PDF is genuine and current. No account needed."""

    serializer_class = VerificationSerializer
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyRateThrottle]

    def get(self, request, document_id):
        document = get_object_or_404(
            DisclosureDocument.objects.select_related(
                "edition__superseded_by", "edition__sign_off__signed_off_by"
            ).defer("data", "edition__snapshot"),
            id=document_id,
        )
        ready = document.status == DocumentStatus.READY
        found = verification.verify(document)
        edition, newer = document.edition, found.superseded_by
        check = found.signature
        facts = {
            "id": document.id,
            "production_title": document.production_title,
            "cut": document.cut,
            "kind": document.kind,
            "language": document.language,
            "assessment_date": document.assessment_date,
            "status": document.status,
            "state": found.state,
            "currency": found.currency,
            "records_changed": found.changed,
            "edition": edition.id if edition else None,
            "edition_number": edition.number if edition else None,
            "signatory": edition.signatory if edition else None,
            "issued_at": edition.issued_at
            if edition
            else (document.finished_at if ready and not document.is_draft else None),
            "superseded": newer is not None,
            "superseded_by": newer.id if newer else None,
            "superseded_on": newer.issued_at if newer else None,
            "withdrawn_at": edition.withdrawn_at if edition else None,
            "withdrawal_reason": (edition.withdrawal_reason or None) if edition else None,
            "sign_off": _sign_off_data(edition.sign_off) if edition else None,
            "changes": edition.changes if edition else None,
            "sha256": document.sha256 if ready else None,
            "content_hash": document.content_hash if ready else None,
            "signature": None
            if check is None
            else {"signed": check.signed, "valid": check.valid, "signer": check.signer, "signed_at": check.signed_at},
        }
        return Response(VerificationSerializer(facts).data)


router = SimpleRouter(use_regex_path=False)
router.register("productions/<int:production_id>/documents", DocumentViewSet, basename="document")
router.register("productions/<int:production_id>/editions", EditionViewSet, basename="edition")

urlpatterns = [
    path("productions/<int:production_id>/checklist/", ChecklistView.as_view(), name="checklist"),
    path("productions/<int:production_id>/statement/", StatementView.as_view(), name="statement"),
    path(
        "productions/<int:production_id>/checklist/<slug:item_id>/attestation/",
        AttestationView.as_view(),
        name="checklist-attestation",
    ),
    *router.urls,
    path("verify/<uuid:document_id>/", VerifyView.as_view(), name="verify"),
]
