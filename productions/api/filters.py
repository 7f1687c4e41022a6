"""Query filters of the API's lists, declared with django-filter.

The consent status is derived (productions.consent_status): filtering on today's status reads the statuses the
production keeps current (productions.kept_statuses), in the database; on another date (?on=), it computes the
statuses of the production's uses once and keeps the matching ids. Either way the query count does not depend on
how many uses there are.
"""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters

from productions import kept_statuses
from productions.consent_status import BLOCKING_STATUSES, ConsentStatus, filter_by_status
from productions.filters import narrowing, search_ai_uses
from productions.models import AITool
from productions.vocabularies import ConsentKind, DeepFake, Phase, ReviewState


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record id: an integer, not the decimal number NumberFilter takes."""

    field_class = forms.IntegerField


class FilterBackend(DjangoFilterBackend):
    """django-filter's, leaving the filterset it used on the view (`view.filterset`), for the pagination to ask."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class AIUseFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        help_text=_(
            "Only uses mentioning every word in their title, description, shots or tracker id (written with any "
            "separators or case: ep203/sq020 finds EP203_SQ020_SH0030), the names of the people they depict, or "
            "their tool's vendor, product or model."
        ),
    )
    phase = django_filters.ChoiceFilter(choices=Phase.choices, help_text=_("Only uses in this phase."))
    tool = django_filters.ModelChoiceFilter(
        queryset=AITool.objects.all(), help_text=_("Only uses of this tool (an id from /tools/).")
    )
    is_final = django_filters.BooleanFilter(help_text=_("true: in the final work; false: temporary uses."))
    deep_fake = django_filters.ChoiceFilter(choices=DeepFake.choices, help_text=_("The deep-fake determination."))
    consent_status = django_filters.ChoiceFilter(
        choices=ConsentStatus.choices, method="filter_consent_status", help_text=_("The computed consent status.")
    )
    blocked = django_filters.BooleanFilter(
        method="filter_blocked", help_text=_("true: only uses blocked by a consent problem.")
    )
    on = django_filters.DateFilter(
        method="at_date",
        help_text=_(
            "The date consent statuses are computed on, for the filters and each use's consent_status and blocked"
            " (YYYY-MM-DD); today by default."
        ),
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Only uses changed at or after this time (ISO 8601), for incremental syncs."),
    )
    episode = django_filters.CharFilter(
        method="filter_part",
        help_text=_(
            "Only uses of this episode (any case), as the production's tracker id pattern reads it from their "
            "tracker id."
        ),
    )
    sequence = django_filters.CharFilter(
        method="filter_part",
        help_text=_(
            "Only uses of this sequence (any case), as the production's tracker id pattern reads it from their "
            "tracker id."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_statuses = None  # computed by the first consent filter, reused by the other
        view = self.request.parser_context.get("view") if self.request is not None else None
        self.production = getattr(view, "production", None)

    def at_date(self, queryset, name, value):
        return queryset  # a date to compute statuses on, read by the consent filters and the serializer

    def filter_search(self, queryset, name, value):
        return search_ai_uses(queryset, value)

    def filter_part(self, queryset, name, value):
        return queryset.filter(**{name: value.strip().upper()})  # stored upper-case

    def filter_consent_status(self, queryset, name, value):
        return self._on_status(queryset, {value})

    def filter_blocked(self, queryset, name, value):
        return self._on_status(queryset, BLOCKING_STATUSES, exclude=not value)

    def known_count(self):
        """The number of uses the filters keep when the kept statuses know it: a consent filter on today is the only
        one that narrows the production's uses. None otherwise: the list is counted (PageByIdsPagination)."""
        if self.production is None or not kept_statuses.current_on(self.form.cleaned_data.get("on")):
            return None
        active = narrowing(self.form, ("on",))
        if active == {"blocked": True}:
            return kept_statuses.count_with(self.production.pk, BLOCKING_STATUSES)
        if list(active) == ["consent_status"]:
            return kept_statuses.count_with(self.production.pk, {active["consent_status"]})
        return None

    def _on_status(self, queryset, wanted, exclude=False):
        on = self.form.cleaned_data.get("on")
        if self.production is not None and kept_statuses.current_on(on):
            return kept_statuses.filter_by_status(queryset, [self.production.pk], wanted, exclude=exclude)
        queryset, statuses = filter_by_status(queryset, wanted, exclude=exclude, statuses=self.consent_statuses, on=on)
        self.consent_statuses = statuses or None
        return queryset


class ConsentFilter(django_filters.FilterSet):
    """The production's consents; with review_state=submitted, its review queue (who reviews what, by when)."""

    ME, NOBODY = "me", "nobody"

    person = IdFilter(field_name="person_id", help_text=_("Only consents of this person."))
    kind = django_filters.ChoiceFilter(choices=ConsentKind.choices, help_text=_("Only consents of this kind."))
    review_state = django_filters.ChoiceFilter(choices=ReviewState.choices, help_text=_("Only consents in this state."))
    assigned_to = django_filters.CharFilter(
        method="filter_assigned_to",
        help_text=_("Only reviews assigned to this user: “me”, “nobody” (not assigned yet) or a username."),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text=_(
            "true: only consents awaiting review (submitted) whose review was due before the date given as ?on="
            " (today by default); false: all the others."
        ),
    )
    on = django_filters.DateFilter(
        method="at_date",
        help_text=_(
            "The date each consent's standing, and what is overdue, are computed on (YYYY-MM-DD); today by default."
        ),
    )

    def at_date(self, queryset, name, value):
        return queryset  # read by the overdue filter and the serializer

    def filter_assigned_to(self, queryset, name, value):
        if value == self.NOBODY:
            return queryset.filter(review_assignee__isnull=True)
        if value == self.ME:
            return queryset.filter(review_assignee=self.request.user)
        return queryset.filter(review_assignee__username=value)

    def filter_overdue(self, queryset, name, value):
        on = self.form.cleaned_data.get("on") or timezone.localdate()
        overdue = Q(review_state=ReviewState.SUBMITTED, review_due_on__lt=on)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=field,-other`: only the fields the view whitelists, which the schema spells out.

    Fields a view names in `ordering_nulls_last` put records without a value last, both ways (a review with no
    due date comes after the dated ones). Fields a view maps in `ordering_keys` sort by another field, as titles
    by their natural key ("shot 9" before "shot 10"), then by id so that pages never overlap.
    """

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        keys = getattr(view, "ordering_keys", {})
        if ordering and keys:
            ordering = [self._keyed(term, keys) for term in ordering]
            if not {"id", "-id"} & set(ordering):
                ordering.append("id")
        nulls_last = getattr(view, "ordering_nulls_last", ())
        if not ordering or not nulls_last:
            return ordering
        return [
            self._nulls_last(term) if isinstance(term, str) and term.lstrip("-") in nulls_last else term
            for term in ordering
        ]

    @staticmethod
    def _keyed(term, keys):
        name = term.lstrip("-")
        return term[: len(term) - len(name)] + keys[name] if name in keys else term

    @staticmethod
    def _nulls_last(term):
        name = term.lstrip("-")
        return F(name).desc(nulls_last=True) if term.startswith("-") else F(name).asc(nulls_last=True)

    def get_schema_operation_parameters(self, view):
        fields = "|".join(view.ordering_fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Comma-separated fields to sort by, “-” first for descending: %(fields)s.")
                    % {"fields": ", ".join(view.ordering_fields)}
                ),
                "schema": {"type": "string", "pattern": f"^-?({fields})(,-?({fields}))*$"},
            }
        ]
