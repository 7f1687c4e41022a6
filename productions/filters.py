"""Filters of the AI-use ledger, declared with django-filter rather than parsed by hand.

The consent status is derived, not stored (consent_status.py): filtering on it computes the
statuses of the production's uses in one pass and keeps the matching ids.
"""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from productions.consent_status import (
    BLOCKING_STATUSES,
    NEEDS_CONSENT,
    USE_SCOPE_FIELDS,
    ConsentStatus,
    consent_statuses,
    filter_by_status,
)
from productions.forms.widgets import Select
from productions.models import AITool, OrganisationToolPolicy
from productions.vocabularies import DeepFake, Department, DigitalSourceType, Phase, ToolPolicyStatus

BLOCKED = "blocked"
CONSENT_STATUS_CHOICES = [(BLOCKED, _("Blocked (any consent problem)")), *ConsentStatus.choices]

# The ledger's sort keys and what each orders by; anything else in ?sort= is ignored.
# The primary key comes last so that pages do not overlap when many rows tie.
_ORDERINGS = {
    "phase": (("phase_order", "title", "pk"), _("Phase")),
    "title": (("title", "pk"), _("Title")),
    "external_id": (("external_id", "pk"), _("Tracker id")),
    "department": (("department", "title", "pk"), _("Department")),
    "tool": (("tool__vendor", "tool__product", "title", "pk"), _("Tool")),
    "updated_at": (("updated_at", "pk"), _("Last change")),
}


def _both_directions(orderings):
    sorts = {}
    for key, (fields, label) in orderings.items():
        sorts[key] = (fields, label)
        sorts[f"-{key}"] = ((f"-{fields[0]}", *fields[1:]), format_lazy("{} ({})", label, _("descending")))
    return sorts


SORTS = _both_directions(_ORDERINGS)
DEFAULT_SORT = "phase"


def consent_statuses_of(ai_uses):
    """The uses of a queryset from `selectors.ai_uses_for` that need consent, and their statuses.

    Five queries whatever the number of uses; a use left out needs no consent.
    """
    uses = list(
        ai_uses.filter(performer_use__in=NEEDS_CONSENT)
        .select_related(None)
        .prefetch_related(None)  # consent_statuses reads people, consents and decisions as plain values
        # and the facts a coverage decision was made on, loaded here rather than one use at a time.
        .only("pk", "production_id", *USE_SCOPE_FIELDS)
    )
    return uses, consent_statuses(uses)


def _in_pipeline_order(ai_uses):
    # Phases sort the way a film is made, not alphabetically.
    return ai_uses.annotate(
        phase_order=Case(
            *(When(phase=phase, then=Value(position)) for position, phase in enumerate(Phase.values)),
            output_field=IntegerField(),
        )
    )


class AIUseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, shots, tracker id…")}),
    )
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=Phase.choices, empty_label=_("Any"), widget=Select)
    department = django_filters.ChoiceFilter(
        label=_("Department"), choices=Department.choices, empty_label=_("Any"), widget=Select
    )
    tool = django_filters.ModelChoiceFilter(
        label=_("Tool"),
        widget=Select,
        queryset=AITool.objects.none(),
        empty_label=_("Any"),
        null_label=_("No tool named"),
    )
    is_final = django_filters.BooleanFilter(
        label=_("Final or temporary"),
        widget=Select(choices=[("", _("Any")), ("true", _("Final")), ("false", _("Temporary"))]),
    )
    deep_fake = django_filters.ChoiceFilter(
        label=_("Deep fake"), choices=DeepFake.choices, empty_label=_("Any"), widget=Select
    )
    digital_source_type = django_filters.ChoiceFilter(
        label=_("Digital source type"), choices=DigitalSourceType.choices, empty_label=_("Any"), widget=Select
    )
    consent_status = django_filters.ChoiceFilter(
        label=_("Consent status"),
        choices=CONSENT_STATUS_CHOICES,
        empty_label=_("Any"),
        method="filter_consent_status",
        widget=Select,
    )
    tool_blocked = django_filters.BooleanFilter(
        label=_("Blocked tool"),
        method="filter_tool_blocked",
        widget=Select(choices=[("", _("Any")), ("true", _("Tool blocked by the organisation")), ("false", _("Other"))]),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        widget=Select,
        choices=[(key, label) for key, (_fields, label) in SORTS.items()],
        empty_label=None,
        method="sort_by",
    )

    def __init__(self, data=None, *, production, **kwargs):
        super().__init__(data, **kwargs)
        self.production = production
        # The statuses the consent-status filter computed, by use id: the page's rows reuse them.
        self.consent_statuses = {}
        # Only tools this production uses: the shared catalogue would list everyone's. A subquery rather
        # than a join made distinct: half the time on a ledger of thousands of uses.
        self.filters["tool"].queryset = AITool.objects.filter(pk__in=production.ai_uses.values("tool_id")).order_by(
            "vendor", "product"
        )

    def filter_queryset(self, queryset):
        queryset = _in_pipeline_order(queryset).order_by(*SORTS[DEFAULT_SORT][0])
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(shots__icontains=word)
                | Q(external_id__icontains=word)
            )
        return queryset

    def filter_consent_status(self, queryset, name, value):
        wanted = BLOCKING_STATUSES if value == BLOCKED else {value}
        queryset, self.consent_statuses = filter_by_status(queryset, wanted)
        return queryset

    def filter_tool_blocked(self, queryset, name, value):
        blocked = OrganisationToolPolicy.objects.filter(
            organisation_id=self.production.organisation_id, status=ToolPolicyStatus.BLOCKED
        ).values("tool_id")
        return queryset.filter(tool_id__in=blocked) if value else queryset.exclude(tool_id__in=blocked)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][0])
