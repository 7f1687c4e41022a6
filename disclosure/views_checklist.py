"""The checklist page: a production's checklist on an assessment date, and legal's attestations.

Every member reads it; only legal attests. The document part is the template the PDF renders too, but the
page names only the first records of each item, with their count and a link to the paginated list of all of
them, and it reads the checklist from the page cache (disclosure.documents.page_cache).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from disclosure import services
from disclosure.checklist import RULES_BY_ID, Checklist, ItemResult
from disclosure.documents import building, page_cache
from disclosure.models import ChecklistAttestation, ItemStatus
from productions.access import production_access
from productions.roles import Capability

ITEM_ACTIONS_TEMPLATE = "disclosure/checklist_attestation_form.html"


class AssessmentDateForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("Assessment date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD, for example 2026-08-02.")},
    )


class AttestationForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Attested status"), choices=ItemStatus.choices)
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required: what you checked and why you attest this status."),
    )


# Record pages are built by the productions app; a page that does not exist yet shows its record unlinked.
RECORD_PAGES = {
    "ai_use": "productions:ai-use-detail",
    "consent": "productions:consent-detail",
    "person": "productions:person-detail",
    "tool": "productions:tool-detail",
}


def record_url(production, record):
    name = RECORD_PAGES.get(record["type"])
    if name is None:
        return None
    # Tools belong to the shared catalogue: their page takes the tool's id alone.
    candidates = [[record["id"]]] if record["type"] == "tool" else [[production.pk, record["id"]], [record["id"]]]
    for args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


# What the list of an item's records calls each kind (the document template says the same).
RECORD_TYPE_LABELS = {
    "ai_use": gettext_lazy("AI use"),
    "tool": gettext_lazy("Tool"),
    "person": gettext_lazy("Person"),
    "consent": gettext_lazy("Consent"),
    "literacy_measure": gettext_lazy("Literacy measure"),
}

# The page names the first records of each item and links to the paginated list of all of them.
RECORDS_SHOWN = page_cache.SHOWN
RECORDS_PER_PAGE = 50


def _linked(production, records):
    """The document template links a record that has a `url`; the PDF's records have none."""
    return [{**record, "url": record_url(production, record)} for record in records]


def _records_url(pk, on, item_id):
    return reverse("disclosure:checklist-records", args=[pk, item_id]) + "?" + urlencode({"on": on.isoformat()})


def _attestations(production):
    return {
        attestation.item_id: attestation
        for attestation in ChecklistAttestation.objects.filter(production=production).select_related("attested_by")
    }


def _page_checklist(production, on):
    """The checklist the page shows, from the cached data: each item with its first records and their count."""
    data = page_cache.checklist_summary(production, on)
    attestations = _attestations(production)
    items = []
    for item in data["items"]:
        result = ItemResult(
            rule=RULES_BY_ID[item["id"]],
            status=ItemStatus(item["status"]),
            explanation=item["explanation"],
            records=_linked(production, item["records"][:RECORDS_SHOWN]),
            attestation=attestations.get(item["id"]),
            in_force=item["in_force"],
            legal_basis=item["legal_basis"],
            penalty=item["penalty"],
        )
        result.record_count = item["record_count"]
        if result.record_count > RECORDS_SHOWN:
            result.all_records_url = _records_url(production.pk, on, item["id"])
        items.append(result)
    return Checklist(production=production, assessed_on=on, items=items, summary=data["summary"])


def _checklist_url(pk, on=None, item_id=None):
    url = reverse("disclosure:checklist", args=[pk])
    if on:
        url += "?" + urlencode({"on": on.isoformat()})
    return url + (f"#item-{item_id}" if item_id else "")


def _assessment_date(data):
    form = AssessmentDateForm(data)
    return form.cleaned_data["on"] if form.is_valid() else None


def _render_page(request, access, date_form, on=None, bound_form=None, bound_item=None):
    checklist = _page_checklist(access.production, on or building.default_assessment_date(access.production))
    if not date_form.is_bound or not date_form.errors:
        date_form = AssessmentDateForm(initial={"on": checklist.assessed_on})
    may_attest = access.can(Capability.ATTEST_CHECKLIST)
    if may_attest:
        for item in checklist.items:
            current = item.attestation
            item.attest_form = (
                bound_form
                if item.rule.id == bound_item
                else AttestationForm(
                    prefix=item.rule.id,
                    initial={"status": current.status, "comment": current.comment} if current else {},
                )
            )
    context = {
        **access.context(),
        "checklist": checklist,
        "date_form": date_form,
        "item_actions": ITEM_ACTIONS_TEMPLATE if may_attest else None,
    }
    return render(request, "disclosure/checklist_page.html", context)


@require_GET
@login_required
def checklist_page(request, pk):
    access = production_access(request, pk)
    date_form = AssessmentDateForm(request.GET if request.GET.get("on") else None)
    on = date_form.cleaned_data["on"] if date_form.is_bound and date_form.is_valid() else None
    return _render_page(request, access, date_form, on=on)


@require_GET
@login_required
def checklist_records(request, pk, item_id):
    """Every record an item's finding names, a page at a time: the checklist page shows the first few."""
    access = production_access(request, pk)
    checklist_rule = _rule_or_404(item_id)
    production = access.production
    on = _assessment_date(request.GET) or building.default_assessment_date(production)
    found = page_cache.checklist_records(production, on, item_id)
    if found is None:
        raise Http404(_("No such checklist item."))
    item, records = found
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **access.context(),
        "rule": checklist_rule,
        "item": item,
        "status": ItemStatus(item["status"]),
        "on": on,
        "page": page,
        "records": [
            {**record, "type_label": RECORD_TYPE_LABELS[record["type"]]}
            for record in _linked(production, page.object_list)
        ],
        "checklist_url": _checklist_url(pk, on, item_id),
        "query": urlencode({"on": on.isoformat()}),
    }
    return render(request, "disclosure/checklist_records.html", context)


def _rule_or_404(item_id):
    if item_id not in RULES_BY_ID:
        raise Http404(_("No such checklist item."))
    return RULES_BY_ID[item_id]


def _add_service_errors(form, error):
    for field_name, field_errors in error.update_error_dict({}).items():
        form.add_error(field_name if field_name in form.fields else None, field_errors)


@require_POST
@login_required
def attest(request, pk, item_id):
    access = production_access(request, pk, Capability.ATTEST_CHECKLIST)
    checklist_rule = _rule_or_404(item_id)
    on = _assessment_date(request.POST)
    form = AttestationForm(request.POST, prefix=item_id)
    if form.is_valid():
        try:
            services.attest_item(
                actor=request.user,
                production=access.production,
                item_id=item_id,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Attestation saved: %(item)s.") % {"item": checklist_rule.title})
            return redirect(_checklist_url(pk, on, item_id))
    messages.error(request, _("The attestation was not saved: see the item below."))
    return _render_page(request, access, AssessmentDateForm(), on=on, bound_form=form, bound_item=item_id)


@require_POST
@login_required
def withdraw(request, pk, item_id):
    access = production_access(request, pk, Capability.ATTEST_CHECKLIST)
    checklist_rule = _rule_or_404(item_id)
    on = _assessment_date(request.POST)
    try:
        services.withdraw_attestation(actor=request.user, production=access.production, item_id=item_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Attestation withdrawn: %(item)s.") % {"item": checklist_rule.title})
    return redirect(_checklist_url(pk, on, item_id))


urlpatterns = [
    path("productions/<int:pk>/disclosure/checklist/", checklist_page, name="checklist"),
    path(
        "productions/<int:pk>/disclosure/checklist/<slug:item_id>/records/",
        checklist_records,
        name="checklist-records",
    ),
    path("productions/<int:pk>/disclosure/checklist/<slug:item_id>/attest/", attest, name="checklist-attest"),
    path("productions/<int:pk>/disclosure/checklist/<slug:item_id>/withdraw/", withdraw, name="checklist-withdraw"),
]
