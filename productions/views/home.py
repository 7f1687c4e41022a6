"""The signed-in user's productions, and one production at a glance."""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from productions import selectors
from productions.access import production_access
from productions.consent_status import BLOCKING_STATUSES, ConsentStatus
from productions.filters import BLOCKED, consent_statuses_of
from productions.vocabularies import DeepFake, Phase, ReviewState, Role


@require_GET
@login_required
def home(request):
    productions = list(
        selectors.productions_for(request.user)
        .annotate(use_count=Count("ai_uses", distinct=True))
        .order_by("-year", "title")
    )
    uses, statuses = consent_statuses_of(selectors.ai_uses_for(request.user))
    blocked = Counter(use.production_id for use in uses if statuses[use.pk] in BLOCKING_STATUSES)
    for production in productions:
        production.blocked_count = blocked[production.pk]
        production.role_label = Role(production.role).label
    return render(request, "productions/home.html", {"productions": productions})


def _uses_by_phase(ai_uses):
    """One row per phase that has uses, in pipeline order, with final and temporary counts."""
    rows = {
        row["phase"]: row
        for row in ai_uses.prefetch_related(None)
        .select_related(None)
        .order_by()
        .values("phase")
        .annotate(
            total=Count("pk"),
            final=Count("pk", filter=Q(is_final=True)),
            final_deep_fakes=Count("pk", filter=Q(is_final=True, deep_fake=DeepFake.YES)),
            without_tool=Count("pk", filter=Q(tool__isnull=True)),
        )
    }
    return [
        {**rows[phase], "label": label, "temporary": rows[phase]["total"] - rows[phase]["final"]}
        for phase, label in Phase.choices
        if phase in rows
    ]


@require_GET
@login_required
def dashboard(request, pk):
    access = production_access(request, pk)
    production = access.production
    ai_uses = selectors.ai_uses_for(request.user, production)
    phases = _uses_by_phase(ai_uses)
    _uses, statuses = consent_statuses_of(ai_uses)
    status_counts = Counter(statuses.values())
    tools = (
        selectors.tools_for_production(production)
        .filter(ai_uses__production=production)
        .annotate(use_count=Count("ai_uses"))
        .order_by("-use_count", "vendor", "product")
    )
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
