"""A member's saved views of the ledger: its filters, search, sort and grouping under a name, for them alone.

Any member may keep views, viewers and legal too: they change no record of the production.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from productions import selectors, services
from productions.access import production_access
from productions.forms.saved_views import RenameSavedViewForm, SavedViewForm


def _reasons(form):
    return " ".join(message for field_messages in form.errors.values() for message in field_messages)


def _ledger(production, query=""):
    url = reverse("productions:ledger", args=[production.pk])
    return f"{url}?{query}" if query else url


@require_POST
@login_required
def saved_view_save(request, pk):
    access = production_access(request, pk)
    production = access.production
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The view was not saved: %(reason)s") % {"reason": _reasons(form)})
        return redirect(_ledger(production, request.POST.get("query", "")))
    try:
        saved_view, replaced = services.save_view(actor=request.user, production=production, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _("The view was not saved: %(reason)s") % {"reason": " ".join(error.messages)})
        return redirect(_ledger(production, form.cleaned_data["query"]))
    if replaced:
        message = _("Your view “%(name)s” now shows these filters: it replaced the one saved under that name.")
    else:
        message = _("View saved as “%(name)s”: find it above the filters.")
    messages.success(request, message % {"name": saved_view.name})
    return redirect(_ledger(production, saved_view.query))


@require_GET
@login_required
def saved_views(request, pk):
    access = production_access(request, pk)
    context = access.context() | {
        "saved_views": selectors.saved_views_for(request.user, access.production),
        "ledger_url": _ledger(access.production),
    }
    return render(request, "productions/ledger/saved_views.html", context)


@require_POST
@login_required
def saved_view_rename(request, pk, view_pk):
    access = production_access(request, pk)
    saved_view = selectors.get_saved_view(request.user, access.production, view_pk)
    old_name = saved_view.name
    form = RenameSavedViewForm(request.POST)
    reason = "" if form.is_valid() else _reasons(form)
    if not reason:
        try:
            services.rename_saved_view(actor=request.user, saved_view=saved_view, name=form.cleaned_data["name"])
        except ValidationError as error:
            reason = " ".join(error.messages)
    if reason:
        messages.error(request, _("“%(name)s” was not renamed: %(reason)s") % {"name": old_name, "reason": reason})
    else:
        messages.success(request, _("“%(old)s” is now “%(new)s”.") % {"old": old_name, "new": saved_view.name})
    return redirect("productions:saved-views", pk=pk)


@require_POST
@login_required
def saved_view_delete(request, pk, view_pk):
    access = production_access(request, pk)
    saved_view = selectors.get_saved_view(request.user, access.production, view_pk)
    services.delete_saved_view(actor=request.user, saved_view=saved_view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": saved_view.name})
    return redirect("productions:saved-views", pk=pk)


urlpatterns = [
    path("productions/<int:pk>/uses/views/", saved_views, name="saved-views"),
    path("productions/<int:pk>/uses/views/save/", saved_view_save, name="saved-view-save"),
    path("productions/<int:pk>/uses/views/<int:view_pk>/rename/", saved_view_rename, name="saved-view-rename"),
    path("productions/<int:pk>/uses/views/<int:view_pk>/delete/", saved_view_delete, name="saved-view-delete"),
]
