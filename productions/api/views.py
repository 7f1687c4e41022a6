"""API views: reads through productions.selectors, writes through productions.services.

Everything under /productions/{production_id}/ first finds the production among the
user's own (404 for anyone else) and checks the capability the action needs with the
same helper the web pages use (403 when the role lacks it); the services check again.
"""

from django.http import Http404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from productions import catalogue, kept_pages, selectors, services
from productions.access import production_access
from productions.api import serializers
from productions.api.filters import AIUseFilter, ConsentFilter, OrderingFilter
from productions.api.pagination import PageByIdsPagination
from productions.api.permissions import ToolEditorOrReadOnly
from productions.consent_status import consent_status, use_facts_fingerprint
from productions.models import AIUse, Consent, LiteracyMeasure, Membership, Person
from productions.roles import Capability
from productions.storage import consent_document_response

# What attach_consent_document accepts, and the fallback the download uses when the type is unknown.
CONSENT_DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "application/octet-stream")


class DownloadMixin:
    """Actions that answer with a file: their errors stay JSON whatever Accept header asked for the file."""

    download_actions = ()

    def perform_content_negotiation(self, request, force=False):
        downloading = getattr(self, "action", None) in self.download_actions
        return super().perform_content_negotiation(request, force=force or downloading)


class ProductionScoped(DownloadMixin):
    """A resource of one production, under /productions/{production_id}/ (for API views and viewsets)."""

    # Reads need READ; other methods need `write_capability` unless `action_capabilities` says otherwise.
    write_capability = Capability.EDIT_RECORDS
    action_capabilities = {}
    production = None

    def required_capability(self):
        capability = self.action_capabilities.get(getattr(self, "action", None))
        if capability:
            return capability
        return Capability.READ if self.request.method in SAFE_METHODS else self.write_capability

    def _offers(self, method):
        if hasattr(self, "action_map"):
            return self.action is not None
        return method.lower() in self.http_method_names and hasattr(self, method.lower())

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self._offers(request.method):
            return  # a method this URL does not offer: the dispatch answers 405
        self.production = production_access(request, kwargs["production_id"], self.required_capability()).production

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "production": self.production}

    def is_schema_request(self):
        return getattr(self, "swagger_fake_view", False)


class ProductionScopedViewSet(ProductionScoped, viewsets.GenericViewSet):
    lookup_value_converter = "int"


class WritesThroughServices:
    """create / update / destroy with the service functions named on the view."""

    create_service = update_service = delete_service = None
    record_name = None  # the keyword the update and delete services take the record under

    def reload(self, record):
        return self.get_queryset().get(pk=record.pk)

    def perform_create(self, serializer):
        record = type(self).create_service(
            actor=self.request.user, production=self.production, **serializer.validated_data
        )
        serializer.instance = self.reload(record)

    def perform_update(self, serializer):
        type(self).update_service(
            actor=self.request.user, **{self.record_name: serializer.instance}, **serializer.validated_data
        )
        serializer.instance = self.reload(serializer.instance)

    def perform_destroy(self, instance):
        type(self).delete_service(actor=self.request.user, **{self.record_name: instance})


CRUD = (
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
)


@extend_schema(tags=["Productions"])
class ProductionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Your productions, with your role on each.

    A production is started in an organisation, by whoever its policy lets start productions; they become its
    producer.
    """

    serializer_class = serializers.ProductionSerializer
    lookup_value_converter = "int"
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "title", "year", "created_at", "updated_at"]
    ordering = ["title", "year", "id"]

    def get_queryset(self):
        return selectors.productions_for(self.request.user)

    def get_object(self):
        capability = Capability.READ if self.request.method in SAFE_METHODS else Capability.EDIT_PRODUCTION
        return production_access(self.request, self.kwargs["pk"], capability).production

    def perform_create(self, serializer):
        production = services.create_production(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.get_production(self.request.user, production.pk)

    def perform_update(self, serializer):
        services.update_production(actor=self.request.user, production=serializer.instance, **serializer.validated_data)
        serializer.instance = selectors.get_production(self.request.user, serializer.instance.pk)


@extend_schema(tags=["Members"])
@extend_schema_view(
    update=extend_schema(request=serializers.MembershipRoleSerializer, responses=serializers.MembershipSerializer),
    partial_update=extend_schema(
        request=serializers.MembershipRoleSerializer, responses=serializers.MembershipSerializer
    ),
)
class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ProductionScopedViewSet,
):
    """Who works on the production and in which role; producers manage the list.

    Newcomers join through an invitation by e-mail (/productions/{production_id}/invitations/).
    """

    write_capability = Capability.MANAGE_MEMBERS
    filter_backends = []

    def get_queryset(self):
        if self.is_schema_request():
            return Membership.objects.none()
        return selectors.members_of(self.request.user, self.production)

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return serializers.MembershipRoleSerializer
        return serializers.MembershipSerializer

    def _membership_data(self, membership):
        return serializers.MembershipSerializer(self.get_queryset().get(pk=membership.pk)).data

    def update(self, request, *args, **kwargs):
        membership = self.get_object()
        serializer = self.get_serializer(membership, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        role = serializer.validated_data.get("role", membership.role)
        services.change_member_role(actor=request.user, membership=membership, role=role)
        return Response(self._membership_data(membership))

    def perform_destroy(self, membership):
        services.remove_member(actor=self.request.user, membership=membership)


@extend_schema(tags=["People"])
class PersonViewSet(WritesThroughServices, *CRUD, ProductionScopedViewSet):
    """Performers and crew members depicted or voiced, or whose likeness is used."""

    serializer_class = serializers.PersonSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "name", "created_at", "updated_at"]
    ordering = ["name", "id"]
    create_service = services.create_person
    update_service = services.update_person
    delete_service = services.delete_person
    record_name = "person"

    def get_queryset(self):
        if self.is_schema_request():
            return Person.objects.none()
        return selectors.people_for(self.request.user, self.production)


ON_DATE = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    description=_("The date the consent status is computed on (YYYY-MM-DD); today by default."),
)


class StatusOnDate:
    """Statuses computed on the date given as ?on= (today by default), which the filterset validates first."""

    status_date = None

    def filter_queryset(self, queryset):
        filtered = super().filter_queryset(queryset)
        # The filterset has validated ?on= (else a 400 with its field message): statuses are shown on that date.
        if self.filterset_class is not None and self.filter_backends:
            self.status_date = parse_date(self.request.query_params.get("on") or "")
        return filtered

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": self.status_date}


# What a write does with the use it finds: update and partial_update lock and read it again, destroy deletes it.
RELOADED_ACTIONS = ("update", "partial_update", "destroy")


@extend_schema(tags=["AI uses"])
@extend_schema_view(retrieve=extend_schema(parameters=[ON_DATE]))
class AIUseViewSet(StatusOnDate, WritesThroughServices, *CRUD, ProductionScopedViewSet):
    """Every use of an AI tool in the production, with its computed consent status and legal's coverage decisions."""

    serializer_class = serializers.AIUseSerializer
    filterset_class = AIUseFilter
    pagination_class = PageByIdsPagination
    ordering_fields = ["id", "phase", "title", "external_id", "created_at", "updated_at"]
    ordering_keys = {"title": "title_sort", "external_id": "tracker_sort"}
    ordering = ["phase", "title", "id"]
    create_service = services.create_ai_use
    update_service = services.update_ai_use
    delete_service = services.delete_ai_use
    record_name = "ai_use"
    conflicting_actions = ("update", "partial_update")

    def get_queryset(self):
        if self.is_schema_request():
            return AIUse.objects.none()
        ai_uses = selectors.ai_uses_for(self.request.user, self.production)
        if self.action in RELOADED_ACTIONS:
            # The service locks the use and reads it again (conflicts.lock), which drops what a prefetch read: the
            # use is found bare, and the answer reads it with its links (reload).
            return ai_uses.prefetch_related(None)
        if self.action != "list":
            return ai_uses
        # A list shows each use's tool and production by id: no join, no instances of them for every row; its
        # links are read as AIUseListSerializer needs them.
        return ai_uses.select_related(None).prefetch_related(None).prefetch_related(*serializers.PAGE_LINKS)

    def reload(self, record):
        return selectors.ai_uses_for(self.request.user, self.production).get(pk=record.pk)

    def list(self, request, *args, **kwargs):
        """A page of uses is kept per records revision, date, language and query string (productions.kept_pages):
        the same request on the same records reads it back, its links written for this request."""
        key = kept_pages.key(self.production.pk, "api-ai-uses", request.query_params)
        kept = kept_pages.kept(key, self._page)
        self.paginator.restore(request, kept["count"], kept["number"])
        return self.get_paginated_response(kept["results"])

    def _page(self):
        """The page the request asks for: its uses as the list writes them, their number and the page's."""
        ai_uses = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        page = self.paginator.page
        results = list(self.get_serializer(ai_uses, many=True).data)
        return {"count": page.paginator.count, "number": page.number, "results": results}


CONSENT_ACTION = {"responses": serializers.ConsentSerializer}


@extend_schema(tags=["Consents"])
@extend_schema_view(
    retrieve=extend_schema(parameters=[ON_DATE]),
    submit=extend_schema(request=None, **CONSENT_ACTION),
    approve=extend_schema(
        description=str(
            _(
                "Approve a submitted consent (legal). Refused (400) without the signed document attached (field"
                " “document”), and for a consent not separately signed without not_separately_signed_reason."
            )
        ),
        request=serializers.ApprovalSerializer,
        **CONSENT_ACTION,
    ),
    reject=extend_schema(request=serializers.ReasonSerializer, **CONSENT_ACTION),
    request_changes=extend_schema(request=serializers.ReasonSerializer, **CONSENT_ACTION),
    revoke=extend_schema(
        description=str(
            _(
                "Record the person's withdrawal of consent, with its date and reason and, as multipart/form-data,"
                " their written withdrawal; uses relying on it are blocked from that date."
            )
        ),
        request={
            "application/json": serializers.RevokeSerializer,
            "multipart/form-data": serializers.RevokeWithDocumentSerializer,
        },
        **CONSENT_ACTION,
    ),
    assign=extend_schema(
        description=str(
            _("Give the review to a legal member of the production, by a date (legal); the assignee is told.")
        ),
        request=serializers.AssignmentSerializer,
        **CONSENT_ACTION,
    ),
    withdrawal_document=extend_schema(
        description=str(_("Download the person's written withdrawal (PDF, JPEG or PNG).")),
        responses={(200, media_type): OpenApiResponse(OpenApiTypes.BINARY) for media_type in CONSENT_DOCUMENT_TYPES},
    ),
)
class ConsentViewSet(StatusOnDate, *CRUD, ProductionScopedViewSet):
    """Consents of the production's people and their review: draft → submitted → approved / rejected / changes.

    Each shows its standing (what it is worth today: never “approved” once expired or revoked). The review queue is
    the list with review_state=submitted, filtered by assigned_to and overdue, sorted by review_due_on.
    """

    serializer_class = serializers.ConsentSerializer
    filterset_class = ConsentFilter
    ordering_fields = ["id", "signed_on", "expires_on", "review_due_on", "created_at", "updated_at"]
    ordering_nulls_last = ("review_due_on",)
    ordering = ["person__name", "kind", "signed_on", "id"]
    write_capability = Capability.EDIT_CONSENTS
    action_capabilities = {
        "approve": Capability.REVIEW_CONSENTS,
        "reject": Capability.REVIEW_CONSENTS,
        "request_changes": Capability.REVIEW_CONSENTS,
        "assign": Capability.REVIEW_CONSENTS,
    }
    download_actions = ("document", "withdrawal_document")
    # Decisions claim the consent: of two at once, the second is refused as already decided.
    conflicting_actions = (
        "update", "partial_update", "submit", "approve", "reject", "request_changes", "revoke", "assign",
    )  # fmt: skip

    def required_capability(self):
        # Everyone on the production reads the coverage of the uses; only legal decides it.
        if self.action == "coverage" and self.request.method == "POST":
            return Capability.REVIEW_CONSENTS
        return super().required_capability()

    def get_queryset(self):
        if self.is_schema_request():
            return Consent.objects.none()
        return selectors.consents_for(self.request.user, self.production).select_related("review_assignee")

    def _answer(self, consent):
        return Response(self.get_serializer(self.get_queryset().get(pk=consent.pk)).data)

    def perform_create(self, serializer):
        consent = services.create_consent(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=consent.pk)

    def perform_update(self, serializer):
        terms = {name: value for name, value in serializer.validated_data.items() if name != "person"}
        services.update_consent(actor=self.request.user, consent=serializer.instance, **terms)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, consent):
        services.delete_consent(actor=self.request.user, consent=consent)

    def _with_data(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._answer(services.submit_consent(actor=request.user, consent=self.get_object()))

    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        data = self._with_data(serializers.ApprovalSerializer)
        return self._answer(services.approve_consent(actor=request.user, consent=self.get_object(), **data))

    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        reason = self._with_data(serializers.ReasonSerializer)["review_reason"]
        return self._answer(services.reject_consent(actor=request.user, consent=self.get_object(), reason=reason))

    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, *args, **kwargs):
        reason = self._with_data(serializers.ReasonSerializer)["review_reason"]
        consent = services.request_consent_changes(actor=request.user, consent=self.get_object(), reason=reason)
        return self._answer(consent)

    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def revoke(self, request, *args, **kwargs):
        data = self._with_data(serializers.RevokeWithDocumentSerializer)
        consent = services.revoke_consent(
            actor=request.user,
            consent=self.get_object(),
            on=data["revoked_on"],
            reason=data["revocation_reason"],
            withdrawal_document=data.get("withdrawal_document"),
            version=data.get("version"),
        )
        return self._answer(consent)

    @action(detail=True, methods=["post"])
    def assign(self, request, *args, **kwargs):
        consent = self.get_object()
        data = self._with_data(serializers.AssignmentSerializer)
        consent = services.assign_review(
            actor=request.user,
            consent=consent,
            assignee=data.get("review_assignee", consent.review_assignee),
            due_on=data.get("review_due_on", consent.review_due_on),
            version=data.get("version"),
        )
        return self._answer(consent)

    def _coverage(self, consent):
        """The uses relying on the consent, each with legal's decision on it: five queries, however many uses."""
        uses = (
            selectors.ai_uses_for(self.request.user, self.production)
            .select_related(None)
            .prefetch_related("coverage_decisions__decided_by")
            .filter(consents=consent)
            .order_by("phase", "title", "id")
        )
        entries = []
        for use in uses:
            decision = next((d for d in use.coverage_decisions.all() if d.consent_id == consent.pk), None)
            entries.append(
                serializers.coverage_entry(
                    consent,
                    decision,
                    use_facts_fingerprint(use),
                    ai_use=use.pk,
                    title=use.title,
                    external_id=use.external_id,
                    performer_use=use.performer_use,
                    consent_status=consent_status(use),
                )
            )
        return Response(serializers.ConsentCoverageSerializer(entries, many=True).data)

    @extend_schema(
        methods=["GET"],
        description=str(
            _(
                "The AI uses relying on this consent, each with legal's decision that the consent covers it and"
                " whether that decision still holds."
            )
        ),
        responses=serializers.ConsentCoverageSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        description=str(
            _(
                "Decide (legal) that the consent covers, or does not cover, these uses, which must rely on it; a"
                " refusal needs a note. The decision holds for the consent's scope and the uses' facts as they are"
                " now. Answers with the uses relying on the consent."
            )
        ),
        request=serializers.CoverageDecisionRequestSerializer,
        responses=serializers.ConsentCoverageSerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def coverage(self, request, *args, **kwargs):
        consent = self.get_object()
        if request.method == "POST":
            data = self._with_data(serializers.CoverageDecisionRequestSerializer)
            services.decide_coverage(actor=request.user, consent=consent, **data)
        return self._coverage(consent)

    @extend_schema(
        methods=["GET"],
        description=str(_("Download the signed document (PDF, JPEG or PNG).")),
        responses={(200, media_type): OpenApiResponse(OpenApiTypes.BINARY) for media_type in CONSENT_DOCUMENT_TYPES},
    )
    @extend_schema(
        methods=["POST"],
        description=str(_("Attach the signed document; a reviewed consent goes back to draft.")),
        request={"multipart/form-data": serializers.DocumentUploadSerializer},
        responses=serializers.ConsentSerializer,
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def document(self, request, *args, **kwargs):
        consent = self.get_object()
        if request.method == "POST":
            uploaded = self._with_data(serializers.DocumentUploadSerializer)["document"]
            return self._answer(
                services.attach_consent_document(actor=request.user, consent=consent, uploaded_file=uploaded)
            )
        if not consent.document:
            raise Http404(_("This consent has no signed document."))
        return consent_document_response(consent)

    @action(detail=True, methods=["get"], url_path="withdrawal-document")
    def withdrawal_document(self, request, *args, **kwargs):
        consent = self.get_object()
        if not consent.withdrawal_document:
            raise Http404(_("This consent has no written withdrawal."))
        return consent_document_response(consent, "withdrawal_document")


@extend_schema(tags=["AI literacy"])
class LiteracyMeasureViewSet(WritesThroughServices, *CRUD, ProductionScopedViewSet):
    """AI literacy measures taken for staff (AI Act Art. 4)."""

    serializer_class = serializers.LiteracyMeasureSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "held_on", "created_at", "updated_at"]
    ordering = ["-held_on", "id"]
    create_service = services.create_literacy_measure
    update_service = services.update_literacy_measure
    delete_service = services.delete_literacy_measure
    record_name = "measure"

    def get_queryset(self):
        if self.is_schema_request():
            return LiteracyMeasure.objects.none()
        return selectors.literacy_measures_for(self.request.user, self.production)


REASON = OpenApiParameter(
    "reason", str, description=_("Why the entry is removed; required for the shared catalogue."), required=False
)


@extend_schema(tags=["AI tools"])
@extend_schema_view(
    destroy=extend_schema(parameters=[REASON]),
    proposals=extend_schema(
        request=serializers.ToolProposalCreateSerializer, responses={201: serializers.ToolProposalSerializer}
    ),
)
class ToolViewSet(*CRUD, viewsets.GenericViewSet):
    """The tool catalogue: shared entries, which everyone signed in reads and curators maintain (each change with a
    reason), and the private tools of your organisations, which their owners, admins and producers maintain."""

    serializer_class = serializers.ToolSerializer
    permission_classes = [IsAuthenticated, ToolEditorOrReadOnly]
    lookup_value_converter = "int"
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "vendor", "product", "created_at", "updated_at"]
    ordering = ["vendor", "product", "model_name", "model_version", "id"]

    def get_queryset(self):
        return selectors.tool_catalogue(self.request.user)

    def get_object(self):
        tool = selectors.get_tool(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, tool)
        return tool

    def perform_create(self, serializer):
        serializer.instance = catalogue.create_tool(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        fields.pop("organisation", None)  # a tool stays where it was created
        catalogue.update_tool(actor=self.request.user, tool=serializer.instance, **fields)

    def perform_destroy(self, tool):
        catalogue.delete_tool(actor=self.request.user, tool=tool, reason=self.request.query_params.get("reason", ""))

    @action(detail=True, methods=["post"])
    def proposals(self, request, *args, **kwargs):
        """Propose a correction of a shared entry, with a reason; nothing changes until a curator accepts it."""
        tool = selectors.get_tool(request.user, kwargs["pk"])
        data = serializers.ToolProposalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = catalogue.propose_tool_change(actor=request.user, tool=tool, **data.validated_data)
        return Response(serializers.ToolProposalSerializer(proposal).data, status=201)


@extend_schema(tags=["AI tools"])
@extend_schema_view(
    accept=extend_schema(request=serializers.DecisionSerializer, responses=serializers.ToolProposalSerializer),
    reject=extend_schema(request=serializers.DecisionSerializer, responses=serializers.ToolProposalSerializer),
)
class ToolProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Proposed corrections of the shared catalogue: curators see and decide all of them, others their own."""

    serializer_class = serializers.ToolProposalSerializer
    lookup_value_converter = "int"
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "created_at", "decided_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.tool_proposals_for(self.request.user)

    def get_object(self):
        return selectors.get_tool_proposal(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        serializer.instance = catalogue.propose_tool_change(actor=self.request.user, **serializer.validated_data)

    def _decided(self, request, decide):
        data = serializers.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = decide(actor=request.user, proposal=self.get_object(), **data.validated_data)
        return Response(serializers.ToolProposalSerializer(proposal).data)

    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """Apply the proposed values to the catalogue (curators)."""
        return self._decided(request, catalogue.accept_proposal)

    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        """Refuse the proposal with a note for the proposer (curators)."""
        return self._decided(request, catalogue.reject_proposal)
