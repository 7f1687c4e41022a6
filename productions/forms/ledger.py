"""Forms of the AI-use ledger: recording one use (bulk edits: productions.forms.bulk).

The form saves nothing: views hand the cleaned data to productions.services, which
check the role, validate and audit, and map the services' refusals back onto the form.
"""

from typing import NamedTuple

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from productions import selectors
from productions.forms.consents import standing_label
from productions.models import AIUse
from productions.vocabularies import Department, Phase, PublishedIn


class Fieldset(NamedTuple):
    legend: str
    names: list
    help: str = ""


# Grouped the way a producer thinks about a use, from what it is to what it touches.
FIELDSETS = [
    Fieldset(_("What"), ["title", "description", "output_type", "digital_source_type", "is_final"]),
    Fieldset(
        _("Where in the film"),
        ["phase", "department", "shots", "timecode_in", "timecode_out", "frame_in", "frame_out", "external_id"],
    ),
    Fieldset(_("When"), ["used_from", "used_until"]),
    Fieldset(_("Tool"), ["tool"]),
    Fieldset(
        _("Who is depicted"),
        ["performer_use", "people", "consents"],
        _("Only this production's people and consents are listed; record new ones under “People and consents”."),
    ),
    Fieldset(
        _("Disclosure"),
        [
            "deep_fake",
            "disclosure_method",
            "published_in",
            "marking_kept_in_master",
            "public_interest_text",
            "human_editorial_responsibility",
            "handed_to_writers",
            "writers_informed",
            "human_contribution",
        ],
    ),
    Fieldset(
        _("Data and rights"),
        [
            "inputs_description",
            "inputs_rights",
            "biometric_data",
            "emotion_recognition",
            "purpose",
            "biometric_categorisation",
            "sensitive_traits_inferred",
            "untargeted_face_scraping",
            "intimate_imagery",
            "people_informed",
            "screens_casting_or_hiring",
        ],
    ),
]

# The department that usually does the work of a phase, suggested when only the phase is given.
USUAL_DEPARTMENT = {
    Phase.DEVELOPMENT: Department.WRITING,
    Phase.PRE_PRODUCTION: Department.DIRECTION,
    Phase.SET_DESIGN: Department.ART,
    Phase.CASTING: Department.CASTING,
    Phase.ON_SET: Department.CAMERA,
    Phase.VFX: Department.VFX,
    Phase.POST_PICTURE: Department.EDITORIAL,
    Phase.SOUND_MUSIC: Department.SOUND,
    Phase.VOICE_DUBBING: Department.LOCALISATION,
    Phase.SUBTITLES_ACCESSIBILITY: Department.ACCESSIBILITY,
    Phase.RESTORATION: Department.ARCHIVE,
    Phase.MARKETING: Department.MARKETING,
}

# Work from these phases rarely reaches the delivered film (storyboards, previs, script notes).
# Elsewhere a new use starts as final: counting a use in the statement by mistake is the safer error.
TEMPORARY_BY_DEFAULT = {Phase.DEVELOPMENT, Phase.PRE_PRODUCTION}

# What ?phase=...&department=...&tool=...&is_final=... may preselect on a new use.
PRESELECTABLE = ("phase", "department", "tool", "is_final")


def initial_for_new_use(query):
    """Initial values of a new use from the query string, completed with the usual defaults."""
    initial = {name: query[name] for name in PRESELECTABLE if query.get(name)}
    phase = initial.get("phase")
    if phase in Phase.values:
        initial.setdefault("department", USUAL_DEPARTMENT[phase])
    if "is_final" in initial:
        initial["is_final"] = initial["is_final"] in ("true", "True", "1", "on")
    else:
        initial["is_final"] = phase not in TEMPORARY_BY_DEFAULT
    return initial


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, messages)


class ConsentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, consent):
        # What the consent is worth today: “Expired” or “Revoked”, never the “Approved” it once was.
        return _("%(person)s: %(kind)s (%(state)s)") % {
            "person": consent.person.name,
            "kind": consent.get_kind_display(),
            "state": standing_label(consent),
        }


class AIUseForm(forms.ModelForm):
    """One AI use, with choices limited to the production's people and consents."""

    class Meta:
        model = AIUse
        fields = [name for fieldset in FIELDSETS for name in fieldset.names]
        field_classes = {"consents": ConsentChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "shots": forms.Textarea(attrs={"rows": 2}),
            "human_contribution": forms.Textarea(attrs={"rows": 3}),
            "inputs_description": forms.Textarea(attrs={"rows": 2}),
            "timecode_in": forms.TextInput(attrs={"placeholder": "01:02:03:04", "inputmode": "numeric"}),
            "timecode_out": forms.TextInput(attrs={"placeholder": "01:02:03:04", "inputmode": "numeric"}),
            "used_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "used_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "published_in": forms.CheckboxSelectMultiple,
            "people": forms.CheckboxSelectMultiple,
            "consents": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.production = production
        if not self.is_bound:
            # On a form with errors, the error summary (role="alert") is read out first instead.
            self.fields["title"].widget.attrs["autofocus"] = True
        self.fields["tool"].queryset = selectors.tools_for_production(production)
        self.fields["tool"].empty_label = _("No tool named yet")
        self.fields["people"].queryset = selectors.people_for(user, production).order_by("name")
        self.fields["consents"].queryset = selectors.consents_for(user, production)
        self._ai_uses = selectors.ai_uses_for(user, production)
        if self.instance.pk:
            # The version this form was opened on: saving it over a newer one is refused, not overwritten.
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, initial=self.instance.version
            )

    def clean_external_id(self):
        external_id = self.cleaned_data["external_id"].strip()
        taken = selectors.tracker_id_taken(self._ai_uses, external_id, self.instance.pk)
        if taken:
            raise forms.ValidationError(taken)
        return external_id

    def clean_published_in(self):
        # In the vocabulary's order, as the API and imports write it, whatever order the browser sent.
        chosen = set(self.cleaned_data["published_in"])
        return [code for code in PublishedIn.values if code in chosen]

    def fieldsets(self):
        """FIELDSETS with bound fields in place of field names, for the template."""
        return [fieldset._replace(names=[self[name] for name in fieldset.names]) for fieldset in FIELDSETS]

    def service_fields(self):
        """The cleaned data as keyword arguments of services.create_ai_use and update_ai_use."""
        return dict(self.cleaned_data)
