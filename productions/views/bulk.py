"""Bulk edits in the ledger: the value to set for a change, the preview of the change, and applying it.

Each page works as a plain form post and, with htmx, in place on the ledger: the preview opens above the table,
and applying re-renders the table with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from productions import services
from productions.access import production_access
from productions.bulk_edit import change_label, describe, plan_bulk_edit, shown_value
from productions.conflicts import Conflict
from productions.forms.bulk import BulkApplyForm, BulkEditForm, signed_versions
from productions.forms.ledger import add_service_errors
from productions.roles import Capability
from productions.views.ledger import _ledger_context

# Changes and refusals a preview lists; the totals count every use.
PREVIEW_SAMPLE = 50


def _number(value):
    return number_format(value, force_grouping=True)


def _ledger_url(production, query):
    url = reverse("productions:ledger", args=[production.pk])
    return f"{url}?{query.urlencode()}" if query else url


def _preview(request, access, form, *, plan=None, status=200, message=""):
    """The preview of a change (a page, or with htmx the panel above the table), or the form to complete it."""
    context = {
        **access.context(),
        "form": form,
        "plan": plan,
        "message": message,
        "ledger_url": _ledger_url(access.production, form.query),
        "selected_ids": form.data.getlist("uses"),
        "htmx": bool(request.headers.get("HX-Request")),
    }
    if plan is not None:
        change = next(iter(plan.changes))
        context.update(
            {
                "change_label": change_label(change),
                "new_value": shown_value(change, plan.changes[change]),
                "sample": describe(plan, PREVIEW_SAMPLE),
                "refused": plan.refused[:PREVIEW_SAMPLE],
                "counts": {
                    "selected": _number(plan.selected),
                    "changing": _number(len(plan.changing)),
                    "unchanged": _number(plan.unchanged),
                    "refused": _number(len(plan.refused)),
                    "sample": _number(min(PREVIEW_SAMPLE, len(plan.changing))),
                    "refused_sample": _number(min(PREVIEW_SAMPLE, len(plan.refused))),
                },
                "matches_filter": form.matches_filter,
                "carried": form.carried(),
                "versions": signed_versions(plan.versions),
            }
        )
    if not context["htmx"]:
        return render(request, "productions/ledger/bulk_preview.html", context, status=status)
    response = render(request, "productions/ledger/_bulk_preview.html", context, status=status)
    # Applying targets the table; a preview again, or a refusal, goes to the panel above it.
    response["HX-Retarget"] = "#bulk-preview"
    response["HX-Reswap"] = "innerHTML"
    return response


@require_GET
@login_required
def ai_use_bulk_value(request, pk):
    """The control for the new value of the change chosen in the selection bar (htmx)."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    field = request.GET.get("field", "")
    form = BulkEditForm(initial={"field": field}, user=request.user, production=access.production)
    return render(request, "productions/ledger/_bulk_value.html", {"form": form})


@require_POST
@login_required
def ai_use_bulk(request, pk):
    """Preview a change to the selected uses: what changes, what already has the value, what is refused. No write."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    form = BulkEditForm(request.POST, user=request.user, production=access.production)
    if not form.is_valid():
        return _preview(request, access, form, status=400)
    try:
        plan = plan_bulk_edit(production=access.production, ai_uses=form.selection(), changes=form.changes())
    except ValidationError as error:
        add_service_errors(form, error)
        return _preview(request, access, form, status=400)
    return _preview(request, access, form, plan=plan)


def _done_message(plan):
    change = next(iter(plan.changes))
    count = len(plan.changing)
    return ngettext(
        "%(count)s use changed: %(change)s: %(value)s.",
        "%(count)s uses changed: %(change)s: %(value)s.",
        count,
    ) % {"count": _number(count), "change": change_label(change), "value": shown_value(change, plan.changes[change])}


@require_POST
@login_required
def ai_use_bulk_apply(request, pk):
    """Apply a previewed change in one audited transaction; if the uses changed since the preview, preview again."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    production = access.production
    form = BulkApplyForm(request.POST, user=request.user, production=production)
    if not form.is_valid():
        return _preview(request, access, form, status=400)
    try:
        plan = services.bulk_update_ai_uses(
            actor=request.user,
            production=production,
            ai_uses=form.selection(),
            changes=form.changes(),
            versions=form.cleaned_data["versions"],
        )
    except Conflict as conflict:
        try:
            fresh = plan_bulk_edit(production=production, ai_uses=form.selection(), changes=form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
            return _preview(request, access, form, status=409, message=conflict.message)
        return _preview(request, access, form, plan=fresh, status=409, message=conflict.message)
    except ValidationError as error:
        add_service_errors(form, error)
        return _preview(request, access, form, status=400)
    message = _done_message(plan)
    if request.headers.get("HX-Request"):
        context = {
            **_ledger_context(request, access, form.query),
            "bulk_message": message,
            "bulk_message_level": "success",
        }
        return render(request, "productions/ledger/_table.html", context)
    messages.success(request, message)
    return redirect(_ledger_url(production, form.query))


urlpatterns = [
    path("productions/<int:pk>/uses/bulk/", ai_use_bulk, name="ai-use-bulk"),
    path("productions/<int:pk>/uses/bulk/value/", ai_use_bulk_value, name="ai-use-bulk-value"),
    path("productions/<int:pk>/uses/bulk/apply/", ai_use_bulk_apply, name="ai-use-bulk-apply"),
]
