"""Disclosure pages: the documents of a production, the statement preview, downloads, and public verification.

Production pages check the role through `production_access` (404 for non-members, 403 without the
capability). Rendering never happens here: a request queues a job and returns at once; the list of
documents polls itself with htmx while a job is under way.
"""

import base64
import hashlib
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from disclosure import signing
from disclosure.documents import building, jobs, requests
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus
from disclosure.statement import build_statement
from productions.roles import Capability
from productions.views.access import production_access

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
        .select_related("requested_by", "superseded_by")
        .defer("data")
        .order_by("-requested_at")[:LISTED_DOCUMENTS]
    )
    for document in listed:
        document.may_retry = requests.may_retry(document)
    return {
        **access.context(),
        "documents": listed,
        "polling": any(document.status in jobs.IN_FLIGHT for document in listed),
        **extra,
    }


def _documents_partial(request, access, **extra):
    return render(request, "disclosure/_documents.html", _documents_context(access, **extra))


@require_GET
@login_required
def overview(request, pk):
    access = production_access(request, pk, Capability.READ)
    form = DocumentRequestForm(
        initial={
            "kind": DocumentKind.STATEMENT,
            "language": _language(get_language()),
            "assessment_date": building.default_assessment_date(access.production),
        }
    )
    return render(request, "disclosure/overview.html", {**_documents_context(access), "form": form})


@require_GET
@login_required
def statement(request, pk):
    access = production_access(request, pk, Capability.READ)
    production = access.production
    asked = request.GET.get("on", "")
    on = _parse_date(asked)
    if asked and on is None:
        messages.error(request, _("That is not a date; the statement below is as of its default date."))
    on = on or building.default_assessment_date(production)
    language = _language(request.GET.get("lang", ""))
    return render(
        request,
        "disclosure/statement_page.html",
        {
            **access.context(),
            "statement": build_statement(production, on=on),
            "on": on,
            "statement_language": language,
            "languages": settings.LANGUAGES,
        },
    )


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
    filename = "-".join(
        part
        for part in (
            slugify(document.production_title)[:60] or "production",
            document.kind,
            document.language,
            document.assessment_date.isoformat(),
        )
        if part
    )
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=f"{filename}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # RFC 9530: lets a client check what it received against the hash on the verification page.
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(document.sha256)).decode()}:"
    return response


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
        DisclosureDocument.objects.select_related("superseded_by").defer("data"), id=document_id
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
            "signature": signing.check_document(document) if ready else None,
        },
    )
