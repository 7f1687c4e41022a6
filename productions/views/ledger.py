"""The AI-use ledger: the list with its filters, one use, recording and editing uses (bulk edits: views.bulk)."""

import datetime
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.models import model_to_dict
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from productions import kept_pages, selectors, services
from productions.access import production_access
from productions.consent_status import (
    BLOCKING_STATUSES,
    ConsentStatus,
    consent_status,
    consent_statuses,
    consent_validity,
    covers_kind,
    use_need,
)
from productions.filters import DEFAULT_SORT, NO_PART_LABELS, AIUseFilter, ledger_query, part_options
from productions.forms.bulk import BulkEditForm
from productions.forms.consents import standing_label
from productions.forms.ledger import (
    FIELDSETS,
    PRESELECTABLE,
    AIUseForm,
    add_service_errors,
    initial_for_new_use,
)
from productions.models import AIUse
from productions.paging import Paginator
from productions.roles import Capability
from productions.views.people import COVERAGE_STATES, coverage_of
from productions.vocabularies import (
    ConsentKind,
    Department,
    DigitalSourceType,
    DisclosureMethod,
    OutputType,
    Phase,
)

PAGE_SIZE = 50

# The table's columns; those with a sort key link to the ledger sorted on them.
COLUMNS = [
    ("external_id", gettext_lazy("Tracker id")),
    ("title", gettext_lazy("Title")),
    ("phase", gettext_lazy("Phase")),
    ("department", gettext_lazy("Department")),
    ("tool", gettext_lazy("Tool")),
    (None, gettext_lazy("Output type")),
    (None, gettext_lazy("Source type")),
    (None, gettext_lazy("Final")),
    (None, gettext_lazy("Deep fake")),
    (None, gettext_lazy("Disclosure")),
    (None, gettext_lazy("Consent")),
]

# What the table reads of a use and its tool. The database sorts every matching row with the columns
# selected, long texts included, to return a page of 50. A field read but not listed here costs a query
# per row (the ledger's query-count test catches it).
TABLE_FIELDS = (
    "title",
    "external_id",
    "phase",
    "department",
    "is_final",
    "deep_fake",
    "disclosure_method",
    "performer_use",
    "output_type",
    "digital_source_type",
    "version",  # the grid's edits are made on it
    "episode",  # and the sequence: the group headers name them
    "sequence",
    "tool__vendor",
    "tool__product",
    "tool__model_name",
    "tool__model_version",
)

CONSENT_STATUS_EXPLANATIONS = {
    ConsentStatus.NOT_NEEDED: gettext_lazy("This use does not depict or voice a person in a way that needs consent."),
    ConsentStatus.COVERED: gettext_lazy(
        "Every person depicted has an approved, current consent of the kind this use needs, and legal confirmed"
        " that it covers this use."
    ),
    ConsentStatus.SCOPE_TO_CONFIRM: gettext_lazy(
        "A valid consent of the right kind is linked, but legal has not confirmed that it covers this use (or the"
        " consent's scope or this use changed since): the use is blocked until legal decides."
    ),
    ConsentStatus.PENDING_REVIEW: gettext_lazy(
        "A consent of the right kind is recorded but legal has not approved it yet."
    ),
    ConsentStatus.MISSING: gettext_lazy(
        "A person depicted has no usable consent of the kind this use needs, or nobody depicted is named."
    ),
    ConsentStatus.REVOKED: gettext_lazy("A consent this use relies on was withdrawn (GDPR Art. 7(3))."),
    ConsentStatus.EXPIRED: gettext_lazy("A consent this use relies on has expired."),
    ConsentStatus.OUT_OF_SCOPE: gettext_lazy(
        "The consents linked are for another kind of use, outside their term, or legal decided they do not cover"
        " this use: consent to one use is not consent to another."
    ),
    ConsentStatus.NOT_SEPARATELY_SIGNED: gettext_lazy(
        "The consent this use relies on was approved but not signed on its own, apart from the contract."
    ),
}


@functools.cache
def _labels_in(choices, language):
    return {value: str(label) for value, label in choices.choices}


def _labels(choices):
    """{value: label} of a vocabulary (a Choices class) in the active language, translated once per language and
    process: a model's get_FOO_display translates every label of the field's choices on each call."""
    return _labels_in(choices, get_language())


def _ai_use_of(request, access, use_pk):
    return get_object_or_404(selectors.ai_uses_for(request.user, access.production), pk=use_pk)


def _with_consent_state(ai_use):
    ai_use.consent_status = consent_status(ai_use)
    ai_use.blocked = ai_use.consent_status in BLOCKING_STATUSES
    return ai_use


def _columns(current_sort):
    columns = []
    for key, label in COLUMNS:
        column = {"label": label, "sort": None, "aria_sort": None}
        if key:
            column["sort"] = f"-{key}" if current_sort == key else key
            if current_sort in (key, f"-{key}"):
                column["aria_sort"] = "descending" if current_sort.startswith("-") else "ascending"
        columns.append(column)
    return columns


def table_queryset(ai_uses, production):
    """The uses as the table reads them: its fields only, the tool and the organisation's policy on it."""
    return (
        ai_uses.select_related(None)
        .select_related("tool")
        .prefetch_related(None)
        .only(*TABLE_FIELDS)
        .annotate(tool_policy=selectors.tool_policy_status(production))
    )


def _table_rows(rows, kept):
    """The uses of a page, each with what its row shows. With `kept`, their statuses are those the production keeps,
    read in the page's query (`kept_consent_status`; a use with none needs no consent)."""
    uses = list(rows)
    if not kept:
        return table_rows(uses)
    known = {ai_use.pk: ConsentStatus(ai_use.kept_consent_status or ConsentStatus.NOT_NEEDED) for ai_use in uses}
    return table_rows(uses, known=known)


def table_rows(uses, known=None):
    """The uses (of `table_queryset`), each with what its row shows: consent state and labels."""
    # Statuses not `known` cost two queries of plain values, and none when no use needs a consent.
    known = known or {}
    statuses = {**consent_statuses([ai_use for ai_use in uses if ai_use.pk not in known]), **known}
    phases, departments = _labels(Phase), _labels(Department)
    methods, consent_labels = _labels(DisclosureMethod), _labels(ConsentStatus)
    outputs, sources = _labels(OutputType), _labels(DigitalSourceType)
    for ai_use in uses:
        ai_use.consent_status = statuses[ai_use.pk]
        ai_use.consent_status_label = consent_labels[ai_use.consent_status]
        ai_use.blocked = ai_use.consent_status in BLOCKING_STATUSES
        # As get_FOO_display: the stored value itself when it is not among the choices.
        ai_use.phase_label = phases.get(ai_use.phase, ai_use.phase)
        ai_use.department_label = departments.get(ai_use.department, ai_use.department)
        ai_use.disclosure_method_label = methods.get(ai_use.disclosure_method, ai_use.disclosure_method)
        ai_use.output_type_label = outputs.get(ai_use.output_type, ai_use.output_type)
        ai_use.digital_source_type_label = sources.get(ai_use.digital_source_type, ai_use.digital_source_type)
    return uses


def _shared_context(access, query):
    """What the ledger page and its kept parts both read."""
    return {
        **access.context(),
        "query": query,
        "ledger_url": reverse("productions:ledger", args=[access.production.pk]),
    }


def _ledger_context(request, access, query):
    """What the ledger page and its table partial show for a query string."""
    production = access.production
    filterset = AIUseFilter(query, queryset=selectors.ai_uses_for(request.user, production), production=production)
    # The page is found by its ids alone (from an index in the default order); only its 50 uses are then read with
    # their tool, policy and status: an offset reads and drops every row before the page with all it joins.
    ids = filterset.qs.values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE, count=filterset.known_count()).get_page(query.get("page"))
    # Read by the page's ids alone, put back in the page's order: the filters are not planned and run a second time.
    order = {pk: position for position, pk in enumerate(page.object_list)}
    rows = table_queryset(selectors.ai_uses_for(request.user, production).filter(pk__in=order).order_by(), production)
    if filterset.statuses_kept:
        # The consent filter made the kept statuses current: the page's query reads them, none are computed.
        rows = rows.annotate(kept_consent_status=F("kept_status__status"))
    uses = sorted(_table_rows(rows, kept=filterset.statuses_kept), key=lambda ai_use: order[ai_use.pk])
    filterset.group_headers(uses, offset=page.start_index() - 1)
    current_sort = filterset.form.cleaned_data.get("sort") or DEFAULT_SORT
    new_use_query = QueryDict(mutable=True)
    for name in PRESELECTABLE:
        if filterset.form.cleaned_data.get(name) not in (None, "", "null"):
            new_use_query[name] = query[name]
    return {
        **_shared_context(access, query),
        "filterset": filterset,
        "page_obj": page,
        "uses": uses,
        "columns": _columns(current_sort),
        "new_use_query": new_use_query.urlencode(),
        # How many uses "select all matching" would take, as the language writes it.
        "matching_count": number_format(page.paginator.count, force_grouping=True),
    }


def _kept_parts(request, access, query):
    """The filters and the table as HTML, and the query a new use starts from: what the ledger keeps per revision."""
    context = _ledger_context(request, access, query)
    return {
        "filters_html": render_to_string("productions/ledger/_filters.html", context),
        "table_html": render_to_string("productions/ledger/_table.html", context),
        "new_use_query": context["new_use_query"],
    }


@require_GET
@login_required
def ledger(request, pk):
    """The filters and the table are kept per records revision, date, language, role and query
    (productions.kept_pages): a second request for the same reads them back."""
    access = production_access(request, pk)
    query = request.GET
    key = kept_pages.key(access.production.pk, "ledger", query, editing=access.can(Capability.EDIT_RECORDS))
    parts = kept_pages.kept(key, functools.partial(_kept_parts, request, access, query))
    # Built on every request: the member's saved views, and the selection bar's form with its CSRF token.
    context = {
        **_shared_context(access, query),
        "bulk_form": BulkEditForm(user=request.user, production=access.production),
        "saved_views": selectors.saved_views_for(request.user, access.production),
        "view_query": ledger_query(query),
    }
    return render(request, "productions/ledger/ledger.html", {**context, **parts})


@require_GET
@login_required
def ledger_parts(request, pk, name):
    """The episodes (or sequences) the ledger's filter suggests, fetched when the field is first focused."""
    access = production_access(request, pk)
    if name not in NO_PART_LABELS:
        raise Http404
    return render(request, "productions/ledger/_options.html", {"options": part_options(access.production, name)})


def _facts(ai_use):
    """(legend, [(label, value)]) for every field of the use, grouped as on the form."""
    groups = []
    for fieldset in FIELDSETS:
        facts = []
        for name in fieldset.names:
            if name in ("people", "consents"):
                continue  # shown with their consent state
            field = AIUse._meta.get_field(name)
            value = getattr(ai_use, name)
            if field.choices:
                value = getattr(ai_use, f"get_{name}_display")()
            elif isinstance(value, bool):
                value = _("Yes") if value else _("No")
            elif isinstance(value, datetime.date):
                value = date_format(value)
            if value == "":
                value = None  # an empty text, or no choice ticked of several
            facts.append((field.verbose_name, value))
        groups.append((fieldset.legend, facts))
    return groups


def _consent_by_person(ai_use):
    """For each person depicted: the consents linked for them, each with what it is worth today and what it is to
    this use (of the kind needed, and whether legal confirmed it covers the use)."""
    today = timezone.localdate()
    need = use_need(ai_use)
    consents = list(ai_use.consents.all())
    decisions = {decision.consent_id: decision for decision in ai_use.coverage_decisions.all()}
    people = []
    for person in ai_use.people.all():
        linked = []
        for consent in consents:
            if consent.person_id != person.pk:
                continue
            covered = coverage_of(consent, ai_use, decisions.get(consent.pk), today)
            linked.append(
                {
                    "consent": consent,
                    "validity": consent_validity(consent, today),
                    "standing": standing_label(consent, today),
                    "right_kind": need is not None and covers_kind(consent, need),
                    "coverage": covered,
                    "coverage_label": COVERAGE_STATES[covered.state],
                }
            )
        people.append(
            {"person": person, "linked": linked, "has_right_kind": any(item["right_kind"] for item in linked)}
        )
    depicted = {person.pk for person in ai_use.people.all()}
    others = [
        {"consent": consent, "standing": standing_label(consent, today)}
        for consent in consents
        if consent.person_id not in depicted
    ]
    return people, others


def _need_label(need):
    """What consent a use needs, in words: its kinds, and the voice or likeness it must include."""
    if need is None:
        return ""
    kinds = _(" or ").join(
        _("“%(kind)s”") % {"kind": ConsentKind(kind).label} for kind in ConsentKind.values if kind in need.kinds
    )
    if need.voice:
        return _("%(kinds)s, including the voice") % {"kinds": kinds}
    if need.likeness:
        return _("%(kinds)s, including the likeness") % {"kinds": kinds}
    return kinds


@require_GET
@login_required
def ai_use_detail(request, pk, use_pk):
    access = production_access(request, pk)
    ai_use = _with_consent_state(_ai_use_of(request, access, use_pk))
    people, other_consents = _consent_by_person(ai_use)
    need = use_need(ai_use)
    return render(
        request,
        "productions/ledger/detail.html",
        {
            **access.context(),
            "use": ai_use,
            "facts": _facts(ai_use),
            "consent_explanation": CONSENT_STATUS_EXPLANATIONS[ai_use.consent_status],
            "need": need,
            "need_label": _need_label(need),
            "people": people,
            "other_consents": other_consents,
            "tool_policy": selectors.tool_policy_of(access.production, ai_use.tool_id),
        },
    )


def _saved(form, write):
    """Call a service with the form's data; the service's refusals become errors on the form."""
    if not form.is_valid():
        return None
    try:
        return write(**form.service_fields())
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _render_form(request, access, form, *, ai_use=None, duplicate_of=None):
    production = access.production
    return render(
        request,
        "productions/ledger/form.html",
        {
            **access.context(),
            "form": form,
            "use": ai_use,
            "duplicate_of": duplicate_of,
            # Warned, never refused: the organisation's policy informs, the record stays true to what was done.
            "flagged_tools": selectors.flagged_tools(production),
            "chosen_tool": str(form["tool"].value() or ""),
            "action_url": (
                reverse("productions:ai-use-edit", args=[production.pk, ai_use.pk])
                if ai_use
                else reverse("productions:ai-use-create", args=[production.pk])
            ),
        },
    )


def _next_like(production, ai_use):
    """The create form again, filled in like the use just recorded: fast entry of a series of uses."""
    return f"{reverse('productions:ai-use-create', args=[production.pk])}?like={ai_use.pk}"


def _initial(request, access):
    """A new use's initial values: what it shares with the use named by ?like=, else what the query preselects."""
    like = request.GET.get("like", "")
    if not like.isdigit():
        return initial_for_new_use(request.GET)
    series = [*services.AI_USE_SERIES_FIELDS, "people", "consents"]
    return model_to_dict(_ai_use_of(request, access, like), fields=series)


@require_http_methods(["GET", "POST"])
@login_required
def ai_use_create(request, pk):
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    production = access.production
    if request.method == "GET":
        form = AIUseForm(initial=_initial(request, access), user=request.user, production=production)
        return _render_form(request, access, form)
    form = AIUseForm(request.POST, user=request.user, production=production)
    ai_use = _saved(form, lambda **fields: services.create_ai_use(actor=request.user, production=production, **fields))
    if ai_use is None:
        return _render_form(request, access, form)
    messages.success(request, _("AI use “%(title)s” recorded.") % {"title": ai_use.title})
    if "save_and_add" in request.POST:
        return redirect(_next_like(production, ai_use))
    return redirect("productions:ai-use-detail", production.pk, ai_use.pk)


@require_http_methods(["GET", "POST"])
@login_required
def ai_use_edit(request, pk, use_pk):
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    ai_use = _ai_use_of(request, access, use_pk)
    if request.method == "GET":
        form = AIUseForm(instance=ai_use, user=request.user, production=access.production)
        return _render_form(request, access, form, ai_use=ai_use)
    form = AIUseForm(request.POST, instance=ai_use, user=request.user, production=access.production)
    saved = _saved(form, lambda **fields: services.update_ai_use(actor=request.user, ai_use=ai_use, **fields))
    if saved is None:
        return _render_form(request, access, form, ai_use=ai_use)
    messages.success(request, _("AI use “%(title)s” saved.") % {"title": saved.title})
    return redirect("productions:ai-use-detail", access.production.pk, saved.pk)


@require_GET
@login_required
def ai_use_duplicate(request, pk, use_pk):
    """The create form, filled in from an existing use: most uses come in series."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    original = _ai_use_of(request, access, use_pk)
    initial = model_to_dict(original, fields=AIUseForm.Meta.fields)
    initial["title"] = _("%(title)s (copy)") % {"title": original.title}
    initial["external_id"] = ""
    form = AIUseForm(initial=initial, user=request.user, production=access.production)
    return _render_form(request, access, form, duplicate_of=original)


@require_http_methods(["GET", "POST"])
@login_required
def ai_use_delete(request, pk, use_pk):
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    ai_use = _ai_use_of(request, access, use_pk)
    if request.method == "POST":
        title = ai_use.title
        services.delete_ai_use(actor=request.user, ai_use=ai_use)
        messages.success(request, _("AI use “%(title)s” deleted.") % {"title": title})
        return redirect("productions:ledger", access.production.pk)
    return render(request, "productions/ledger/delete.html", {**access.context(), "use": ai_use})


urlpatterns = [
    path("productions/<int:pk>/uses/", ledger, name="ledger"),
    path("productions/<int:pk>/uses/parts/<str:name>/", ledger_parts, name="ledger-parts"),
    path("productions/<int:pk>/uses/new/", ai_use_create, name="ai-use-create"),
    path("productions/<int:pk>/uses/<int:use_pk>/", ai_use_detail, name="ai-use-detail"),
    path("productions/<int:pk>/uses/<int:use_pk>/edit/", ai_use_edit, name="ai-use-edit"),
    path("productions/<int:pk>/uses/<int:use_pk>/duplicate/", ai_use_duplicate, name="ai-use-duplicate"),
    path("productions/<int:pk>/uses/<int:use_pk>/delete/", ai_use_delete, name="ai-use-delete"),
]
