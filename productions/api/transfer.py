"""API of imports and exports: POST a spreadsheet of AI uses, GET the ledger as CSV or XLSX.

The same steps as the web pages (productions.imports, productions.exports) in one request: the file
is read, mapped (suggested from its headers unless the request says otherwise), validated row by row,
and either previewed (dry_run) or written all or nothing. Row problems come back in the API's error
shape, filed under "rows.<row number>.<column>".
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from productions import exports, imports, selectors
from productions.api.exceptions import error_body
from productions.api.views import ProductionScoped
from productions.filters import AIUseFilter
from productions.roles import Capability
from productions.vocabularies import ImportSource


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The spreadsheet: CSV (UTF-8) or XLSX; the first sheet is read."))
    source = serializers.ChoiceField(
        choices=ImportSource.choices,
        default=ImportSource.REELPROOF,
        help_text=_("Where the file comes from; decides which column headers are recognised."),
    )
    mapping = serializers.JSONField(
        required=False,
        help_text=_(
            'A JSON object {"column header": "ledger field"} laid over the mapping suggested from the headers; '
            '"" ignores a column. Fields are those of the import template.'
        ),
    )
    fixed = serializers.JSONField(
        required=False,
        help_text=_(
            'A JSON object {"ledger field": value} used in every row whose cell is empty, '
            'e.g. {"phase": "vfx", "department": "vfx", "tool": 12, "is_final": true}.'
        ),
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("true: check the file and answer with what would happen, writing nothing.")
    )

    def validate_mapping(self, value):
        if not isinstance(value, dict) or not all(
            isinstance(header, str) and isinstance(name, str | None) for header, name in value.items()
        ):
            raise serializers.ValidationError(_("Give a JSON object of column headers and field names."))
        return {header: name or "" for header, name in value.items()}

    def validate_fixed(self, value):
        if not isinstance(value, dict) or not all(
            isinstance(name, str) and isinstance(item, str | int | bool | None) for name, item in value.items()
        ):
            raise serializers.ValidationError(_("Give a JSON object of field names and values."))
        return value


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("The row's number in the file; the header row is row 1."))
    action = serializers.ChoiceField(
        choices=[imports.Action.CREATE, imports.Action.UPDATE, imports.Action.UNCHANGED],
        help_text=_("What importing the row would do."),
    )
    external_id = serializers.CharField(help_text=_("The tracker id, as text."))
    title = serializers.CharField()
    changes = serializers.ListField(child=serializers.CharField(), help_text=_("The fields an update changes."))


class ImportCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ImportPreviewSerializer(ImportCountsSerializer):
    rows = ImportRowSerializer(many=True)


def _counts(plan):
    return {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged}


def _preview(plan):
    rows = [
        {
            "row": row.number,
            "action": row.action,
            "external_id": row.external_id,
            "title": row.title,
            "changes": row.changes if row.action == imports.Action.UPDATE else [],
        }
        for row in plan.rows
    ]
    return {**_counts(plan), "rows": rows}


def _rejected(plan):
    return Response(error_body(plan.summary(), "invalid", plan.api_errors()), status=status.HTTP_400_BAD_REQUEST)


_import_schema = extend_schema(
    tags=["AI uses"],
    operation_id="productions_ai_uses_import",
    description=str(
        _(
            "Import AI uses from a spreadsheet (our template, or a Kitsu, ShotGrid or ftrack export). A row "
            "whose tracker id (or Reelproof id) is in the ledger updates that use; other rows create uses. "
            "All or nothing: any problem and nothing is written, and the 400 answer lists every problem under "
            "rows.<row>.<column>. With dry_run, 200 and what would happen. Producers only."
        )
    ),
    request={"multipart/form-data": ImportSerializer},
    responses={200: ImportPreviewSerializer, 201: ImportCountsSerializer},
)


class AIUseImportView(ProductionScoped, APIView):
    parser_classes = [MultiPartParser]
    write_capability = Capability.EDIT_RECORDS

    @_import_schema
    def post(self, request, production_id):
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            table = imports.read_upload(data["file"])
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        mapping = {**imports.suggest_mapping(table.headers, data["source"]), **data.get("mapping", {})}
        fixed = data.get("fixed", {})
        if data["dry_run"]:
            plan = imports.plan_import(production=self.production, table=table, mapping=mapping, fixed=fixed)
            return Response(_preview(plan)) if plan.is_valid else _rejected(plan)
        try:
            plan = imports.commit_import(
                actor=request.user, production=self.production, table=table, mapping=mapping, fixed=fixed
            )
        except imports.ImportRejected as rejected:
            return _rejected(rejected.plan)
        return Response(_counts(plan), status=status.HTTP_201_CREATED)


def _filter_parameters():
    """The ledger page's filters (productions.filters.AIUseFilter) as query parameters."""
    parameters = []
    for name, ledger_filter in AIUseFilter.base_filters.items():
        choices = ledger_filter.extra.get("choices")
        if choices:
            kind, enum = OpenApiTypes.STR, [key for key, _label in choices]
        elif name == "is_final":
            kind, enum = OpenApiTypes.BOOL, None
        else:
            kind, enum = OpenApiTypes.STR, None
        description = str(ledger_filter.label)
        if name == "tool":
            description = str(_("Only uses of this tool: its id, or “null” for uses that name none."))
        parameters.append(OpenApiParameter(name, kind, enum=enum, description=description))
    return parameters


class AIUseExportView(ProductionScoped, APIView):
    """The ledger in the template's columns; every member may export."""

    file_format = None

    def required_capability(self):
        return Capability.EXPORT

    def perform_content_negotiation(self, request, force=False):
        # The answer is a file whatever Accept says; errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request, production_id):
        filterset = AIUseFilter(
            request.query_params,
            queryset=selectors.ai_uses_for(request.user, self.production),
            production=self.production,
        )
        if not filterset.is_valid():
            raise ValidationError({name: list(messages) for name, messages in filterset.errors.items()})
        data = exports.export_ai_uses(filterset.qs, self.file_format)
        response = HttpResponse(data, content_type=exports.CONTENT_TYPES[self.file_format])
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=exports.file_name(self.production, "ai-uses", self.file_format)
        )
        return response


def _export_schema(file_format):
    return extend_schema(
        tags=["AI uses"],
        operation_id=f"productions_ai_uses_export_{file_format}",
        description=str(
            _(
                "The ledger as a file in the import template's columns, filtered like the ledger page; cells a "
                "spreadsheet would run as formulas start with a quote. It imports back unchanged."
            )
        ),
        parameters=_filter_parameters(),
        responses={(200, exports.CONTENT_TYPES[file_format].split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY)},
    )


class AIUseCSVExportView(AIUseExportView):
    file_format = "csv"

    @_export_schema("csv")
    def get(self, request, production_id):
        return super().get(request, production_id)


class AIUseXLSXExportView(AIUseExportView):
    file_format = "xlsx"

    @_export_schema("xlsx")
    def get(self, request, production_id):
        return super().get(request, production_id)


urlpatterns = [
    path("productions/<int:production_id>/ai-uses/import/", AIUseImportView.as_view(), name="ai-use-import"),
    path("productions/<int:production_id>/ai-uses/export.csv", AIUseCSVExportView.as_view(), name="ai-use-export-csv"),
    path(
        "productions/<int:production_id>/ai-uses/export.xlsx", AIUseXLSXExportView.as_view(), name="ai-use-export-xlsx"
    ),
]
