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

from disclosure import services, signing
from disclosure import views as disclosure_views
from disclosure.checklist import RULES_BY_ID, assess
from disclosure.documents import building, requests
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus, ItemStatus
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
            "superseded_by",
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


class VerificationSerializer(serializers.Serializer):
    """The same facts as the public verification page."""

    id = serializers.UUIDField()
    production_title = serializers.CharField(help_text=_("As the document states it, even if renamed since."))
    cut = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    assessment_date = serializers.DateField()
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    issued_at = serializers.DateTimeField(allow_null=True)
    sha256 = serializers.CharField(allow_null=True, help_text=_("SHA-256 of the issued PDF, once ready."))
    content_hash = serializers.CharField(allow_null=True, help_text=_("The data SHA-256 printed in the PDF."))
    superseded = serializers.BooleanField(help_text=_("A newer version of this document has been issued."))
    superseded_on = serializers.DateTimeField(allow_null=True, help_text=_("When the newer version was issued."))
    signature = SignatureSerializer(allow_null=True, help_text=_("The PAdES signature of the issued PDF, checked now."))


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
        # The web view streams the PDF with its digest header; it checks the user's role again.
        return disclosure_views.document_download(request._request, self.production.pk, document.pk)

    @action(detail=True, methods=["post"])
    def retry(self, request, *args, **kwargs):
        document = self.get_object()
        if not requests.retry(document):
            raise ValidationError(_("Only a failed document, or one stuck past its time limit, can be tried again."))
        if document.waiting_for_broker:
            return self._waiting_for_broker(document)
        return Response(self._data(document), status=status.HTTP_202_ACCEPTED)


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
            DisclosureDocument.objects.select_related("superseded_by").defer("data"), id=document_id
        )
        ready = document.status == DocumentStatus.READY
        newer = document.superseded_by
        facts = {
            "id": document.id,
            "production_title": document.production_title,
            "cut": document.cut,
            "kind": document.kind,
            "language": document.language,
            "assessment_date": document.assessment_date,
            "status": document.status,
            "issued_at": document.finished_at if ready else None,
            "sha256": document.sha256 if ready else None,
            "content_hash": document.content_hash if ready else None,
            "superseded": newer is not None,
            "superseded_on": newer.finished_at if newer is not None else None,
            "signature": _signature(document) if ready else None,
        }
        return Response(VerificationSerializer(facts).data)


def _signature(document):
    check = signing.check_document(document)
    return {"signed": check.signed, "valid": check.valid, "signer": check.signer, "signed_at": check.signed_at}


router = SimpleRouter(use_regex_path=False)
router.register("productions/<int:production_id>/documents", DocumentViewSet, basename="document")

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
