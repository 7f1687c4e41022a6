"""Your inbox in the API: your notifications, newest first, each with what it says (in the request's language)
and the address of its record; mark one or all read. Only your own: another person's notification is 404."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from productions.models import Notification
from productions.notifications import inbox
from productions.notifications.messages import message


class NotificationSerializer(serializers.ModelSerializer):
    production_title = serializers.CharField(source="production.title", read_only=True)
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text=_("Who did it; empty for reminders.")
    )
    title = serializers.SerializerMethodField(help_text=_("A short title, in the request's language."))
    text = serializers.SerializerMethodField(help_text=_("One sentence saying what happened."))
    url = serializers.SerializerMethodField(help_text=_("The page of the record it is about."))
    unread = serializers.SerializerMethodField()
    details = serializers.JSONField(
        read_only=True, help_text=_("The raw values the sentence is made of (codes, ISO dates, names).")
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "production",
            "production_title",
            "consent",
            "ai_use",
            "actor",
            "title",
            "text",
            "url",
            "details",
            "created_at",
            "read_at",
            "unread",
        ]
        read_only_fields = fields

    def _said(self, notification):
        # One message per notification, for its three fields.
        if not hasattr(notification, "_said"):
            notification._said = message(notification)
        return notification._said

    @extend_schema_field(OpenApiTypes.STR)
    def get_title(self, notification):
        return self._said(notification).title

    @extend_schema_field(OpenApiTypes.STR)
    def get_text(self, notification):
        return self._said(notification).text

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, notification):
        return self.context["request"].build_absolute_uri(self._said(notification).path)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_unread(self, notification):
        return notification.read_at is None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were marked read."))


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", help_text=_("true: only unread notifications; false: only read.")
    )

    class Meta:
        model = Notification
        fields = []


@extend_schema(tags=["Notifications"])
@extend_schema_view(
    read=extend_schema(request=None, responses=NotificationSerializer),
    read_all=extend_schema(request=None, responses=MarkedSerializer),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your notifications, newest first, of the productions you are a member of."""

    serializer_class = NotificationSerializer
    lookup_value_converter = "int"
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return inbox.notifications_for(self.request.user)

    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        """Mark the notification read; marking it again changes nothing."""
        notification = inbox.mark_read(user=request.user, pk=kwargs["pk"])
        return Response(self.get_serializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request, *args, **kwargs):
        """Mark every unread notification read."""
        return Response(MarkedSerializer({"marked": inbox.mark_all_read(user=request.user)}).data)
