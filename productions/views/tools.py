"""The shared AI tool catalogue: readable by every signed-in user, maintained by producers and staff."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from productions import selectors, services
from productions.forms.tools import LEGAL_BASIS, TOOL_FIELD_GROUPS, ToolFilter, ToolForm
from productions.models import AITool
from productions.roles import can_edit_tool_catalogue
from productions.vocabularies import Role, TrainingDataProvenance

TOOLS_PER_PAGE = 50


def _provenance(tool):
    return [(value, TrainingDataProvenance(value).label) for value in tool.training_data_provenance]


@login_required
def tool_list(request):
    tool_filter = ToolFilter(request.GET, queryset=selectors.tool_catalogue())
    page = Paginator(tool_filter.qs, TOOLS_PER_PAGE).get_page(request.GET.get("page"))
    # Pagination links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "productions/tools/list.html",
        {
            "filter": tool_filter,
            "page": page,
            "rows": [(tool, _provenance(tool)) for tool in page],
            "filter_query": query.urlencode(),
            "can_edit_catalogue": can_edit_tool_catalogue(request.user),
        },
    )


def _display(tool, name):
    """A fact as a reader sees it; None when it is not recorded."""
    field = AITool._meta.get_field(name)
    value = getattr(tool, name)
    if field.choices:
        return getattr(tool, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return date_format(value)
    return value or None


def _facts(tool):
    """The detail page's sections: (legend, [(label, value, is_link, legal basis)])."""
    return [
        (
            legend,
            [
                (
                    AITool._meta.get_field(name).verbose_name,
                    _display(tool, name),
                    name.endswith("_url"),
                    LEGAL_BASIS.get(name, ""),
                )
                for name in names
            ],
        )
        for legend, names in TOOL_FIELD_GROUPS
    ]


@login_required
def tool_detail(request, tool_pk):
    tool = selectors.get_tool(tool_pk)
    return render(
        request,
        "productions/tools/detail.html",
        {
            "tool": tool,
            "facts": _facts(tool),
            "usage": [
                (production, Role(production.role).label) for production in selectors.tool_usage_for(request.user, tool)
            ],
            "can_edit_catalogue": can_edit_tool_catalogue(request.user),
        },
    )


def _require_catalogue_editor(request):
    if not can_edit_tool_catalogue(request.user):
        raise PermissionDenied(_("Only producers maintain the tool catalogue."))


@login_required
def tool_create(request):
    _require_catalogue_editor(request)
    form = ToolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            tool = services.create_tool(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(tool)s added to the catalogue.") % {"tool": tool})
            return redirect("productions:tool-detail", tool_pk=tool.pk)
    return render(request, "productions/tools/form.html", {"form": form, "tool": None})


@login_required
def tool_edit(request, tool_pk):
    _require_catalogue_editor(request)
    tool = selectors.get_tool(tool_pk)
    # Named before the form writes the submitted (perhaps invalid) values onto the instance.
    tool_name = str(tool)
    form = ToolForm(request.POST if request.method == "POST" else None, instance=tool)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_tool(actor=request.user, tool=tool, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(tool)s saved.") % {"tool": tool})
            return redirect("productions:tool-detail", tool_pk=tool.pk)
    return render(request, "productions/tools/form.html", {"form": form, "tool": tool, "tool_name": tool_name})


urlpatterns = [
    path("tools/", tool_list, name="tools"),
    path("tools/new/", tool_create, name="tool-create"),
    path("tools/<int:tool_pk>/", tool_detail, name="tool-detail"),
    path("tools/<int:tool_pk>/edit/", tool_edit, name="tool-edit"),
]
