"""Filters of the AI-use ledger, declared with django-filter rather than parsed by hand.

The consent status is derived (consent_status.py): filtering on it reads the statuses the production keeps,
made current for its records and today first (kept_statuses), and counts them alone when it is the only
filter. Titles and tracker ids sort by their natural keys (productions.tracker_ids), so "shot 9" comes
before "shot 10".
"""

from collections import defaultdict

import django_filters
from django import forms
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.http import QueryDict
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from productions import kept_statuses
from productions.consent_status import (
    BLOCKING_STATUSES,
    ConsentStatus,
)
from productions.forms.widgets import Select, Suggested
from productions.models import AITool, AIUse, OrganisationToolPolicy, pipeline_order
from productions.tracker_ids import natural_key, tracker_key
from productions.vocabularies import DeepFake, Department, DigitalSourceType, Phase, ToolPolicyStatus

BLOCKED = "blocked"
CONSENT_STATUS_CHOICES = [(BLOCKED, _("Blocked (any consent problem)")), *ConsentStatus.choices]

# The ledger's sort keys and what each orders by; anything else in ?sort= is ignored.
# The primary key comes last so that pages do not overlap when many rows tie.
_ORDERINGS = {
    "phase": (("phase_order", "title_sort", "pk"), _("Phase")),
    "title": (("title_sort", "pk"), _("Title")),
    "external_id": (("tracker_sort", "pk"), _("Tracker id")),
    "department": (("department", "title_sort", "pk"), _("Department")),
    "tool": (("tool__vendor", "tool__product", "title_sort", "pk"), _("Tool")),
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

# The choice that finds the uses whose tracker id names no episode (or no sequence). Parts are stored upper-case,
# so no episode can be called this.
NO_PART = "none"
NO_PART_LABELS = {"episode": _("No episode"), "sequence": _("No sequence")}
# What grouping by episode, or by episode and sequence, orders the ledger by, coarsest first.
GROUPINGS = {"episode": ("episode",), "sequence": ("episode", "sequence")}


def search_ai_uses(ai_uses, text):
    """The uses that mention every word of `text` in their title, description, shots, tracker id (written with any
    separators or case), the names of the people they depict, or their tool's vendor, product or model.

    People and tools are EXISTS subqueries, not joins: a use depicting two matching people is counted once.
    """
    for word in text.split():
        found = (
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(shots__icontains=word)
            | Q(external_id__icontains=word)
            | Exists(AIUse.people.through.objects.filter(aiuse_id=OuterRef("pk"), person__name__icontains=word))
            | Exists(
                AITool.objects.filter(pk=OuterRef("tool_id")).filter(
                    Q(vendor__icontains=word) | Q(product__icontains=word) | Q(model_name__icontains=word)
                )
            )
        )
        if key := tracker_key(word):
            found |= Q(tracker_key__contains=key)
        ai_uses = ai_uses.filter(found)
    return ai_uses


def narrowing(form, ignored=()) -> dict:
    """{name: value} of the filters of a validated filterset form that narrow the list: those given a value, but for
    the names `ignored` (an order, a grouping, a date)."""
    return {name: value for name, value in form.cleaned_data.items() if name not in ignored and value not in (None, "")}


def _in_natural_order(value):
    """A sort key: natural order, the empty value ("no episode") last, and SQ10 beside but apart from SQ010."""
    return value == "", natural_key(value), value


def _natural_order(values):
    return sorted(values, key=_in_natural_order)


def part_values(production, *names):
    """{name: the episodes (or sequences) the production's uses hold, in natural order, "" (none) last}, for each of
    `names`, read in one query."""
    present = list(production.ai_uses.order_by().values_list(*names).distinct())
    return {name: _natural_order({row[index] for row in present}) for index, name in enumerate(names)}


def part_options(production, name):
    """(value, label) of each episode (or sequence) the production's uses hold, as the ledger's filter takes them."""
    values = part_values(production, name)[name]
    return [(NO_PART, NO_PART_LABELS[name]) if value == "" else (value, value) for value in values]


def _in_pipeline_order(ai_uses):
    # Phases sort the way a film is made, not alphabetically; the expression an index holds (AIUse.Meta).
    return ai_uses.annotate(phase_order=pipeline_order())


class _Listed(django_filters.fields.ModelChoiceIterator):
    """The options of a model choice read by one plain query: Django's reads them with iterator(), a server-side cursor
    on PostgreSQL that costs four round trips for a dozen tools."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for instance in self.queryset:
            yield self.choice(instance)


class _ListedChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _Listed


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ListedChoiceField


class AIUseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, tracker id, person, tool…")}),
    )
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=Phase.choices, empty_label=_("Any"), widget=Select)
    department = django_filters.ChoiceFilter(
        label=_("Department"), choices=Department.choices, empty_label=_("Any"), widget=Select
    )
    tool = ListedModelChoiceFilter(
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
    # Typed, or chosen among the values this production's tracker ids hold: a feature has a thousand sequences,
    # suggested once the field is first focused (ledger_parts) rather than written into every page.
    episode = django_filters.CharFilter(label=_("Episode"), method="filter_part")
    sequence = django_filters.CharFilter(label=_("Sequence"), method="filter_part")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        widget=Select,
        choices=[(key, label) for key, (_fields, label) in SORTS.items()],
        empty_label=None,
        method="in_order",
    )
    group = django_filters.ChoiceFilter(
        label=_("Group by"),
        widget=Select,
        choices=[("episode", _("Episode")), ("sequence", _("Episode and sequence"))],
        empty_label=_("No grouping"),
        method="in_order",
    )

    def __init__(self, data=None, *, production, **kwargs):
        super().__init__(data, **kwargs)
        self.production = production
        self._parts = {}
        # Whether the consent-status filter made the production's kept statuses current: the page reads them.
        self.statuses_kept = False
        # Only tools this production uses: the shared catalogue would list everyone's. A subquery rather
        # than a join made distinct: half the time on a ledger of thousands of uses.
        self.filters["tool"].queryset = AITool.objects.filter(pk__in=production.ai_uses.values("tool_id")).order_by(
            "vendor", "product"
        )
        for name in ("episode", "sequence"):
            self.filters[name].extra["widget"] = Suggested(
                options_url=reverse("productions:ledger-parts", args=[production.pk, name]),
                attrs={"placeholder": _("Any")},
            )
        if "{episode}" not in production.id_pattern:
            # A film's ids name no episode: its sequences are its only groups.
            del self.filters["episode"]
            self.filters["group"].extra["choices"] = [("sequence", _("Sequence"))]

    def parts(self, name):
        """The episodes (or sequences) of the production's uses in natural order: the grouping's order. Both are read
        in one query, the first time either is asked for."""
        if not self._parts:
            self._parts = part_values(self.production, "episode", "sequence")
        return self._parts[name]

    @property
    def grouping(self):
        """The fields the ledger is grouped by, coarsest first; () when it is not."""
        self.form.is_valid()  # validated once, whoever asks first
        return GROUPINGS.get(self.form.cleaned_data.get("group") or "", ())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(_in_pipeline_order(queryset))
        sort = self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return queryset.order_by(*(self._natural_rank(name) for name in self.grouping), *SORTS[sort][0])

    def _natural_rank(self, name):
        # Episodes and sequences have no sort key of their own: the few values present rank in natural order.
        values = self.parts(name)
        return Case(
            *(When(**{name: value}, then=Value(rank)) for rank, value in enumerate(values)),
            default=Value(len(values)),
            output_field=IntegerField(),
        )

    def search(self, queryset, name, value):
        return search_ai_uses(queryset, value)

    def filter_part(self, queryset, name, value):
        value = value.strip()
        # Stored upper-case, as the API reads them (any case).
        return queryset.filter(**{name: "" if value.lower() == NO_PART else value.upper()})

    def in_order(self, queryset, name, value):
        return queryset  # sorting and grouping order the result once it is filtered (filter_queryset)

    def group_headers(self, uses, offset):
        """Give each use of a page that opens a group, or the page, `group_headers`: the name of each group it
        opens and how many uses the group holds in the whole filtered ledger, not just this page.

        `offset` is the position of the page's first use in the ledger. One aggregate query, whatever the number
        of groups.
        """
        fields = self.grouping
        if not fields or not uses:
            # Empty rather than missing: the template reads it on every row, and a missing attribute costs a dir().
            for ai_use in uses:
                ai_use.group_headers = ()
            return
        levels = [fields[: depth + 1] for depth in range(len(fields))]
        if "episode" not in self.filters:
            levels = [fields]  # a film's sequences, named alone
        counts = {
            tuple(row[name] for name in fields): row["count"]
            for row in self.qs.order_by().values(*fields).annotate(count=Count("pk"))
        }
        totals, starts = defaultdict(int), {}
        position = 0
        for key in sorted(counts, key=lambda key: [_in_natural_order(value) for value in key]):
            for level in levels:
                starts.setdefault(key[: len(level)], position)
                totals[key[: len(level)]] += counts[key]
            position += counts[key]
        previous = None
        for index, ai_use in enumerate(uses):
            key = tuple(getattr(ai_use, name) for name in fields)
            ai_use.group_headers = []
            for depth, level in enumerate(levels):
                opened = key[: len(level)]
                if previous is not None and previous[: len(level)] == opened:
                    continue
                value = opened[-1]
                ai_use.group_headers.append(
                    {
                        "level": depth + 1,
                        "name": value or NO_PART_LABELS[level[-1]],
                        "count": totals.get(opened, 0),
                        "continued": offset + index > starts.get(opened, offset + index),
                    }
                )
            previous = key

    def known_count(self):
        """The number of uses the filters keep when the kept statuses know it: the consent status is the only filter
        that narrows the ledger (the production's uses, its access checked). None otherwise: the list is counted."""
        active = narrowing(self.form, ("sort", "group"))
        if list(active) != ["consent_status"]:
            return None
        return kept_statuses.count_with(self.production.pk, self._wanted(active["consent_status"]))

    @staticmethod
    def _wanted(value):
        return BLOCKING_STATUSES if value == BLOCKED else {value}

    def filter_consent_status(self, queryset, name, value):
        wanted = self._wanted(value)
        self.statuses_kept = True
        return kept_statuses.filter_by_status(queryset, [self.production.pk], wanted)

    def filter_tool_blocked(self, queryset, name, value):
        blocked = OrganisationToolPolicy.objects.filter(
            organisation_id=self.production.organisation_id, status=ToolPolicyStatus.BLOCKED
        ).values("tool_id")
        return queryset.filter(tool_id__in=blocked) if value else queryset.exclude(tool_id__in=blocked)


def ledger_query(query):
    """The ledger's own parameters of a query string (a QueryDict), without empty values or the page number: what a
    saved view keeps."""
    kept = QueryDict(mutable=True)
    for name in AIUseFilter.base_filters:
        for value in query.getlist(name):
            if value.strip():
                kept.appendlist(name, value.strip())
    return kept.urlencode()
