"""The ledger edited in place (static/ledger-grid.js): one cell saved at a time, a use added below another.

Each answer is the use's row as the table shows it, so its version, consent status and "blocked" marker follow the
change: with the cell's editor and the reason when the change is refused, or the current value and a note when
someone else changed the use first.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from productions import selectors, services
from productions.access import production_access
from productions.conflicts import Conflict, last_change
from productions.forms.grid import EDITABLE, CellForm, tool_choices
from productions.models import AIUse
from productions.roles import Capability
from productions.views.ledger import table_queryset, table_rows


def _row(request, access, use_pk, *, cell=None, status=200):
    """The use's row of the ledger table, read again as the table reads it."""
    production = access.production
    uses = table_queryset(selectors.ai_uses_for(request.user, production).filter(pk=use_pk), production)
    use = table_rows(list(uses))[0]
    return render(
        request, "productions/ledger/_row.html", {**access.context(), "use": use, "cell": cell}, status=status
    )


def _messages(error, field):
    """What a cell says of a service's refusal: its own field's messages, else every one (a rule of the whole use,
    such as a deep fake only of image, video or audio, may be attached to another field)."""
    if not hasattr(error, "error_dict"):
        return error.messages
    every = error.message_dict
    return every.get(field) or [message for messages_ in every.values() for message in messages_]


def _conflict_note(ai_use):
    name, time = last_change(ai_use)
    return _(
        "%(name)s changed this use at %(time)s, before your change: this is its value now. Your change was not saved."
    ) % {"name": name, "time": time}


@require_POST
@login_required
def ai_use_cell(request, pk, use_pk):
    """Save one cell of a use's row: field, value, and the version the row showed."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    # The service reads the use again, locked, with its links: nothing to prefetch here.
    uses = selectors.ai_uses_for(request.user, access.production).prefetch_related(None)
    ai_use = get_object_or_404(uses, pk=use_pk)
    field = request.POST.get("field")
    if field not in EDITABLE:
        return HttpResponseBadRequest(_("This column cannot be edited in place."))
    form = CellForm(request.POST, field=field, production=access.production)
    refused = {"field": field, "value": request.POST.get("value", "")}
    if not form.is_valid():
        if "version" in form.errors:
            return HttpResponseBadRequest(_("The edit does not say which version of the use it was made on."))
        return _row(request, access, use_pk, cell={**refused, "messages": form.errors["value"]}, status=400)
    try:
        services.update_ai_use(actor=request.user, ai_use=ai_use, version=form.cleaned_data["version"], **form.change())
    except ValidationError as error:
        if isinstance(error, Conflict):
            return _row(request, access, use_pk, cell={"field": field, "note": _conflict_note(ai_use)}, status=409)
        return _row(request, access, use_pk, cell={**refused, "messages": _messages(error, field)}, status=400)
    return _row(request, access, use_pk)


@require_POST
@login_required
def ai_use_add_below(request, pk, use_pk):
    """A new use like this one, right below it: the grid opens its title to be typed over."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    original = get_object_or_404(selectors.ai_uses_for(request.user, access.production), pk=use_pk)
    # A title is required: the model's, marked as a copy, keeps the new use valid and beside its model until renamed.
    room = AIUse._meta.get_field("title").max_length - len(_("%(title)s (copy)") % {"title": ""})
    title = _("%(title)s (copy)") % {"title": original.title[:room]}
    try:
        ai_use = services.create_ai_use_like(actor=request.user, ai_use=original, title=title)
    except ValidationError as error:
        # The original no longer validates (a rule came after it was recorded): the full form says what to fix.
        message = _("“%(title)s” cannot be copied as it is: %(reason)s") % {
            "title": original.title,
            "reason": " ".join(_messages(error, None)),
        }
        if request.headers.get("HX-Request"):
            return HttpResponseBadRequest(message)
        messages.error(request, message)
        return redirect("productions:ai-use-edit", access.production.pk, original.pk)
    if request.headers.get("HX-Request"):
        return _row(request, access, ai_use.pk, status=201)
    messages.success(
        request, _("AI use “%(title)s” recorded: give it its own title and tracker id.") % {"title": title}
    )
    return redirect("productions:ai-use-edit", access.production.pk, ai_use.pk)


@require_GET
@login_required
def grid_tools(request, pk):
    """The tool editor's options: fetched when a tool cell is first edited, so the ledger page does not pay them."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    return render(request, "productions/ledger/_options.html", {"options": tool_choices(access.production)})


urlpatterns = [
    path("productions/<int:pk>/uses/grid/tools/", grid_tools, name="grid-tools"),
    path("productions/<int:pk>/uses/<int:use_pk>/cell/", ai_use_cell, name="ai-use-cell"),
    path("productions/<int:pk>/uses/<int:use_pk>/add-below/", ai_use_add_below, name="ai-use-add-below"),
]
