"""Import and export of the ledger in the browser: upload, map columns, preview, import; CSV and XLSX downloads.

Between the steps the uploaded table waits in private storage, named in the user's session (imports.staging).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from productions import exports, imports, selectors, tracker_ids
from productions.access import production_access
from productions.filters import AIUseFilter
from productions.forms.transfer import MappingForm, SavedMappingForm, UploadForm, posted_matches
from productions.imports import staging
from productions.roles import Capability
from productions.vocabularies import ImportSource

# A page of the preview's rows, and of the rows to match; the problems listed above them, each also beside its row.
PREVIEW_ROWS = 200
PREVIEW_PROBLEMS = 100


def import_step(view):
    """A step of an open import: producers only; a closed import sends the user back to the upload."""

    @functools.wraps(view)
    def step(request, pk, token):
        access = production_access(request, pk, Capability.EDIT_RECORDS)
        try:
            entry, table = staging.staged_import(request.session, token, access.production)
        except staging.ImportClosed:
            messages.error(request, _("That import is no longer open; upload the file again."))
            return redirect("productions:ai-use-import", pk)
        return view(request, access, token, entry, table)

    return step


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request, pk):
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None, production=access.production)
    if posted and form.is_valid():
        saved, chosen_by = form.cleaned_data.get("saved_mapping"), staging.CHOSEN_BY_USER
        if saved is None:
            # A file with the columns a mapping was saved for gets it without asking; the mapping step says so.
            saved = imports.mapping_for_headers(access.production, form.table.headers)
            chosen_by = staging.CHOSEN_BY_SIGNATURE
        source = saved.source if saved else form.cleaned_data["source"]
        token = staging.open_import(request.session, access.production, form.table, source, saved, chosen_by)
        return redirect("productions:ai-use-import-mapping", pk, token)
    return render(request, "productions/transfer/upload.html", {**access.context(), "form": form})


@require_http_methods(["GET", "POST"])
@login_required
@import_step
def import_mapping(request, access, token, entry, table):
    production = access.production
    mapping = imports.initial_mapping(table.headers, entry["source"], entry["mapping"])
    posted = request.method == "POST"
    form = MappingForm(
        request.POST if posted else None, table=table, mapping=mapping, fixed=entry["fixed"], production=production
    )
    if posted and form.is_valid():
        staging.update_import(request.session, token, mapping=form.mapping(), fixed=form.fixed(), mapped=True)
        name = form.cleaned_data["save_as"].strip()
        if name:
            imports.save_mapping(
                actor=request.user,
                production=production,
                name=name,
                source=entry["source"],
                mapping=form.mapping(),
                fixed=form.fixed(),
            )
            messages.success(request, _("Mapping “%(name)s” saved for the next file.") % {"name": name})
        return redirect("productions:ai-use-import-preview", production.pk, token)
    return render(
        request,
        "productions/transfer/mapping.html",
        {
            **access.context(),
            "form": form,
            "token": token,
            "entry": entry,
            "table": table,
            "source_label": ImportSource(entry["source"]).label,
            "saved_mapping_form": SavedMappingForm(
                initial={"saved_mapping": entry["saved_mapping"]}, production=production
            ),
            "has_saved_mappings": imports.saved_mappings(production).exists(),
        },
    )


@require_POST
@login_required
@import_step
def import_saved_mapping(request, access, token, entry, table):
    """Apply another saved mapping to the open import, or none (the suggestion from the headers)."""
    form = SavedMappingForm(request.POST, production=access.production)
    if form.is_valid():
        saved = form.cleaned_data["saved_mapping"]
        source = saved.source if saved else entry["source"]
        staging.update_import(
            request.session, token, source=source, mapped=False, **staging.saved_mapping_fields(saved)
        )
    else:
        messages.error(request, " ".join(form.errors["saved_mapping"]))
    return redirect("productions:ai-use-import-mapping", access.production.pk, token)


def _render_preview(request, access, token, entry, plan, status=200):
    """The plan summarised: its counts, the first problems, the rows to match, and its rows a page at a time.

    A shot list of a long series has 50,000 rows: the page never lists them all. Rows that wait for a choice come
    first among the rows to match; the choices already made of those not listed travel as hidden inputs.
    """
    choices = {row.number: row.choice for row in plan.rows if row.choice is not None}
    to_match = sorted(plan.rows_to_match, key=lambda row: not row.needs_choice)
    problems = plan.problems_to_fix
    return render(
        request,
        "productions/transfer/preview.html",
        {
            **access.context(),
            "token": token,
            "entry": entry,
            "plan": plan,
            "matching_rule": tracker_ids.MATCHING_RULE,
            "page": Paginator(plan.rows, PREVIEW_ROWS).get_page(request.GET.get("page")),
            # The page links keep the choices made, as the preview's own form sends them.
            "query": urlencode({f"match_{number}": choice for number, choice in choices.items()}),
            "problems": problems[:PREVIEW_PROBLEMS],
            "more_problems": max(len(problems) - PREVIEW_PROBLEMS, 0),
            "rows_to_match": to_match[:PREVIEW_ROWS],
            "more_to_match": max(len(to_match) - PREVIEW_ROWS, 0),
            "choices_kept": [(row.number, row.choice) for row in to_match[PREVIEW_ROWS:] if row.choice is not None],
        },
        status=status,
    )


@require_GET
@login_required
@import_step
def import_preview(request, access, token, entry, table):
    if not entry["mapped"]:
        return redirect("productions:ai-use-import-mapping", access.production.pk, token)
    plan = imports.plan_import(
        production=access.production,
        table=table,
        mapping=entry["mapping"],
        fixed=entry["fixed"],
        matches=posted_matches(request.GET),
    )
    return _render_preview(request, access, token, entry, plan)


@require_POST
@login_required
@import_step
def import_commit(request, access, token, entry, table):
    if not entry["mapped"]:
        return redirect("productions:ai-use-import-mapping", access.production.pk, token)
    try:
        plan = imports.commit_import(
            actor=request.user,
            production=access.production,
            table=table,
            mapping=entry["mapping"],
            fixed=entry["fixed"],
            matches=posted_matches(request.POST),
            source=entry["source"],
        )
    except imports.ImportRejected as rejected:
        return _render_preview(request, access, token, entry, rejected.plan, status=400)
    staging.close_import(request.session, token)
    messages.success(request, imports.done_message(plan.created, plan.updated))
    # The import's own page: what it wrote, and first what its uses still lack for the checklist.
    return redirect("productions:import-batch", access.production.pk, plan.batch.pk)


def _download(data, file_format, name):
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@require_GET
@login_required
def import_template(request, pk, file_format):
    access = production_access(request, pk)
    name = exports.file_name(access.production, "ai-uses-template", file_format)
    return _download(exports.template_file(file_format), file_format, name)


@require_GET
@login_required
def import_guide(request, pk):
    access = production_access(request, pk)
    return render(
        request,
        "productions/transfer/guide.html",
        {
            **access.context(),
            "guide_rows": exports.guide_rows(),
            "max_size": imports.max_bytes(),
            "max_rows": f"{imports.max_rows():,}",
        },
    )


@require_GET
@login_required
def ai_use_export(request, pk, file_format):
    """The ledger, filtered as on its page (?phase=vfx&...), for every member."""
    access = production_access(request, pk, Capability.EXPORT)
    production = access.production
    filterset = AIUseFilter(
        request.GET, queryset=selectors.ai_uses_for(request.user, production), production=production
    )
    data = exports.export_ai_uses(filterset.qs, file_format)
    return _download(data, file_format, exports.file_name(production, "ai-uses", file_format))


urlpatterns = [
    path("productions/<int:pk>/uses/import/", import_upload, name="ai-use-import"),
    path("productions/<int:pk>/uses/import/guide/", import_guide, name="ai-use-import-guide"),
    path(
        "productions/<int:pk>/uses/import/template.csv",
        import_template,
        {"file_format": "csv"},
        name="ai-use-import-template-csv",
    ),
    path(
        "productions/<int:pk>/uses/import/template.xlsx",
        import_template,
        {"file_format": "xlsx"},
        name="ai-use-import-template-xlsx",
    ),
    path("productions/<int:pk>/uses/import/<slug:token>/", import_mapping, name="ai-use-import-mapping"),
    path(
        "productions/<int:pk>/uses/import/<slug:token>/saved-mapping/",
        import_saved_mapping,
        name="ai-use-import-saved-mapping",
    ),
    path("productions/<int:pk>/uses/import/<slug:token>/preview/", import_preview, name="ai-use-import-preview"),
    path("productions/<int:pk>/uses/import/<slug:token>/commit/", import_commit, name="ai-use-import-commit"),
    path("productions/<int:pk>/uses/export.csv", ai_use_export, {"file_format": "csv"}, name="ai-use-export-csv"),
    path("productions/<int:pk>/uses/export.xlsx", ai_use_export, {"file_format": "xlsx"}, name="ai-use-export-xlsx"),
]
