"""The people of a production: who is depicted or voiced, their consents and the AI uses relying on them."""

import copy
from collections import Counter
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from productions import selectors, services
from productions.access import production_access
from productions.consent_status import (
    BLOCKING_STATUSES,
    ConsentStatus,
    consent_status,
    covers_kind,
    decision_holds,
    use_facts_fingerprint,
    use_need,
)
from productions.forms.people import PersonForm
from productions.models import Person
from productions.roles import Capability
from productions.vocabularies import CoverageDecisionKind, ReviewState

# Where a person's consents stand on the people list, worst first: revocation and expiry outweigh the review state,
# which a revoked or expired consent keeps. Keyed by the CSS status class each shows with.
CONSENT_STANDINGS = (
    ConsentStatus.REVOKED,
    ConsentStatus.EXPIRED,
    ConsentStatus.NOT_SEPARATELY_SIGNED,
    ReviewState.REJECTED,
    ReviewState.CHANGES_REQUESTED,
    ReviewState.SUBMITTED,
    ReviewState.DRAFT,
    ReviewState.APPROVED,
)


def standing_key(consent, today):
    """The key a consent is counted and styled under: its validity, or its review state while pending."""
    standing = consent.standing(today)
    if standing == ConsentStatus.COVERED:
        return ReviewState.APPROVED
    if standing in (ConsentStatus.PENDING_REVIEW, ConsentStatus.MISSING):
        return ReviewState(consent.review_state)
    return standing


class Coverage(NamedTuple):
    """Whether one consent covers one AI use relying on it, as legal decided (or has yet to)."""

    state: str  # one of COVERAGE_STATES
    decision: object  # the CoverageDecision, or None
    term_not_started: bool


COVERAGE_STATES = {
    "not_needed": _lazy("No consent needed"),
    "other_kind": _lazy("Another kind of use: does not cover it"),
    "to_confirm": _lazy("To confirm"),
    "to_confirm_again": _lazy("To confirm again"),
    "covers": _lazy("Covers this use"),
    "does_not_cover": _lazy("Does not cover this use"),
}


def coverage_of(consent, ai_use, decision, today):
    """What `consent` is to `ai_use`, given legal's decision on the pair (or None).

    A decision holds only on the consent's scope and the use's facts it was made on: when either changed since,
    the coverage is to confirm again (productions.consent_status).
    """
    term_not_started = bool(consent.term_starts_on and consent.term_starts_on > today)
    need = use_need(ai_use)
    if need is None:
        state = "not_needed"
    elif not covers_kind(consent, need):
        state = "other_kind"
    elif decision is None:
        state = "to_confirm"
    elif not decision_holds(decision, consent, use_facts_fingerprint(ai_use)):
        state = "to_confirm_again"
    elif decision.decision == CoverageDecisionKind.COVERS:
        state = "covers"
    else:
        state = "does_not_cover"
    return Coverage(state, decision, term_not_started)


def person_of(request, production, person_pk):
    """A person of this production, 404 for a person of another production even if the user sees it."""
    person = selectors.get_person(request.user, person_pk)
    if person.production_id != production.pk:
        raise Http404(_("No such person in this production."))
    return person


def submitted(request):
    """The data and files of a POST, nothing for a GET: an empty POST is still validated, and refused."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def uses_with_status(uses):
    """AI uses (from `selectors.ai_uses_for`) paired with their consent status, for the uses table."""
    rows = []
    for use in uses:
        status = consent_status(use)  # from the prefetched people and consents: no query
        rows.append({"use": use, "status": status, "blocked": status in BLOCKING_STATUSES})
    return rows


def consent_counts(consents, today):
    """[(standing, label, count)] of a person's consents, worst standing first, without zeros."""
    counts = Counter(standing_key(consent, today) for consent in consents)
    labels = {key: key.label for key in CONSENT_STANDINGS} | {ReviewState.APPROVED: _("Approved, valid")}
    return [(key, labels[key], counts[key]) for key in CONSENT_STANDINGS if counts[key]]


@require_GET
@login_required
def people(request, pk):
    access = production_access(request, pk)
    production = access.production
    today = timezone.localdate()
    people = list(selectors.people_for(request.user, production).prefetch_related("consents"))
    uses = uses_with_status(selectors.ai_uses_for(request.user, production))
    use_counts, blocked_counts = Counter(), Counter()
    for row in uses:
        for person in row["use"].people.all():
            use_counts[person.id] += 1
            blocked_counts[person.id] += row["blocked"]
    rows = [
        {
            "person": person,
            "consent_counts": consent_counts(person.consents.all(), today),
            "use_count": use_counts[person.id],
            "blocked_count": blocked_counts[person.id],
        }
        for person in people
    ]
    return render(request, "productions/people/list.html", {**access.context(), "rows": rows})


@require_GET
@login_required
def person_detail(request, pk, person_pk):
    access = production_access(request, pk)
    person = person_of(request, access.production, person_pk)
    consents = selectors.consents_for(request.user, access.production).filter(person=person)
    uses = selectors.ai_uses_for(request.user, access.production).filter(people=person)
    context = {
        **access.context(),
        "person": person,
        "consents": consents,
        "uses": uses_with_status(uses),
        "today": timezone.localdate(),
    }
    return render(request, "productions/people/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def person_create(request, pk):
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    form = PersonForm(*submitted(request), instance=Person(production=access.production))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(actor=request.user, production=access.production, **form.person_fields())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("productions:person-detail", access.production.pk, person.pk)
    return render(request, "productions/people/form.html", {**access.context(), "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request, pk, person_pk):
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    person = person_of(request, access.production, person_pk)
    # The form edits a copy: the page keeps showing the stored person if the service refuses.
    form = PersonForm(*submitted(request), instance=copy.copy(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(actor=request.user, person=person, **form.person_fields())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Changes to %(name)s were saved.") % {"name": person.name})
            return redirect("productions:person-detail", access.production.pk, person.pk)
    return render(request, "productions/people/form.html", {**access.context(), "form": form, "person": person})


@require_http_methods(["GET", "POST"])
@login_required
def person_delete(request, pk, person_pk):
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    person = person_of(request, access.production, person_pk)
    refusal = None
    if request.method == "POST":
        name = person.name
        try:
            services.delete_person(actor=request.user, person=person)
        except ValidationError as error:
            refusal = error.messages
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": name})
            return redirect("productions:people", access.production.pk)
    context = {**access.context(), "person": person, "refusal": refusal}
    return render(request, "productions/people/delete.html", context)


urlpatterns = [
    path("productions/<int:pk>/people/", people, name="people"),
    path("productions/<int:pk>/people/new/", person_create, name="person-create"),
    path("productions/<int:pk>/people/<int:person_pk>/", person_detail, name="person-detail"),
    path("productions/<int:pk>/people/<int:person_pk>/edit/", person_edit, name="person-edit"),
    path("productions/<int:pk>/people/<int:person_pk>/delete/", person_delete, name="person-delete"),
]
