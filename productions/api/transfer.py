"""API of imports and exports: POST a spreadsheet of AI uses, GET the ledger as CSV or XLSX.

The same steps as the web pages (productions.imports, productions.exports) in one request: the file
is read, mapped (suggested from its headers unless the request says otherwise), validated row by row,
and either previewed (dry_run) or written all or nothing. Row problems come back in the API's error
shape, filed under "rows.<row number>.<column>"; a row matching several uses on title and shots waits
for a choice, filed under "matches.<row number>".
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

from productions import exports, imports, selectors, tracker_ids
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
    saved_mapping = serializers.PrimaryKeyRelatedField(
        queryset=imports.saved_mappings(None),
        required=False,
        allow_null=True,
        help_text=_(
            "The id of a saved mapping of the production, laid under `mapping` and `fixed` (its source replaces "
            "`source`); empty for none. Left out, with no `mapping` either: the saved mapping made for a file "
            "with the same columns, if there is one."
        ),
    )
    matches = serializers.JSONField(
        required=False,
        help_text=_(
            'A JSON object {"row number": AI use id or "new"}: for rows that match several uses on title and '
            "shots (or share one with other rows), the use each updates, or a new use."
        ),
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("true: check the file and answer with what would happen, writing nothing.")
    )

    def __init__(self, *args, production=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_mapping"].queryset = imports.saved_mappings(production)

    def validate_mapping(self, value):
        if not isinstance(value, dict) or not all(
            isinstance(header, str) and isinstance(name, str | None) for header, name in value.items()
        ):
            raise serializers.ValidationError(_("Give a JSON object of column headers and field names."))
        return {header: name or "" for header, name in value.items()}

    def validate_matches(self, value):
        if not isinstance(value, dict) or not all(
            number.isdigit() and (choice == imports.NEW or (isinstance(choice, int) and not isinstance(choice, bool)))
            for number, choice in value.items()
        ):
            raise serializers.ValidationError(_('Give a JSON object {"row number": AI use id or "new"}.'))
        return {int(number): choice for number, choice in value.items()}

    def validate_fixed(self, value):
        if not isinstance(value, dict) or not all(
            isinstance(name, str) and isinstance(item, str | int | bool | None) for name, item in value.items()
        ):
            raise serializers.ValidationError(_("Give a JSON object of field names and values."))
        return value


class ImportCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField(help_text=_("Its tracker id; empty when it has none."))
    title = serializers.CharField()
    phase = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("The row's number in the file; the header row is row 1."))
    action = serializers.ChoiceField(
        choices=[imports.Action.CREATE, imports.Action.UPDATE, imports.Action.UNCHANGED],
        help_text=_("What importing the row would do."),
    )
    ai_use = serializers.IntegerField(
        allow_null=True,
        help_text=_("The AI use the row updates (once imported, also the one it created); null for a use to create."),
    )
    external_id = serializers.CharField(
        help_text=_("The tracker id as the ledger keeps it: an id it has under another spelling keeps its spelling.")
    )
    file_external_id = serializers.CharField(
        help_text=_("The tracker id as the file writes it, where the ledger spells it otherwise; else empty.")
    )
    matched_on = serializers.ChoiceField(
        choices=imports.MatchedOn.choices,
        allow_blank=True,
        help_text=_("How the row found the use it updates; empty for a use to create."),
    )
    candidates = ImportCandidateSerializer(
        many=True, help_text=_("The uses the row matches on title and shots, one of which `matches` may choose.")
    )
    title = serializers.CharField()
    changes = serializers.ListField(child=serializers.CharField(), help_text=_("The fields an update changes."))


class ImportSavedMappingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    chosen_by = serializers.ChoiceField(
        choices=["request", "header_signature"],
        help_text=_("Named by the request, or chosen because the file has the columns it was saved for."),
    )


class ImportCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ImportPreviewSerializer(ImportCountsSerializer):
    saved_mapping = ImportSavedMappingSerializer(allow_null=True, help_text=_("The saved mapping applied, if any."))
    matching_rule = serializers.CharField(help_text=_("How tracker ids are compared."))
    rows = ImportRowSerializer(many=True)


class ImportCommittedSerializer(ImportPreviewSerializer):
    batch = serializers.IntegerField(
        help_text=_("The import as recorded: read it at imports/<batch>/, undo it with imports/<batch>/undo/.")
    )


def _counts(plan):
    return {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged}


def _candidate(use):
    return {"id": use.pk, "external_id": use.external_id, "title": use.title, "phase": use.phase}


def _preview(plan, saved, chosen_by):
    rows = [
        {
            "row": row.number,
            "action": row.action,
            "ai_use": row.ai_use_id,
            "external_id": row.external_id,
            "file_external_id": row.file_external_id,
            "matched_on": row.matched_on,
            "candidates": [_candidate(use) for use in row.candidates],
            "title": row.title,
            "changes": row.changes if row.action == imports.Action.UPDATE else [],
        }
        for row in plan.rows
    ]
    return {
        **_counts(plan),
        "saved_mapping": {"id": saved.pk, "name": saved.name, "chosen_by": chosen_by} if saved else None,
        "matching_rule": str(tracker_ids.MATCHING_RULE),
        "rows": rows,
    }


def _rejected(plan):
    return Response(error_body(plan.summary(), "invalid", plan.api_errors()), status=status.HTTP_400_BAD_REQUEST)


_import_schema = extend_schema(
    tags=["AI uses"],
    operation_id="productions_ai_uses_import",
    description=str(
        _(
            "Import AI uses from a spreadsheet (our template, or a Kitsu, ShotGrid or ftrack export). A row "
            "whose Reelproof id or tracker id is in the ledger updates that use (tracker ids compared ignoring "
            "case and separators: see matching_rule); a row without one updates the use with its title and "
            "shots; other rows create uses. All or nothing: any problem and nothing is written, and the 400 "
            "answer lists every problem under rows.<row>.<column>, and rows that match several uses under "
            "matches.<row> (answer with `matches`). With dry_run, 200 and what would happen. Producers only."
        )
    ),
    request={"multipart/form-data": ImportSerializer},
    responses={200: ImportPreviewSerializer, 201: ImportCommittedSerializer},
)


class AIUseImportView(ProductionScoped, APIView):
    parser_classes = [MultiPartParser]
    write_capability = Capability.EDIT_RECORDS

    @_import_schema
    def post(self, request, production_id):
        serializer = ImportSerializer(data=request.data, production=self.production)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            table = imports.read_upload(data["file"])
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        saved, chosen_by = data.get("saved_mapping"), "request"
        if "saved_mapping" not in data and "mapping" not in data:
            saved, chosen_by = imports.mapping_for_headers(self.production, table.headers), "header_signature"
        source = saved.source if saved else data["source"]
        mapping = {
            **imports.initial_mapping(table.headers, source, saved.mapping if saved else None),
            **data.get("mapping", {}),
        }
        fixed = {**(saved.fixed_values if saved else {}), **data.get("fixed", {})}
        arguments = {
            "production": self.production,
            "table": table,
            "mapping": mapping,
            "fixed": fixed,
            "matches": data.get("matches"),
        }
        if data["dry_run"]:
            plan = imports.plan_import(**arguments)
            return Response(_preview(plan, saved, chosen_by)) if plan.is_valid else _rejected(plan)
        try:
            plan = imports.commit_import(actor=request.user, source=source, **arguments)
        except imports.ImportRejected as rejected:
            return _rejected(rejected.plan)
        committed = {**_preview(plan, saved, chosen_by), "batch": plan.batch.pk}
        return Response(committed, status=status.HTTP_201_CREATED)


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
