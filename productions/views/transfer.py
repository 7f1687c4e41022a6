"""Import and export of the ledger in the browser: upload, map columns, preview, import; CSV and XLSX downloads.

Between the steps the uploaded file waits in private storage (never under a public URL), named in the
user's session, as the table read from it when it was uploaded (JSON: a workbook is parsed once, not at
every step); the import itself validates every row once more.
"""

import datetime
import functools
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from productions import exports, imports, selectors
from productions.access import production_access
from productions.filters import AIUseFilter
from productions.forms.transfer import MappingForm, UploadForm
from productions.roles import Capability
from productions.storage import private_storage
from productions.vocabularies import ImportSource

SESSION_KEY = "reelproof_imports"
OPEN_IMPORTS = 3  # per session; opening another drops the oldest and its file
STALE_AFTER = datetime.timedelta(days=1)  # files of imports left half-way are removed after this
PREVIEW_ROWS = 200


class ImportClosed(Exception):
    """The session no longer holds this import, or its file is gone."""


def _folder(production):
    return f"imports/{production.pk}"


def _discard(entry):
    private_storage().delete(entry["stored"])


def _remove_stale_files(production):
    storage = private_storage()
    try:
        _folders, names = storage.listdir(_folder(production))
    except FileNotFoundError:
        return
    for name in names:
        stored = f"{_folder(production)}/{name}"
        if timezone.now() - storage.get_modified_time(stored) > STALE_AFTER:
            storage.delete(stored)


def _open_import(request, production, table, source, saved):
    """Keep the uploaded table privately and remember it in the session; the token names it in the step URLs."""
    _remove_stale_files(production)
    token = uuid.uuid4().hex
    # The stored name never carries the uploader's file name, which is kept for messages and the audit trail.
    content = json.dumps({"headers": table.headers, "rows": table.rows}).encode()
    stored = private_storage().save(f"{_folder(production)}/{token}", ContentFile(content))
    pending = request.session.get(SESSION_KEY, {})
    while len(pending) >= OPEN_IMPORTS:
        _discard(pending.pop(next(iter(pending))))
    pending[token] = {
        "production": production.pk,
        "stored": stored,
        "file_name": table.file_name[-200:],
        "source": source,
        "saved_mapping": saved.pk if saved else None,
        "mapping": saved.mapping if saved else None,
        "fixed": saved.fixed_values if saved else {},
        "mapped": False,
    }
    request.session[SESSION_KEY] = pending
    return token


def _update_import(request, token, **changes):
    pending = request.session[SESSION_KEY]
    pending[token].update(changes)
    request.session.modified = True


def _close_import(request, token):
    pending = request.session.get(SESSION_KEY, {})
    if token in pending:
        _discard(pending.pop(token))
        request.session.modified = True


def _read(entry):
    try:
        with private_storage().open(entry["stored"]) as stored:
            data = json.load(stored)
    except FileNotFoundError as error:
        raise ImportClosed from error
    rows = [(number, cells) for number, cells in data["rows"]]
    return imports.Table(file_name=entry["file_name"], headers=data["headers"], rows=rows)


def import_step(view):
    """A step of an open import: producers only; a closed import sends the user back to the upload."""

    @functools.wraps(view)
    def step(request, pk, token):
        access = production_access(request, pk, Capability.EDIT_RECORDS)
        entry = request.session.get(SESSION_KEY, {}).get(token)
        try:
            if entry is None or entry["production"] != access.production.pk:
                raise ImportClosed
            table = _read(entry)
        except ImportClosed:
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
        token = _open_import(
            request,
            access.production,
            form.table,
            form.cleaned_data["source"],
            form.cleaned_data.get("saved_mapping"),
        )
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
        _update_import(request, token, mapping=form.mapping(), fixed=form.fixed(), mapped=True)
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
        },
    )


def _render_preview(request, access, token, entry, plan, status=200):
    return render(
        request,
        "productions/transfer/preview.html",
        {
            **access.context(),
            "token": token,
            "entry": entry,
            "plan": plan,
            "rows": plan.rows[:PREVIEW_ROWS],
            "more_rows": max(len(plan.rows) - PREVIEW_ROWS, 0),
            "preview_rows": PREVIEW_ROWS,
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
        production=access.production, table=table, mapping=entry["mapping"], fixed=entry["fixed"]
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
        )
    except imports.ImportRejected as rejected:
        return _render_preview(request, access, token, entry, rejected.plan, status=400)
    _close_import(request, token)
    messages.success(request, imports.done_message(plan.created, plan.updated))
    return redirect("productions:ledger", access.production.pk)


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
    path("productions/<int:pk>/uses/import/<slug:token>/preview/", import_preview, name="ai-use-import-preview"),
    path("productions/<int:pk>/uses/import/<slug:token>/commit/", import_commit, name="ai-use-import-commit"),
    path("productions/<int:pk>/uses/export.csv", ai_use_export, {"file_format": "csv"}, name="ai-use-export-csv"),
    path("productions/<int:pk>/uses/export.xlsx", ai_use_export, {"file_format": "xlsx"}, name="ai-use-export-xlsx"),
]
