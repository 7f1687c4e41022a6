"""Disclosure pages: the documents of a production, the statement preview, downloads, and public verification.

Production pages check the role through `production_access` (404 for non-members, 403 without the
capability). Rendering never happens here: a request queues a job and returns at once; the list of
documents polls itself with htmx while a job is under way.
"""

import hashlib
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from disclosure.documents import building, downloads, editions, jobs, labels, page_cache, requests, verification
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus, Edition
from productions.access import production_access
from productions.roles import Capability

logger = logging.getLogger(__name__)

# The newest documents a production page lists; older ones stay verifiable by their id.
LISTED_DOCUMENTS = 50

WAITING_FOR_BROKER = gettext_lazy(
    "Queued: the background worker cannot be reached right now. Your request is kept and the document is "
    "prepared as soon as the worker is back."
)


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"), choices=DocumentKind.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    assessment_date = forms.DateField(
        label=gettext_lazy("Assessment date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Statuses and consents are assessed on this date: the EU release by default."),
    )


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"), choices=DocumentKind.choices)
    assessment_date = forms.DateField(
        label=gettext_lazy("Assessment date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    signatory = forms.CharField(
        label=gettext_lazy("Signatory"),
        max_length=200,
        help_text=gettext_lazy("The person who signs this document on the production's behalf, by name."),
    )
    signatory_role = forms.CharField(label=gettext_lazy("Signatory's role"), max_length=200, required=False)
    sign_off_reason = forms.CharField(
        label=gettext_lazy("Legal sign-off: reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Legal reviewers only, and only if something blocks issuing: why it may be issued anyway. "
            "The document and the audit trail show it."
        ),
    )

    def __init__(self, *args, may_sign_off=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_sign_off:
            del self.fields["sign_off_reason"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown on the verification page of both language versions."),
    )


class VerifyForm(forms.Form):
    pdf = forms.FileField(label=gettext_lazy("The PDF you received"))

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > settings.DISCLOSURE_VERIFY_MAX_BYTES:
            raise forms.ValidationError(_("This file is larger than any document we issue."))
        return upload


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _language(code):
    return code if code in dict(settings.LANGUAGES) else (get_language() or settings.LANGUAGE_CODE)[:2]


def _parse_date(text):
    try:
        return parse_date(text)
    except ValueError:  # well formed but impossible, such as 2026-02-30
        return None


def _documents_context(access, **extra):
    listed = list(
        DisclosureDocument.objects.filter(production=access.production)
        .select_related("requested_by", "edition__superseded_by")
        .defer("data")
        .order_by("-requested_at")[:LISTED_DOCUMENTS]
    )
    for document in listed:
        document.may_retry = requests.may_retry(document)
    listed_editions = list(
        Edition.objects.filter(production=access.production)
        .select_related("issued_by", "superseded_by", "sign_off__signed_off_by", "withdrawn_by")
        .defer("snapshot")
        .order_by("-requested_at")[:LISTED_DOCUMENTS]
    )
    return {
        **access.context(),
        "documents": listed,
        "editions": listed_editions,
        "withdraw_form": WithdrawForm(),
        "polling": any(document.status in jobs.IN_FLIGHT for document in listed),
        **extra,
    }


def _documents_partial(request, access, **extra):
    return render(request, "disclosure/_documents.html", _documents_context(access, **extra))


def _issue_form(access, data=None):
    production = access.production
    initial = {
        "kind": DocumentKind.STATEMENT,
        "assessment_date": building.default_assessment_date(production),
        "signatory": production.signatory,
    }
    return IssueForm(data, initial=initial, may_sign_off=access.can(Capability.SIGN_OFF))


def _overview(request, access, status=200, **extra):
    production = access.production
    context = {
        "form": DocumentRequestForm(
            initial={
                "kind": DocumentKind.STATEMENT,
                "language": _language(get_language()),
                "assessment_date": building.default_assessment_date(production),
            }
        ),
        "issue_form": _issue_form(access) if access.can(Capability.ISSUE) else None,
        **extra,
    }
    return render(request, "disclosure/overview.html", {**_documents_context(access), **context}, status=status)


@require_GET
@login_required
def overview(request, pk):
    access = production_access(request, pk, Capability.READ)
    return _overview(request, access)


@require_POST
@login_required
def edition_issue(request, pk):
    """Issue an edition: refused with the list of what blocks it, unless legal signed off on these records."""
    access = production_access(request, pk, Capability.ISSUE)
    form = _issue_form(access, request.POST)
    if not form.is_valid():
        return _overview(request, access, status=400, issue_form=form)
    data = form.cleaned_data
    try:
        edition = editions.issue(
            actor=request.user,
            production=access.production,
            kind=data["kind"],
            on=data["assessment_date"],
            signatory=data["signatory"],
            signatory_role=data["signatory_role"],
            sign_off_reason=data.get("sign_off_reason", ""),
        )
    except editions.IssueBlocked as blocked:
        return _overview(
            request,
            access,
            status=409,
            issue_form=form,
            issue_refused=blocked.message,
            blockers=labels.blocker_labels(blocked.blockers),
        )
    except ValidationError as error:
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
        return _overview(request, access, status=400, issue_form=form)
    messages.success(
        request,
        _("Edition no. %(number)s is being prepared in English and French; it is issued when both are ready.")
        % {"number": edition.number},
    )
    return redirect("disclosure:overview", pk=pk)


@require_POST
@login_required
def edition_withdraw(request, pk, edition_id):
    access = production_access(request, pk, Capability.ISSUE)
    edition = get_object_or_404(Edition, production=access.production, id=edition_id)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        editions.withdraw(actor=request.user, edition=edition, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Edition no. %(number)s is withdrawn.") % {"number": edition.number})
    return redirect("disclosure:overview", pk=pk)


# The preview names the first entries of each list of the annex and links to the paginated list of all of them.
STATEMENT_SHOWN = page_cache.SHOWN
STATEMENT_PER_PAGE = 50


def _statement_options(request, production):
    """The statement's date and language asked for in the query, else its defaults."""
    asked = request.GET.get("on", "")
    on = _parse_date(asked)
    if asked and on is None:
        messages.error(request, _("That is not a date; the statement below is as of its default date."))
    return on or building.default_assessment_date(production), _language(request.GET.get("lang", ""))


def _statement_context(access, on, language):
    return {
        **access.context(),
        "on": on,
        "statement_language": language,
        "statement_query": urlencode({"on": on.isoformat(), "lang": language}),
    }


@require_GET
@login_required
def statement(request, pk):
    access = production_access(request, pk, Capability.READ)
    on, language = _statement_options(request, access.production)
    context = {
        **_statement_context(access, on, language),
        "statement": page_cache.statement_summary(access.production, on),
        "languages": settings.LANGUAGES,
        "shown": STATEMENT_SHOWN,
    }
    return render(request, "disclosure/statement_page.html", context)


@require_GET
@login_required
def statement_list(request, pk, part):
    """All the entries of one list of the statement's annex, a page at a time: the preview shows the first few."""
    access = production_access(request, pk, Capability.READ)
    on, language = _statement_options(request, access.production)
    choice = request.GET.get("of", "")
    found = page_cache.statement_list(access.production, on, part, choice)
    if found is None:
        raise Http404(_("No such list in the statement."))
    entries, of_label = found
    context = _statement_context(access, on, language)
    page = Paginator(entries, STATEMENT_PER_PAGE).get_page(request.GET.get("page"))
    query = context["statement_query"] + (f"&{urlencode({'of': choice})}" if choice else "")
    context.update(part=part, of_label=of_label, page=page, query=query)
    return render(request, "disclosure/statement_list.html", context)


@require_POST
@login_required
def document_request(request, pk):
    access = production_access(request, pk, Capability.EXPORT)
    form = DocumentRequestForm(request.POST)
    if not form.is_valid():
        if _is_htmx(request):
            errors = [f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()]
            return _documents_partial(request, access, errors=errors)
        return render(request, "disclosure/overview.html", {**_documents_context(access), "form": form}, status=400)
    document, created = requests.request_document(
        production=access.production,
        kind=form.cleaned_data["kind"],
        language=form.cleaned_data["language"],
        on=form.cleaned_data["assessment_date"],
        requested_by=request.user,
    )
    if document.waiting_for_broker:
        notice = WAITING_FOR_BROKER
    elif created:
        notice = _("Requested: the document is prepared in the background and appears here when ready.")
    elif document.status == DocumentStatus.READY:
        notice = _("Nothing changed since this document was issued: it is still current, download it below.")
    else:
        notice = _("The same document is already being prepared.")
    if _is_htmx(request):
        return _documents_partial(request, access, notice=notice, highlighted=document.id)
    messages.success(request, notice)
    return redirect("disclosure:overview", pk=pk)


@require_GET
@login_required
def documents_partial(request, pk):
    access = production_access(request, pk, Capability.READ)
    return _documents_partial(request, access)


def _document_of(access, document_id):
    return get_object_or_404(DisclosureDocument, production=access.production, id=document_id)


@require_GET
@login_required
def document_download(request, pk, document_id):
    access = production_access(request, pk, Capability.EXPORT)
    document = _document_of(access, document_id)
    if document.status != DocumentStatus.READY:
        raise Http404(_("This document is not ready."))
    return downloads.pdf_response(document)


@require_POST
@login_required
def document_retry(request, pk, document_id):
    access = production_access(request, pk, Capability.EXPORT)
    document = _document_of(access, document_id)
    if not requests.retry(document):
        notice = _("Only a failed document, or one stuck past its time limit, can be tried again.")
    elif document.waiting_for_broker:
        notice = WAITING_FOR_BROKER
    else:
        notice = _("Queued again.")
    if _is_htmx(request):
        return _documents_partial(request, access, notice=notice, highlighted=document.id)
    messages.info(request, notice)
    return redirect("disclosure:overview", pk=pk)


def _verify_view_rate(group, request):
    return settings.DISCLOSURE_VERIFY_RATE_VIEW


def _verify_upload_rate(group, request):
    return settings.DISCLOSURE_VERIFY_RATE_UPLOAD


def _sha256_of(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@require_http_methods(["GET", "POST"])
@ratelimit(group="disclosure-verify-view", key="ip", rate=_verify_view_rate, method="GET", block=False)
@ratelimit(group="disclosure-verify-upload", key="ip", rate=_verify_upload_rate, method="POST", block=False)
def verify(request, document_id):
    """Public: what an issued document states, and whether an uploaded PDF is exactly that document."""
    if getattr(request, "limited", False):
        return render(request, "disclosure/verify.html", {"limited": True}, status=429)
    document = get_object_or_404(
        DisclosureDocument.objects.select_related(
            "edition__superseded_by", "edition__previous", "edition__sign_off__signed_off_by"
        ).defer("data", "edition__snapshot"),
        id=document_id,
    )
    ready = document.status == DocumentStatus.READY
    form = VerifyForm()
    outcome = None
    if request.method == "POST" and ready:
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = "identical" if _sha256_of(form.cleaned_data["pdf"]) == document.sha256 else "not_identical"
    return render(
        request,
        "disclosure/verify.html",
        {
            "document": document,
            "ready": ready,
            "form": form,
            "outcome": outcome,
            "checked_at": timezone.now() if outcome else None,
            "verification": verification.verify(document),
            "changes": labels.change_lines(document.edition.changes) if document.edition else None,
            "blockers": labels.blocker_labels(document.edition.blockers) if document.edition else [],
        },
    )
