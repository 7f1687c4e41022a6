"""A production's imports: each with who, when, which file and what it did, its rows and what they still lack for
the checklist, and undoing one (productions.imports.batches).

Every member sees the imports; undoing one needs the right to edit records.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from productions import imports, selectors
from productions.access import production_access
from productions.conflicts import Conflict
from productions.models import AITool, AIUse
from productions.roles import Capability

BATCHES_PAGE_SIZE = 25
ROWS_PAGE_SIZE = 50
UNDO_SHOWN = 200  # uses listed on the confirmation, of each kind; the counts say how many in all


@require_GET
@login_required
def import_batches(request, pk):
    access = production_access(request, pk)
    batches = selectors.import_batches_for(request.user, access.production)
    page = Paginator(batches, BATCHES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "productions/import_batches/list.html", {**access.context(), "page": page})


@require_GET
@login_required
def import_batch(request, pk, batch_pk):
    """An import's rows; first those whose uses still lack facts the checklist needs (the page after an import)."""
    access = production_access(request, pk)
    batch = selectors.get_import_batch(request.user, access.production, batch_pk)
    rows = imports.batch_rows(batch)
    to_complete = [row for row in rows if row.to_complete]
    show = request.GET.get("show")
    if show not in ("all", "to_complete"):
        show = "to_complete" if to_complete else "all"
    page = Paginator(to_complete if show == "to_complete" else rows, ROWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "productions/import_batches/detail.html",
        {
            **access.context(),
            "batch": batch,
            "page": page,
            "show": show,
            "row_count": len(rows),
            "to_complete_count": len(to_complete),
            "may_undo": batch.undone_at is None and any(row.ai_use is not None for row in rows),
        },
    )


def _shown(name, value, tools):
    """A value as the use's page shows it."""
    if value is None or value == "" or value == []:
        return "—"
    if name == "tool":
        return str(tools.get(value, f"#{value}"))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    choices = dict(AIUse._meta.get_field(name).flatchoices)
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def _reversions_shown(plan):
    """The first reversions of the plan, each with its fields as (label, now, before) in words."""
    reversions = plan.reversions[:UNDO_SHOWN]
    tool_ids = {value for reversion in reversions for value in reversion.values.get("tool", ()) if value is not None}
    tools = AITool.objects.in_bulk(tool_ids) if tool_ids else {}
    return [
        (
            reversion.ai_use,
            [
                (imports.field_label(name), _shown(name, now, tools), _shown(name, before, tools))
                for name, (now, before) in reversion.values.items()
            ],
        )
        for reversion in reversions
    ]


def _render_undo(request, access, batch, plan, errors=(), status=200):
    return render(
        request,
        "productions/import_batches/undo.html",
        {
            **access.context(),
            "batch": batch,
            "plan": plan,
            "deletions": plan.deletions[:UNDO_SHOWN],
            "more_deletions": max(len(plan.deletions) - UNDO_SHOWN, 0),
            "reversions": _reversions_shown(plan),
            "more_reversions": max(len(plan.reversions) - UNDO_SHOWN, 0),
            "errors": errors,
        },
        status=status,
    )


def _undone_message(batch, plan):
    return _("Import of “%(file)s” undone: %(deleted)s, %(restored)s.") % {
        "file": batch.file_name,
        "deleted": ngettext("%(count)d use deleted", "%(count)d uses deleted", len(plan.deletions))
        % {"count": len(plan.deletions)},
        "restored": ngettext(
            "%(count)d use given back its values", "%(count)d uses given back their values", len(plan.reversions)
        )
        % {"count": len(plan.reversions)},
    }


@require_http_methods(["GET", "POST"])
@login_required
def import_batch_undo(request, pk, batch_pk):
    """What undoing the import deletes and gives back, and why it is refused if it is; POST undoes it."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    batch = selectors.get_import_batch(request.user, access.production, batch_pk)
    if request.method == "POST":
        try:
            plan = imports.undo_import(actor=request.user, batch=batch)
        except ValidationError as refused:
            batch.refresh_from_db()
            status = 409 if isinstance(refused, Conflict) else 400
            return _render_undo(request, access, batch, imports.plan_undo(batch), refused.messages, status)
        messages.success(request, _undone_message(batch, plan))
        return redirect("productions:import-batch", access.production.pk, batch.pk)
    return _render_undo(request, access, batch, imports.plan_undo(batch))


urlpatterns = [
    path("productions/<int:pk>/uses/imports/", import_batches, name="import-batches"),
    path("productions/<int:pk>/uses/imports/<int:batch_pk>/", import_batch, name="import-batch"),
    path("productions/<int:pk>/uses/imports/<int:batch_pk>/undo/", import_batch_undo, name="import-batch-undo"),
]
