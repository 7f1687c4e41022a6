"""The AI tool catalogue: shared entries curated with a reason for each change, proposals from producers, the
private tools of organisations, and each organisation's policy on a tool."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from productions import catalogue, selectors
from productions.forms.tools import LEGAL_BASIS, TOOL_FIELD_GROUPS, DecisionForm, ToolFilter, ToolForm, ToolPolicyForm
from productions.models import AITool, Organisation, OrganisationMembership
from productions.roles import may_curate, may_edit_tool, may_propose_tool_changes
from productions.views.history import history_page
from productions.vocabularies import ProposalStatus, Role, TrainingDataProvenance

TOOLS_PER_PAGE = 50
RECENT_HISTORY = 5


def _provenance(tool):
    return [(value, TrainingDataProvenance(value).label) for value in tool.training_data_provenance]


@login_required
def tool_list(request):
    tools = selectors.tool_catalogue(request.user).select_related("organisation")
    tool_filter = ToolFilter(request.GET, queryset=tools)
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
            "can_curate": may_curate(request.user),
            "can_add": may_curate(request.user) or selectors.organisations_keeping_tools(request.user).exists(),
            "can_propose": may_propose_tool_changes(request.user),
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


def proposed_values(changes):
    """A proposal's values as (label, value) for people to read."""
    rows = []
    for name, value in changes.items():
        field = AITool._meta.get_field(name)
        choices = dict(field.flatchoices)
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(item, item)) for item in value)
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        else:
            shown = str(choices.get(value, value)) if value not in ("", None) else "—"
        rows.append((field.verbose_name, shown))
    return rows


@login_required
def tool_detail(request, tool_pk):
    tool = selectors.get_tool(request.user, tool_pk)
    _page, history = history_page(request, tool.history.all(), excluded_fields=("organisation",))
    proposals = list(selectors.tool_proposals_for(request.user, tool)[:20])
    policy_organisations = selectors.organisations_setting_tool_policy(request.user)
    if tool.organisation_id is not None:
        policy_organisations = policy_organisations.filter(pk=tool.organisation_id)
    return render(
        request,
        "productions/tools/detail.html",
        {
            "tool": tool,
            "facts": _facts(tool),
            "usage": [
                (production, Role(production.role).label) for production in selectors.tool_usage_for(request.user, tool)
            ],
            "can_edit": may_edit_tool(request.user, tool),
            "can_propose": tool.organisation_id is None and may_propose_tool_changes(request.user),
            "history": history[:RECENT_HISTORY],
            "more_history": len(history) > RECENT_HISTORY,
            "proposals": [(proposal, proposed_values(proposal.changes)) for proposal in proposals],
            "can_curate": may_curate(request.user),
            "policies": selectors.tool_policies_for(request.user, tool),
            "policy_form": ToolPolicyForm(organisations=policy_organisations) if policy_organisations else None,
        },
    )


@require_GET
@login_required
def tool_history(request, tool_pk):
    tool = selectors.get_tool(request.user, tool_pk)
    page, entries = history_page(request, tool.history.all(), excluded_fields=("organisation",))
    return render(request, "productions/tools/history.html", {"tool": tool, "page": page, "entries": entries})


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@login_required
def tool_create(request):
    shared = may_curate(request.user)
    organisations = selectors.organisations_keeping_tools(request.user)
    if not shared and not organisations.exists():
        raise PermissionDenied(_("Only catalogue curators change the shared catalogue: propose a correction instead."))
    form = ToolForm(request.POST if request.method == "POST" else None, organisations=organisations, shared=shared)
    if request.method == "POST" and form.is_valid():
        try:
            tool = catalogue.create_tool(
                actor=request.user,
                organisation=form.cleaned_data.get("organisation"),
                reason=form.cleaned_data["reason"],
                **form.tool_fields(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("%(tool)s added to the catalogue.") % {"tool": tool})
            return redirect("productions:tool-detail", tool_pk=tool.pk)
    return render(request, "productions/tools/form.html", {"form": form, "tool": None})


@login_required
def tool_edit(request, tool_pk):
    tool = selectors.get_tool(request.user, tool_pk)
    if not may_edit_tool(request.user, tool):
        raise PermissionDenied(_("Only catalogue curators change the shared catalogue: propose a correction instead."))
    # Named before the form writes the submitted (perhaps invalid) values onto the instance.
    tool_name = str(tool)
    form = ToolForm(request.POST if request.method == "POST" else None, instance=tool, reason_required=tool.is_shared)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.update_tool(
                actor=request.user, tool=tool, reason=form.cleaned_data["reason"], **form.tool_fields()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("%(tool)s saved.") % {"tool": tool})
            return redirect("productions:tool-detail", tool_pk=tool.pk)
    return render(request, "productions/tools/form.html", {"form": form, "tool": tool, "tool_name": tool_name})


@login_required
def tool_propose(request, tool_pk=None):
    """Propose corrections of a shared entry (or a new entry): the form holds its values, the curators decide."""
    if not may_propose_tool_changes(request.user):
        raise PermissionDenied(_("Only producers and curators propose changes to the catalogue."))
    tool = selectors.get_tool(request.user, tool_pk) if tool_pk else None
    if tool is not None and not tool.is_shared:
        return redirect("productions:tool-edit", tool_pk=tool.pk)
    # A copy: the form writes its values onto the instance, and nothing of the tool may change here.
    candidate = AITool.objects.get(pk=tool.pk) if tool else None
    form = ToolForm(request.POST if request.method == "POST" else None, instance=candidate, reason_required=True)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = catalogue.propose_tool_change(
                actor=request.user, tool=tool, changes=form.tool_fields(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Proposal #%(number)s sent to the catalogue curators.") % {"number": proposal.pk}
            )
            if tool is None:
                return redirect("productions:tool-proposals")
            return redirect("productions:tool-detail", tool_pk=tool.pk)
    return render(request, "productions/tools/propose.html", {"form": form, "tool": tool})


@require_GET
@login_required
def proposal_list(request):
    """Curators: the pending proposals to decide, then the decided ones. Everyone else: their own proposals."""
    proposals = selectors.tool_proposals_for(request.user)
    curating = may_curate(request.user)
    pending = [(p, proposed_values(p.changes)) for p in proposals.filter(status=ProposalStatus.PENDING)]
    decided = [(p, proposed_values(p.changes)) for p in proposals.exclude(status=ProposalStatus.PENDING)[:50]]
    return render(
        request,
        "productions/tools/proposals.html",
        {"pending": pending, "decided": decided, "can_curate": curating, "decision_form": DecisionForm()},
    )


@require_POST
@login_required
def proposal_decide(request, pk, decision):
    proposal = selectors.get_tool_proposal(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    decide = catalogue.accept_proposal if decision == "accept" else catalogue.reject_proposal
    try:
        decide(actor=request.user, proposal=proposal, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("Proposal #%(number)s accepted.") if decision == "accept" else _("Proposal #%(number)s rejected.")
        messages.success(request, done % {"number": proposal.pk})
    return redirect("productions:tool-proposals")


@require_POST
@login_required
def tool_policy(request, tool_pk):
    tool = selectors.get_tool(request.user, tool_pk)
    organisations = Organisation.objects.filter(
        pk__in=OrganisationMembership.objects.filter(user=request.user).values("organisation_id")
    )
    form = ToolPolicyForm(request.POST, organisations=organisations)
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations and a policy."))
        return redirect("productions:tool-detail", tool_pk=tool.pk)
    try:
        catalogue.set_tool_policy(
            actor=request.user,
            organisation=form.cleaned_data["organisation"],
            tool=tool,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        organisation = form.cleaned_data["organisation"]
        messages.success(request, _("Policy saved for %(organisation)s.") % {"organisation": organisation})
    return redirect("productions:tool-detail", tool_pk=tool.pk)


urlpatterns = [
    path("tools/", tool_list, name="tools"),
    path("tools/new/", tool_create, name="tool-create"),
    path("tools/propose/", tool_propose, name="tool-propose-new"),
    path("tools/proposals/", proposal_list, name="tool-proposals"),
    path("tools/proposals/<int:pk>/accept/", proposal_decide, {"decision": "accept"}, name="tool-proposal-accept"),
    path("tools/proposals/<int:pk>/reject/", proposal_decide, {"decision": "reject"}, name="tool-proposal-reject"),
    path("tools/<int:tool_pk>/", tool_detail, name="tool-detail"),
    path("tools/<int:tool_pk>/edit/", tool_edit, name="tool-edit"),
    path("tools/<int:tool_pk>/history/", tool_history, name="tool-history"),
    path("tools/<int:tool_pk>/propose/", tool_propose, name="tool-propose"),
    path("tools/<int:tool_pk>/policy/", tool_policy, name="tool-policy"),
]
