"""Consents: their terms and signed document, and the legal review that decides on them."""

import copy
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Concat, Trim
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from productions import selectors, services
from productions.access import production_access
from productions.consent_status import (
    BLOCKING_STATUSES,
    ConsentStatus,
    consent_status,
    consent_validity,
    coverage,
    covers_kind,
    use_facts_fingerprint,
    use_need,
)
from productions.forms.consents import (
    ApprovalForm,
    ConsentDocumentForm,
    ConsentForm,
    CoverageForm,
    LinkUsesForm,
    ReviewAssignmentForm,
    ReviewQueueFilterForm,
    ReviewReasonForm,
    RevocationForm,
)
from productions.models import Consent, Membership
from productions.roles import Capability
from productions.storage import consent_document_response
from productions.views.people import COVERAGE_STATES, coverage_of, person_of, submitted, uses_with_status
from productions.vocabularies import CONSENT_KINDS_FOR_PERFORMER_USE, ReviewState, Role

# What a withdrawal does to each use relying on the consent, as the confirmation lists it.
WITHDRAWAL_EFFECTS = {
    "blocked": gettext_lazy("Blocked from the withdrawal date"),
    "already_blocked": gettext_lazy("Already blocked, and stays blocked"),
    "stays_covered": gettext_lazy("Stays covered by another consent of this person"),
    "not_resting": gettext_lazy("Does not rest on this consent"),
}


def consent_of(request, production, consent_pk):
    """A consent of this production, 404 for a consent of another production even if the user sees it."""
    consent = selectors.get_consent(request.user, consent_pk)
    if consent.person.production_id != production.pk:
        raise Http404(_("No such consent in this production."))
    return consent


def _back_to(request, consent):
    """Where to go after a decision: the page it was taken on (the review queue), else the consent."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("productions:consent-detail", consent.person.production_id, consent.pk)


def _seen_version(request):
    """The version of the consent the reviewer decided on, from the review form; None when not sent."""
    version = request.POST.get("version", "")
    return int(version) if version.isdigit() else None


def _page(request, template, access, consent, status=200, **extra):
    context = {**access.context(), "consent": consent, "person": consent.person, "today": timezone.localdate()}
    return render(request, f"productions/consents/{template}.html", context | extra, status=status)


def _legal_members(production_ids):
    """{production id: [users]} of the legal members of these productions, in one query."""
    reviewers = defaultdict(list)
    memberships = Membership.objects.filter(production_id__in=production_ids, role=Role.LEGAL).select_related("user")
    for membership in memberships.order_by("user__username"):
        reviewers[membership.production_id].append(membership.user)
    return reviewers


def _relying_uses(request, production, consent):
    """The AI uses relying on a consent, with their status and what the consent is to each, in bounded queries."""
    today = timezone.localdate()
    uses = selectors.ai_uses_for(request.user, production).filter(consents=consent)
    decisions = {decision.ai_use_id: decision for decision in consent.coverage_decisions.select_related("decided_by")}
    rows = []
    for use in uses:
        status = consent_status(use, today)  # from the prefetched people, consents and decisions: no query
        covered = coverage_of(consent, use, decisions.get(use.pk), today)
        rows.append(
            {
                "use": use,
                "status": status,
                "blocked": status in BLOCKING_STATUSES,
                "coverage": covered,
                "coverage_label": COVERAGE_STATES[covered.state],
                "to_confirm": covered.state in ("to_confirm", "to_confirm_again"),
            }
        )
    return rows


def _linkable_uses(request, production, consent):
    """Uses depicting the person, of a kind this consent is to, that do not rely on it yet."""
    if consent.revoked_on:
        return []
    performer_uses = [use for use, kinds in CONSENT_KINDS_FOR_PERFORMER_USE.items() if consent.kind in kinds]
    candidates = (
        selectors.ai_uses_for(request.user, production)
        .filter(people=consent.person, performer_use__in=performer_uses)
        .exclude(consents=consent)
    )
    return uses_with_status([use for use in candidates if covers_kind(consent, use_need(use))])


def _detail(request, access, consent, status=200, coverage_form=None):
    """The consent page; `coverage_form` is legal's refused decision, when it comes back."""
    production = access.production
    uses = _relying_uses(request, production, consent)
    context = {
        "uses": uses,
        "linkable_uses": _linkable_uses(request, production, consent),
        "to_confirm_count": sum(row["to_confirm"] for row in uses),
    }
    if access.can(Capability.REVIEW_CONSENTS):
        coverage_form = coverage_form or CoverageForm(ai_uses=None)
        context["reviewers"] = _legal_members([production.pk])[production.pk]
        context["coverage_form"] = coverage_form
        # A refused decision comes back with the uses it was about still ticked.
        ticked = coverage_form.data.getlist("uses") if coverage_form.is_bound else []
        context["ticked"] = {int(pk) for pk in ticked if pk.isdigit()}
    return _page(request, "detail", access, consent, status=status, **context)


@require_GET
@login_required
def consent_detail(request, pk, consent_pk):
    access = production_access(request, pk)
    consent = consent_of(request, access.production, consent_pk)
    return _detail(request, access, consent)


def _stored(request, access, consent):
    # A service sets values on the consent it is given before refusing them: show what is stored.
    return consent_of(request, access.production, consent.pk)


def _save_consent(request, form, person, consent=None):
    """Write the terms and the document as one change: a refused document leaves no consent half-made."""
    document = form.cleaned_data["document"]
    with transaction.atomic():
        if consent is None:
            consent = services.create_consent(actor=request.user, person=person, **form.consent_terms())
        else:
            consent = services.update_consent(
                actor=request.user, consent=consent, version=form.edited_version(), **form.consent_terms()
            )
        if document:
            services.attach_consent_document(actor=request.user, consent=consent, uploaded_file=document)
    return consent


@require_http_methods(["GET", "POST"])
@login_required
def consent_create(request, pk, person_pk):
    access = production_access(request, pk, Capability.EDIT_CONSENTS)
    person = person_of(request, access.production, person_pk)
    form = ConsentForm(*submitted(request), instance=Consent(person=person))
    if request.method == "POST" and form.is_valid():
        try:
            consent = _save_consent(request, form, person)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The consent was recorded as a draft."))
            return redirect("productions:consent-detail", access.production.pk, consent.pk)
    context = {**access.context(), "form": form, "person": person}
    return render(request, "productions/consents/form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def consent_edit(request, pk, consent_pk):
    access = production_access(request, pk, Capability.EDIT_CONSENTS)
    consent = consent_of(request, access.production, consent_pk)
    # The form edits a copy: the service compares the stored terms with the new ones to decide
    # whether a reviewed consent goes back to draft.
    form = ConsentForm(*submitted(request), instance=copy.copy(consent))
    if request.method == "POST" and form.is_valid():
        try:
            _save_consent(request, form, consent.person, consent)
        except ValidationError as error:
            consent = _stored(request, access, consent)
            form.add_service_error(error)
        else:
            messages.success(request, _("The consent was saved."))
            return redirect("productions:consent-detail", access.production.pk, consent.pk)
    return _page(request, "form", access, consent, form=form)


@require_http_methods(["GET", "POST"])
@login_required
def consent_document_upload(request, pk, consent_pk):
    access = production_access(request, pk, Capability.EDIT_CONSENTS)
    consent = consent_of(request, access.production, consent_pk)
    form = ConsentDocumentForm(*submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_consent_document(
                actor=request.user, consent=consent, uploaded_file=form.cleaned_data["document"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The signed document was attached."))
            return redirect("productions:consent-detail", access.production.pk, consent.pk)
    return _page(request, "document_form", access, consent, form=form)


def _decide(request, pk, consent_pk, capability, decision, success_message):
    """Apply a review step that needs nothing but the consent; a refusal is shown on the consent page."""
    access = production_access(request, pk, capability)
    consent = consent_of(request, access.production, consent_pk)
    try:
        decision(actor=request.user, consent=consent, version=_seen_version(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("productions:consent-detail", access.production.pk, consent.pk)
    messages.success(request, success_message)
    return _back_to(request, consent)


@require_POST
@login_required
def consent_submit(request, pk, consent_pk):
    return _decide(
        request, pk, consent_pk, Capability.EDIT_CONSENTS, services.submit_consent, _("Submitted for legal review.")
    )


@require_POST
@login_required
def consent_approve(request, pk, consent_pk):
    """Approve a submitted consent: the service refuses one without its signed document, or not separately signed
    without a reason; the refusal comes back with its fields."""
    access = production_access(request, pk, Capability.REVIEW_CONSENTS)
    consent = consent_of(request, access.production, consent_pk)
    form = ApprovalForm(request.POST)
    form.is_valid()  # nothing in it is required: the service decides
    try:
        services.approve_consent(
            actor=request.user,
            consent=consent,
            version=_seen_version(request),
            not_separately_signed_reason=form.cleaned_data["not_separately_signed_reason"],
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # a state or a race, not a field to fill in
            for message in error.messages:
                messages.error(request, message)
            return redirect("productions:consent-detail", access.production.pk, consent.pk)
        consent = _stored(request, access, consent)
        form.add_service_error(error)
        next_url = request.POST.get("next", "")
        version = _seen_version(request)
        return _page(request, "approval_form", access, consent, form=form, next=next_url, version=version)
    messages.success(request, _("The consent was approved."))
    return _back_to(request, consent)


def _decide_with_reason(request, pk, consent_pk, decision, success_message):
    """Reject or request changes: the reason is required, and a missing one is asked for again."""
    access = production_access(request, pk, Capability.REVIEW_CONSENTS)
    consent = consent_of(request, access.production, consent_pk)
    form = ReviewReasonForm(request.POST)
    if form.is_valid():
        try:
            decision(
                actor=request.user,
                consent=consent,
                reason=form.cleaned_data["review_reason"],
                version=_seen_version(request),
            )
        except ValidationError as error:
            consent = _stored(request, access, consent)
            form.add_service_error(error)
        else:
            messages.success(request, success_message)
            return _back_to(request, consent)
    action, next_url = request.resolver_match.url_name, request.POST.get("next", "")
    return _page(
        request,
        "decision_form",
        access,
        consent,
        form=form,
        action=action,
        next=next_url,
        version=_seen_version(request),
    )


@require_POST
@login_required
def consent_reject(request, pk, consent_pk):
    return _decide_with_reason(request, pk, consent_pk, services.reject_consent, _("The consent was rejected."))


@require_POST
@login_required
def consent_request_changes(request, pk, consent_pk):
    return _decide_with_reason(
        request, pk, consent_pk, services.request_consent_changes, _("Changes were requested from the producer.")
    )


def _withdrawal_effect(consent, use, today):
    """What withdrawing `consent` does to a use relying on it: blocked, unless another valid consent of the same
    person covers the use as legal confirmed."""
    need = use_need(use)
    if need is None or not covers_kind(consent, need):
        return "not_resting"
    decisions = {decision.consent_id: decision for decision in use.coverage_decisions.all()}
    facts = use_facts_fingerprint(use)
    for other in use.consents.all():
        if (
            other.pk != consent.pk
            and other.person_id == consent.person_id
            and covers_kind(other, need)
            and consent_validity(other, today) == ConsentStatus.COVERED
            and coverage(other, decisions, facts, today) == ConsentStatus.COVERED
        ):
            return "stays_covered"
    return "blocked"


def _withdrawal_effects(request, production, consent):
    today = timezone.localdate()
    rows = uses_with_status(selectors.ai_uses_for(request.user, production).filter(consents=consent))
    for row in rows:
        row["effect"] = _withdrawal_effect(consent, row["use"], today)
        if row["effect"] == "blocked" and row["blocked"]:
            row["effect"] = "already_blocked"
        row["effect_label"] = WITHDRAWAL_EFFECTS[row["effect"]]
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def consent_revoke(request, pk, consent_pk):
    """Record a withdrawal: the form first shows the uses the withdrawal blocks; posting it records it."""
    access = production_access(request, pk, Capability.EDIT_CONSENTS)
    consent = consent_of(request, access.production, consent_pk)
    if consent.revoked_on:
        messages.error(request, _("A revoked consent is kept as it was; record a new consent instead."))
        return redirect("productions:consent-detail", access.production.pk, consent.pk)
    form = RevocationForm(*submitted(request), initial={"revoked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_consent(
                actor=request.user,
                consent=consent,
                on=form.cleaned_data["revoked_on"],
                reason=form.cleaned_data["revocation_reason"],
                withdrawal_document=form.cleaned_data["withdrawal_document"] or None,
                version=_seen_version(request),
            )
        except ValidationError as error:
            consent = _stored(request, access, consent)
            form.add_service_error(error)
        else:
            messages.success(
                request, _("The withdrawal was recorded: AI uses relying on this consent are blocked from that date.")
            )
            return redirect("productions:consent-detail", access.production.pk, consent.pk)
    affected = _withdrawal_effects(request, access.production, consent)
    return _page(
        request,
        "revocation_form",
        access,
        consent,
        form=form,
        affected=affected,
        blocked_count=sum(row["effect"] == "blocked" for row in affected),
    )


@require_POST
@login_required
def consent_coverage(request, pk, consent_pk):
    """Legal's decision that the consent covers (or not) the uses ticked, which must rely on it."""
    access = production_access(request, pk, Capability.REVIEW_CONSENTS)
    consent = consent_of(request, access.production, consent_pk)
    form = CoverageForm(request.POST, ai_uses=selectors.ai_uses_for(request.user, access.production))
    if form.is_valid():
        try:
            decided = services.decide_coverage(
                actor=request.user,
                consent=consent,
                ai_uses=form.cleaned_data["uses"],
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            consent = _stored(request, access, consent)
            form.add_service_error(error)
        else:
            count = len(decided)
            messages.success(
                request,
                ngettext("Coverage decided for %(count)d use.", "Coverage decided for %(count)d uses.", count)
                % {"count": count},
            )
            return redirect(reverse("productions:consent-detail", args=[access.production.pk, consent.pk]) + "#uses")
    return _detail(request, access, consent, status=400, coverage_form=form)


@require_POST
@login_required
def consent_link_uses(request, pk, consent_pk):
    """Make uses depicting the person rely on this consent too; legal then confirms it covers them."""
    access = production_access(request, pk, Capability.EDIT_RECORDS)
    consent = consent_of(request, access.production, consent_pk)
    detail = reverse("productions:consent-detail", args=[access.production.pk, consent.pk]) + "#uses"
    if consent.revoked_on:
        messages.error(request, _("A revoked consent is kept as it was; record a new consent instead."))
        return redirect(detail)
    candidates = selectors.ai_uses_for(request.user, access.production).filter(people=consent.person)
    form = LinkUsesForm(request.POST, ai_uses=candidates)
    if not form.is_valid():
        for message in form.errors["uses"]:
            messages.error(request, message)
        return redirect(detail)
    linked = 0
    try:
        with transaction.atomic():
            for use in form.cleaned_data["uses"]:
                relied_on = list(use.consents.all())
                if consent in relied_on:
                    continue
                services.update_ai_use(actor=request.user, ai_use=use, consents=[*relied_on, consent])
                linked += 1
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d use now relies on this consent: legal confirms it covers it.",
                "%(count)d uses now rely on this consent: legal confirms it covers them.",
                linked,
            )
            % {"count": linked},
        )
    return redirect(detail)


@require_POST
@login_required
def consent_assign(request, pk, consent_pk):
    """Give the review to a legal member of the production, by a date (or take it back)."""
    access = production_access(request, pk, Capability.REVIEW_CONSENTS)
    consent = consent_of(request, access.production, consent_pk)
    # Any member may be chosen here; the service refuses one who is not legal, and says so.
    members = get_user_model().objects.filter(memberships__production=access.production)
    form = ReviewAssignmentForm(request.POST, reviewers=members)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back_to(request, consent)
    assignee, due_on = form.cleaned_data["review_assignee"], form.cleaned_data["review_due_on"]
    try:
        services.assign_review(
            actor=request.user, consent=consent, assignee=assignee, due_on=due_on, version=_seen_version(request)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back_to(request, consent)
    if assignee is None:
        messages.success(request, _("The review is assigned to nobody."))
    else:
        messages.success(
            request,
            _("The review was assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee.get_username()},
        )
    return _back_to(request, consent)


# The order of the review queue: what falls due first, what waits longest, or by production.
QUEUE_ORDERS = {
    "due": (F("review_due_on").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk"),
    "submitted": (F("submitted_at").asc(nulls_last=True), "pk"),
    "production": (
        "person__production__title",
        F("review_due_on").asc(nulls_last=True),
        F("submitted_at").asc(nulls_last=True),
        "pk",
    ),
}


def _filtered_queue(request, consents, filters, today):
    if filters.get("assigned") == "me":
        consents = consents.filter(review_assignee=request.user)
    elif filters.get("assigned") == "nobody":
        consents = consents.filter(review_assignee__isnull=True)
    if filters.get("overdue"):
        consents = consents.filter(review_due_on__lt=today)
    if filters.get("production"):
        consents = consents.filter(person__production_id=filters["production"])
    return consents.order_by(*QUEUE_ORDERS[filters.get("sort") or "due"])


@require_GET
@login_required
def review_queue(request):
    """Consents submitted for review across every production where the user is legal: who reviews each, by when;
    sorted and filtered from the query string."""
    today = timezone.localdate()
    reviewing = list(selectors.productions_for(request.user).filter(role=Role.LEGAL).order_by("title"))
    filter_form = ReviewQueueFilterForm(request.GET, productions=reviewing)
    filter_form.is_valid()  # a wrong value is left out; the others still filter
    submissions = Consent.history.filter(id=OuterRef("pk"), history_change_reason=ReviewState.SUBMITTED).order_by(
        "-history_date"
    )
    submitter_name = Trim(Concat("history_user__first_name", Value(" "), "history_user__last_name"))
    consents = (
        selectors.consents_awaiting_review(request.user)
        .select_related("review_assignee")
        .annotate(
            submitted_at=Subquery(submissions.values("history_date")[:1]),
            submitted_by_username=Subquery(submissions.values("history_user__username")[:1]),
            submitted_by_name=Subquery(submissions.values(name=submitter_name)[:1]),
        )
    )
    consents = list(_filtered_queue(request, consents, filter_form.cleaned_data, today))
    reviewers = _legal_members([production.pk for production in reviewing]) if consents else {}
    for consent in consents:
        consent.reviewers = reviewers[consent.person.production_id]
        consent.overdue = bool(consent.review_due_on and consent.review_due_on < today)
    context = {
        "consents": consents,
        "filter_form": filter_form,
        "filtered": any(filter_form.cleaned_data.get(name) for name in ("assigned", "overdue", "production")),
        "is_reviewer": bool(reviewing),
        "queue_url": request.get_full_path(),
        "today": today,
    }
    return render(request, "productions/review_queue.html", context)


@require_GET
@login_required
def consent_document(request, pk):
    """The signed document of a consent, for members of its production only."""
    consent = selectors.get_consent(request.user, pk)
    if not consent.document:
        raise Http404("This consent has no signed document.")
    return consent_document_response(consent)


@require_GET
@login_required
def consent_withdrawal_document(request, pk):
    """The person's written withdrawal of a consent, for members of its production only."""
    consent = selectors.get_consent(request.user, pk)
    if not consent.withdrawal_document:
        raise Http404("This consent has no written withdrawal.")
    return consent_document_response(consent, "withdrawal_document")


_CONSENT = "productions/<int:pk>/consents/<int:consent_pk>/"

urlpatterns = [
    path("productions/<int:pk>/people/<int:person_pk>/consents/new/", consent_create, name="consent-create"),
    path(_CONSENT, consent_detail, name="consent-detail"),
    path(_CONSENT + "edit/", consent_edit, name="consent-edit"),
    path(_CONSENT + "document/", consent_document_upload, name="consent-document-upload"),
    path(_CONSENT + "submit/", consent_submit, name="consent-submit"),
    path(_CONSENT + "approve/", consent_approve, name="consent-approve"),
    path(_CONSENT + "reject/", consent_reject, name="consent-reject"),
    path(_CONSENT + "request-changes/", consent_request_changes, name="consent-request-changes"),
    path(_CONSENT + "revoke/", consent_revoke, name="consent-revoke"),
    path(_CONSENT + "coverage/", consent_coverage, name="consent-coverage"),
    path(_CONSENT + "link-uses/", consent_link_uses, name="consent-link-uses"),
    path(_CONSENT + "assign/", consent_assign, name="consent-assign"),
    path("review/", review_queue, name="review-queue"),
    path("consents/<int:pk>/document", consent_document, name="consent-document"),
    path("consents/<int:pk>/withdrawal", consent_withdrawal_document, name="consent-withdrawal-document"),
]
