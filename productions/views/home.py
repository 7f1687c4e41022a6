"""The signed-in user's productions, and one production at a glance."""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from productions import kept_statuses, selectors
from productions.access import production_access
from productions.consent_status import BLOCKING_STATUSES, ConsentStatus
from productions.filters import BLOCKED
from productions.vocabularies import DeepFake, Phase, ReviewState, Role


@require_GET
@login_required
def home(request):
    productions = list(
        selectors.productions_for(request.user)
        .annotate(use_count=Count("ai_uses", distinct=True))
        .order_by("-year", "title")
    )
    blocked = Counter()
    kept = kept_statuses.counts([production.pk for production in productions])
    for (production_id, status), count in kept.items():
        if status in BLOCKING_STATUSES:
            blocked[production_id] += count
    for production in productions:
        production.blocked_count = blocked[production.pk]
        production.role_label = Role(production.role).label
    return render(request, "productions/home.html", {"productions": productions})


def _counts_by_phase_and_tool(ai_uses):
    """The uses counted by phase and tool in one pass over them (read from the index of their phases): the rows
    the phases and the tools are summed from."""
    return list(
        ai_uses.prefetch_related(None)
        .select_related(None)
        .order_by()
        .values("phase", "tool_id")
        .annotate(
            total=Count("pk"),
            final=Count("pk", filter=Q(is_final=True)),
            final_deep_fakes=Count("pk", filter=Q(is_final=True, deep_fake=DeepFake.YES)),
        )
    )


def _uses_by_phase(counts):
    """One row per phase that has uses, in pipeline order, with final and temporary counts."""
    rows = {}
    for count in counts:
        row = rows.setdefault(
            count["phase"], {"phase": count["phase"], "total": 0, "final": 0, "final_deep_fakes": 0, "without_tool": 0}
        )
        for name in ("total", "final", "final_deep_fakes"):
            row[name] += count[name]
        if count["tool_id"] is None:
            row["without_tool"] += count["total"]
    return [
        {**rows[phase], "label": label, "temporary": rows[phase]["total"] - rows[phase]["final"]}
        for phase, label in Phase.choices
        if phase in rows
    ]


def _tools_by_use(production, counts):
    """The tools the production's uses name, most used first, each with its `use_count`: the uses counted by tool
    with the phases, then the few tools read, rather than every tool row grouped over a join of the uses."""
    by_tool = Counter()
    for count in counts:
        if count["tool_id"] is not None:
            by_tool[count["tool_id"]] += count["total"]
    tools = list(selectors.tools_for_production(production).filter(pk__in=by_tool).order_by("vendor", "product", "pk"))
    for tool in tools:
        tool.use_count = by_tool[tool.pk]
    return sorted(tools, key=lambda tool: -tool.use_count)


@require_GET
@login_required
def dashboard(request, pk):
    access = production_access(request, pk)
    production = access.production
    counts = _counts_by_phase_and_tool(selectors.ai_uses_for(request.user, production))
    phases = _uses_by_phase(counts)
    status_counts = Counter()
    for (_production, status), count in kept_statuses.counts([production.pk]).items():
        status_counts[status] += count
    tools = _tools_by_use(production, counts)
    context = {
        **access.context(),
        "phases": phases,
        "use_count": sum(row["total"] for row in phases),
        "final_count": sum(row["final"] for row in phases),
        "final_deep_fakes": sum(row["final_deep_fakes"] for row in phases),
        "without_tool": sum(row["without_tool"] for row in phases),
        "blocked_count": sum(status_counts[status] for status in BLOCKING_STATUSES),
        "pending_review_uses": status_counts[ConsentStatus.PENDING_REVIEW],
        "consents_submitted": selectors.consents_for(request.user, production)
        .filter(review_state=ReviewState.SUBMITTED)
        .count(),
        "tools": tools,
        "blocked_filter": BLOCKED,
    }
    return render(request, "productions/dashboard.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("productions/<int:pk>/", dashboard, name="dashboard"),
]
