"""API of a production's imports: each committed import (a batch) with its rows, and undoing one.

The same reads and service as the web pages (productions.imports.batches). An undo that something done since
depends on is refused with 409, each use concerned listed under "ai_uses.<id>" in the error shape.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from productions import imports, selectors
from productions.api.exceptions import error_body
from productions.api.serializers import ErrorSerializer
from productions.api.views import ProductionScopedViewSet
from productions.models import ImportBatch
from productions.roles import Capability
from productions.vocabularies import ImportAction, ImportSource


class ImportBatchSerializer(serializers.ModelSerializer):
    source = serializers.ChoiceField(
        choices=ImportSource.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Where the file comes from; empty when the import did not say."),
    )
    imported_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    undone_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    created = serializers.IntegerField(source="created_count", help_text=_("Uses the import created."))
    updated = serializers.IntegerField(source="updated_count", help_text=_("Uses the import changed."))
    unchanged = serializers.IntegerField(source="unchanged_count", help_text=_("Rows already as the file has them."))

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "file_name",
            "source",
            "mapping_name",
            "imported_by",
            "imported_at",
            "created",
            "updated",
            "unchanged",
            "undone_by",
            "undone_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "mapping_name": {"help_text": _("The saved mapping the import used as it is; empty when none.")},
            "undone_at": {"help_text": _("When the import was undone; null while it stands.")},
        }


class ImportBatchRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="item.row_number", help_text=_("The row's number in the file."))
    action = serializers.ChoiceField(source="item.action", choices=[ImportAction.CREATE, ImportAction.UPDATE])
    ai_use = serializers.IntegerField(
        source="item.ai_use_id", allow_null=True, help_text=_("The use written; null once it was deleted.")
    )
    title = serializers.CharField(source="item.title", help_text=_("The use's title once imported."))
    external_id = serializers.CharField(source="item.external_id", help_text=_("The use's tracker id once imported."))
    version_after = serializers.IntegerField(
        source="item.version_after", help_text=_("The use's version once imported: undo is refused once it moved on.")
    )
    before = serializers.DictField(
        source="item.before",
        help_text=_("For an update, each field it changed with its value before the import, as text (null: empty)."),
    )
    to_complete = serializers.SerializerMethodField(
        help_text=_("The fields the disclosure checklist needs that the use still lacks.")
    )

    def get_to_complete(self, row) -> list[str]:
        return [fact.field for fact in row.to_complete]


class ImportBatchDetailSerializer(ImportBatchSerializer):
    rows = serializers.SerializerMethodField()

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "rows"]
        read_only_fields = fields

    @extend_schema_field(ImportBatchRowSerializer(many=True))
    def get_rows(self, batch):
        return ImportBatchRowSerializer(imports.batch_rows(batch), many=True).data


def _refused(error):
    errors = {f"ai_uses.{dependent.ai_use.pk}": list(dependent.reasons) for dependent in error.dependents}
    return Response(error_body(" ".join(error.messages), "conflict", errors), status=status.HTTP_409_CONFLICT)


@extend_schema(tags=["Imports"])
@extend_schema_view(
    list=extend_schema(description=str(_("The production's imports, newest first."))),
    retrieve=extend_schema(
        description=str(_("An import with every row it wrote and what each use still lacks for the checklist."))
    ),
    undo=extend_schema(
        request=None,
        description=str(
            _(
                "Undo an import: the uses it created are deleted and the uses it updated get their values back, all"
                " or nothing, each with a history entry. Refused with 409 while something done since depends on it"
                " (a use changed since, a coverage decision made since: listed under ai_uses.<id>) or when it was"
                " already undone; 400 when it wrote nothing. Producers only."
            )
        ),
        responses={
            200: ImportBatchDetailSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description=str(
                    _("Something done since depends on the import, or it was already undone: nothing was undone.")
                ),
            ),
        },
    ),
)
class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProductionScopedViewSet):
    """Imports into the ledger: who imported which file when, what it did, and whether it was undone."""

    serializer_class = ImportBatchSerializer
    filter_backends = []
    action_capabilities = {"undo": Capability.EDIT_RECORDS}

    def get_queryset(self):
        if self.is_schema_request():
            return ImportBatch.objects.none()
        return selectors.import_batches_for(self.request.user, self.production)

    def get_serializer_class(self):
        return ImportBatchSerializer if self.action == "list" else ImportBatchDetailSerializer

    @action(detail=True, methods=["post"])
    def undo(self, request, *args, **kwargs):
        batch = self.get_object()
        try:
            imports.undo_import(actor=request.user, batch=batch)
        except imports.UndoRefused as refused:
            return _refused(refused)
        return Response(self.get_serializer(self.get_queryset().get(pk=batch.pk)).data)
