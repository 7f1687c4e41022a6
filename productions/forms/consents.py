"""Forms for consents and their legal review; the services do the writing."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from productions.consent_status import ConsentStatus
from productions.forms.people import ServiceErrorsMixin
from productions.models import Consent
from productions.services import CONSENT_TERMS
from productions.vocabularies import ConsentMedium, CoverageDecisionKind

# What the file picker offers; the service decides by the file's first bytes, not by this.
DOCUMENT_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def _date_input():
    # The browser's date picker needs ISO dates whatever the language of the page.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _document_field():
    return forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        help_text=_("PDF, JPEG or PNG, up to %(limit)s. Only members of the production can download it.")
        % {"limit": filesizeformat(settings.CONSENT_DOCUMENT_MAX_BYTES)},
    )


class ConsentForm(ServiceErrorsMixin, forms.ModelForm):
    """The terms of a consent and, optionally, its signed document in the same submission."""

    class Meta:
        model = Consent
        # Exactly services.CONSENT_TERMS (a test holds them equal), in the order of the page.
        fields = [
            "kind",
            "scope_description",
            "separately_signed",
            "scope_shots",
            "covers_likeness",
            "covers_voice",
            "media",
            "media_notes",
            "territory",
            "term_starts_on",
            "expires_on",
            "signed_on",
            "scan_notice_on",
            "scan_on",
            "compensation",
            "scan_business_reason",
            "data_retention",
            "data_deletion_on",
            "training_permission",
            "third_party_licensing",
            "performer_is_minor",
            "guardian",
            "gdpr_explicit_consent",
            "dpia_reference",
            "intimate_imagery_consent",
            "intimate_imagery_description",
            "post_mortem_authority",
        ]
        widgets = {
            "signed_on": _date_input(),
            "scan_notice_on": _date_input(),
            "scan_on": _date_input(),
            "term_starts_on": _date_input(),
            "expires_on": _date_input(),
            "data_deletion_on": _date_input(),
            "scope_description": forms.Textarea(attrs={"rows": 4}),
            "scope_shots": forms.Textarea(attrs={"rows": 3}),
            "media": forms.CheckboxSelectMultiple,
            "scan_business_reason": forms.Textarea(attrs={"rows": 2}),
            "data_retention": forms.Textarea(attrs={"rows": 2}),
            "intimate_imagery_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here so the size limit follows the settings in force.
        self.fields["document"] = _document_field()
        if self.instance.pk:
            # The version this form was opened on: saving it over a newer one is refused, not overwritten.
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, initial=self.instance.version
            )

    def clean_media(self):
        # In the vocabulary's order, whatever order the browser sent.
        chosen = set(self.cleaned_data["media"])
        return [code for code in ConsentMedium.values if code in chosen]

    def consent_terms(self):
        """The cleaned terms, as the services take them."""
        return {name: self.cleaned_data[name] for name in CONSENT_TERMS}

    def edited_version(self):
        """The version of the consent the terms were edited on (None for a new consent)."""
        return self.cleaned_data.get("version")


class ConsentDocumentForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"] = _document_field()
        self.fields["document"].required = True


class ReviewReasonForm(ServiceErrorsMixin, forms.Form):
    """Why legal rejects a consent or asks for changes: the producer needs to know what to fix."""

    review_reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the producer with the decision."),
    )


class ApprovalForm(ServiceErrorsMixin, forms.Form):
    """Legal's approval; a consent not signed on its own needs the reason it can be approved all the same (the
    service decides whether it does)."""

    not_separately_signed_reason = forms.CharField(
        label=_("Why it can be approved all the same"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "This consent was not signed on its own, apart from the contract (SAG-AFTRA asks that it be). The reason"
            " is kept with the approval."
        ),
    )


class RevocationForm(ServiceErrorsMixin, forms.Form):
    """A withdrawal of consent: its date, why, and the person's written withdrawal when there is one."""

    revoked_on = forms.DateField(
        label=_("Withdrawn on"),
        widget=_date_input(),
        help_text=_("The date the person withdrew their consent (GDPR Art. 7(3))."),
    )
    revocation_reason = forms.CharField(
        label=_("Why it was withdrawn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As the person or their representative said it; kept with the consent."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawal_document"] = _document_field()
        self.fields["withdrawal_document"].label = _("Written withdrawal")
        self.fields["withdrawal_document"].help_text = _(
            "The person's letter or e-mail, when there is one: PDF, JPEG or PNG, up to %(limit)s. Only members of"
            " the production can download it."
        ) % {"limit": filesizeformat(settings.CONSENT_DOCUMENT_MAX_BYTES)}


class CoverageForm(ServiceErrorsMixin, forms.Form):
    """Legal's decision that a consent covers, or does not cover, the uses ticked (which must rely on it)."""

    uses = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("AI uses"),
        error_messages={
            "required": _("Tick the uses the decision is about."),
            "invalid_choice": _("AI use %(value)s is not part of this production: nothing was decided."),
            "invalid_pk_value": _("“%(pk)s” is not an AI use: nothing was decided."),
        },
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=CoverageDecisionKind.choices, widget=forms.RadioSelect, initial=None
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the consent does not cover the uses: the producer needs to know why."),
    )

    def __init__(self, *args, ai_uses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uses"].queryset = ai_uses


class LinkUsesForm(forms.Form):
    """Uses depicting the person that should rely on this consent too."""

    uses = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Tick the uses to link."),
            "invalid_choice": _("AI use %(value)s does not depict this person: nothing was linked."),
            "invalid_pk_value": _("“%(pk)s” is not an AI use: nothing was linked."),
        },
    )

    def __init__(self, *args, ai_uses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uses"].queryset = ai_uses


class ReviewAssignmentForm(ServiceErrorsMixin, forms.Form):
    """Who reviews a consent, by when: a legal member of its production, or nobody."""

    review_assignee = forms.ModelChoiceField(
        label=_("Reviewer"), queryset=None, required=False, empty_label=_("Nobody yet")
    )
    review_due_on = forms.DateField(label=_("Review due on"), required=False, widget=_date_input())

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_assignee"].queryset = reviewers


class ReviewQueueFilterForm(forms.Form):
    """The review queue's filters and order, from the query string."""

    SORTS = {
        "due": _("Due date"),
        "submitted": _("Submitted, oldest first"),
        "production": _("Production"),
    }
    ASSIGNED = {"": _("Anyone or nobody"), "me": _("Me"), "nobody": _("Nobody yet")}

    assigned = forms.ChoiceField(label=_("Assigned to"), choices=list(ASSIGNED.items()), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    production = forms.TypedChoiceField(label=_("Production"), coerce=int, required=False, empty_value=None)
    sort = forms.ChoiceField(label=_("Sort by"), choices=list(SORTS.items()), required=False)

    def __init__(self, *args, productions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["production"].choices = [("", _("All")), *((p.pk, p.title) for p in productions)]


# How one consent reads on its own, wherever it is listed: never “Approved” once it has expired or been revoked.
STANDING_LABELS = {
    ConsentStatus.COVERED: _("Approved, valid"),
    ConsentStatus.NOT_SEPARATELY_SIGNED: _("Approved, not separately signed"),
    ConsentStatus.EXPIRED: _("Expired"),
    ConsentStatus.REVOKED: _("Revoked"),
    ConsentStatus.MISSING: _("Rejected"),
}


def standing_label(consent, on=None):
    """The label of what a consent is worth on a date (today by default); a pending one says where its review is."""
    standing = consent.standing(on)
    if standing == ConsentStatus.PENDING_REVIEW:
        return consent.get_review_state_display()
    return STANDING_LABELS[standing]
