"""Organisations and invitations in the API: reads through productions.selectors, writes through
productions.organisations.

An invitation is answered with 202 Accepted and the same body whoever the address belongs to: the API never
says whether an e-mail address has an account, and there is no way to add an account by its username.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from productions import catalogue, organisations, selectors
from productions.access import organisation_access
from productions.api import serializers
from productions.api.views import ProductionScopedViewSet
from productions.models import Invitation, OrganisationMembership, OrganisationToolPolicy
from productions.roles import Capability, OrganisationCapability


class _Revocable:
    """POST {id}/revoke/ withdraws a pending invitation; its link stops working."""

    @extend_schema(request=None, responses=serializers.InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        invitation = organisations.revoke_invitation(actor=request.user, invitation=self.get_object())
        return Response(serializers.InvitationSerializer(invitation).data)


@extend_schema(tags=["Members"])
@extend_schema_view(
    create=extend_schema(
        description=str(
            _(
                "Invite someone by e-mail to the production, in a role; they also join its organisation as a"
                " member. The answer is the same whether or not the address has an account."
            )
        ),
        request=serializers.ProductionInvitationCreateSerializer,
        responses={202: serializers.InvitationSerializer},
    ),
)
class ProductionInvitationViewSet(
    _Revocable, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProductionScopedViewSet
):
    """Invitations to the production, pending or not; producers send and withdraw them."""

    serializer_class = serializers.InvitationSerializer
    filter_backends = []
    write_capability = Capability.MANAGE_MEMBERS
    # Who was invited is the producers' business, as the members list is theirs to manage.
    action_capabilities = {"list": Capability.MANAGE_MEMBERS, "retrieve": Capability.MANAGE_MEMBERS}

    def get_queryset(self):
        if self.is_schema_request():
            return Invitation.objects.none()
        return (
            Invitation.objects.filter(production=self.production)
            .select_related("invited_by")
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ProductionInvitationCreateSerializer
        return serializers.InvitationSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = organisations.invite(
            actor=request.user,
            organisation=self.production.organisation,
            production=self.production,
            email=serializer.validated_data["email"],
            production_role=serializer.validated_data["role"],
        )
        return Response(serializers.InvitationSerializer(invitation).data, status=status.HTTP_202_ACCEPTED)


class OrganisationScoped:
    """A resource of one organisation, under /organisations/{organisation_id}/: 404 outside it."""

    read_capability = OrganisationCapability.READ
    write_capability = OrganisationCapability.MANAGE
    action_capabilities = {}
    organisation = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is None:
            return  # a method this URL does not offer: the dispatch answers 405
        capability = self.action_capabilities.get(self.action) or (
            self.read_capability if self.action in {"list", "retrieve"} else self.write_capability
        )
        self.organisation = organisation_access(request, kwargs["organisation_id"], capability).organisation

    def is_schema_request(self):
        return getattr(self, "swagger_fake_view", False)


@extend_schema(tags=["Organisations"])
@extend_schema_view(
    update=extend_schema(request=serializers.OrganisationSerializer, responses=serializers.OrganisationSerializer),
)
class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Your organisations, with your role in each. Owners rename them and decide who may start productions."""

    serializer_class = serializers.OrganisationSerializer
    lookup_value_converter = "int"
    filter_backends = []

    def get_queryset(self):
        return selectors.organisations_for(self.request.user).order_by("name", "id")

    def get_object(self):
        capability = OrganisationCapability.READ if self.action == "retrieve" else OrganisationCapability.MANAGE
        return organisation_access(self.request, self.kwargs["pk"], capability).organisation

    def perform_update(self, serializer):
        organisations.update_organisation(
            actor=self.request.user, organisation=serializer.instance, **serializer.validated_data
        )
        serializer.instance = selectors.get_organisation(self.request.user, serializer.instance.pk)


@extend_schema(tags=["Organisations"])
@extend_schema_view(
    update=extend_schema(
        request=serializers.OrganisationRoleSerializer, responses=serializers.OrganisationMembershipSerializer
    ),
    partial_update=extend_schema(
        request=serializers.OrganisationRoleSerializer, responses=serializers.OrganisationMembershipSerializer
    ),
)
class OrganisationMemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganisationScoped,
    viewsets.GenericViewSet,
):
    """Who belongs to the organisation and in which role. Owners change roles and remove members; anyone may
    leave (DELETE their own membership). An organisation keeps at least one owner."""

    lookup_value_converter = "int"
    filter_backends = []
    # Leaving is open to every member; removing someone else takes an owner, which the service checks.
    action_capabilities = {"destroy": OrganisationCapability.READ}

    def get_queryset(self):
        if self.is_schema_request():
            return OrganisationMembership.objects.none()
        return selectors.organisation_members_of(self.request.user, self.organisation)

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return serializers.OrganisationRoleSerializer
        return serializers.OrganisationMembershipSerializer

    def update(self, request, *args, **kwargs):
        membership = self.get_object()
        serializer = self.get_serializer(membership, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        role = serializer.validated_data.get("role", membership.role)
        organisations.change_organisation_role(actor=request.user, membership=membership, role=role)
        membership = self.get_queryset().get(pk=membership.pk)
        return Response(serializers.OrganisationMembershipSerializer(membership).data)

    def perform_destroy(self, membership):
        organisations.remove_organisation_member(actor=self.request.user, membership=membership)


@extend_schema(tags=["Organisations"])
@extend_schema_view(
    create=extend_schema(
        description=str(
            _(
                "Invite someone by e-mail to the organisation, in a role no higher than yours. The answer is the"
                " same whether or not the address has an account."
            )
        ),
        request=serializers.OrganisationInvitationCreateSerializer,
        responses={202: serializers.InvitationSerializer},
    ),
)
class OrganisationInvitationViewSet(
    _Revocable,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrganisationScoped,
    viewsets.GenericViewSet,
):
    """Every invitation of the organisation, to it or to one of its productions; owners and admins send them."""

    lookup_value_converter = "int"
    filter_backends = []
    read_capability = write_capability = OrganisationCapability.INVITE

    def get_queryset(self):
        if self.is_schema_request():
            return Invitation.objects.none()
        return (
            Invitation.objects.filter(organisation=self.organisation)
            .select_related("invited_by")
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.OrganisationInvitationCreateSerializer
        return serializers.InvitationSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = organisations.invite(
            actor=request.user, organisation=self.organisation, **serializer.validated_data
        )
        return Response(serializers.InvitationSerializer(invitation).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["Organisations"])
class OrganisationToolPolicyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    OrganisationScoped,
    viewsets.GenericViewSet,
):
    """Which tools the organisation approves, restricts or blocks for its productions; owners and admins set it.

    Creating a policy for a tool that has one replaces it. A use of a blocked tool is flagged, never refused.
    """

    serializer_class = serializers.ToolPolicySerializer
    lookup_value_converter = "int"
    filter_backends = []
    # Members read the policy; the service lets owners and admins change it.
    read_capability = write_capability = OrganisationCapability.READ

    def get_queryset(self):
        if self.is_schema_request():
            return OrganisationToolPolicy.objects.none()
        return OrganisationToolPolicy.objects.filter(organisation=self.organisation).select_related("set_by")

    def perform_create(self, serializer):
        serializer.instance = catalogue.set_tool_policy(
            actor=self.request.user, organisation=self.organisation, **serializer.validated_data
        )

    def perform_destroy(self, policy):
        catalogue.set_tool_policy(actor=self.request.user, organisation=self.organisation, tool=policy.tool, status="")
