"""Forms for consents and their legal review; the services do the writing."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from productions.forms.people import ServiceErrorsMixin
from productions.models import Consent
from productions.services import CONSENT_TERMS

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
        fields = [
            "kind",
            "scope_description",
            "separately_signed",
            "signed_on",
            "scan_notice_on",
            "scan_on",
            "expires_on",
            "media",
            "territory",
            "compensation",
            "covers_voice",
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
            "expires_on": _date_input(),
            "scope_description": forms.Textarea(attrs={"rows": 4}),
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


class RevocationForm(ServiceErrorsMixin, forms.Form):
    revoked_on = forms.DateField(
        label=_("Withdrawn on"),
        widget=_date_input(),
        help_text=_("The date the person withdrew their consent (GDPR Art. 7(3))."),
    )
