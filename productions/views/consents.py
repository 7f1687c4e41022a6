"""Consents: their terms and signed document, and the legal review that decides on them."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat, Trim
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from productions import selectors, services
from productions.access import production_access
from productions.forms.consents import ConsentDocumentForm, ConsentForm, ReviewReasonForm, RevocationForm
from productions.models import Consent
from productions.roles import Capability
from productions.storage import consent_document_response
from productions.views.people import person_of, submitted, uses_with_status
from productions.vocabularies import ReviewState, Role


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


def _page(request, template, access, consent, **extra):
    context = {**access.context(), "consent": consent, "person": consent.person, "today": timezone.localdate()}
    return render(request, f"productions/consents/{template}.html", context | extra)


@require_GET
@login_required
def consent_detail(request, pk, consent_pk):
    access = production_access(request, pk)
    consent = consent_of(request, access.production, consent_pk)
    uses = selectors.ai_uses_for(request.user, access.production).filter(consents=consent)
    revocation_form = RevocationForm(initial={"revoked_on": timezone.localdate()})
    return _page(request, "detail", access, consent, uses=uses_with_status(uses), revocation_form=revocation_form)


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
    return _decide(
        request, pk, consent_pk, Capability.REVIEW_CONSENTS, services.approve_consent, _("The consent was approved.")
    )


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


@require_POST
@login_required
def consent_revoke(request, pk, consent_pk):
    access = production_access(request, pk, Capability.EDIT_CONSENTS)
    consent = consent_of(request, access.production, consent_pk)
    form = RevocationForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_consent(actor=request.user, consent=consent, on=form.cleaned_data["revoked_on"])
        except ValidationError as error:
            consent = _stored(request, access, consent)
            form.add_service_error(error)
        else:
            messages.success(
                request, _("The withdrawal was recorded: AI uses relying on this consent are blocked from that date.")
            )
            return redirect("productions:consent-detail", access.production.pk, consent.pk)
    return _page(request, "revocation_form", access, consent, form=form)


@require_GET
@login_required
def review_queue(request):
    """Consents submitted for review, oldest first, across every production where the user is legal."""
    submissions = Consent.history.filter(id=OuterRef("pk"), history_change_reason=ReviewState.SUBMITTED).order_by(
        "-history_date"
    )
    consents = selectors.consents_awaiting_review(request.user).annotate(
        submitted_at=Subquery(submissions.values("history_date")[:1]),
        submitted_by_username=Subquery(submissions.values("history_user__username")[:1]),
        submitted_by_name=Subquery(
            submissions.values(name=Trim(Concat("history_user__first_name", Value(" "), "history_user__last_name")))[:1]
        ),
    )
    context = {
        "consents": consents,
        "is_reviewer": selectors.productions_for(request.user).filter(role=Role.LEGAL).exists(),
        "queue_url": reverse("productions:review-queue"),
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
    path("review/", review_queue, name="review-queue"),
    path("consents/<int:pk>/document", consent_document, name="consent-document"),
]
