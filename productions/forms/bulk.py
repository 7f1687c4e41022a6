"""The ledger's bulk edit: one change, to the uses ticked or to every use matching the ledger's filters.

The form saves nothing: the preview hands its selection and change to productions.bulk_edit, the apply
to services.bulk_update_ai_uses, with the versions the preview read.
"""

import functools

from django import forms
from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from productions import selectors
from productions.bulk_edit import CHANGE_LABELS, FIELDS, LINK_CHANGES
from productions.filters import AIUseFilter
from productions.forms.ledger import ConsentChoiceField
from productions.vocabularies import DeepFake, Department, DigitalSourceType, DisclosureMethod, OutputType, Phase

SELECTED = "selected"
MATCHING = "matching"
# The form field holding each change's value.
VALUE_FIELDS = {
    **{name: name for name in FIELDS},
    "add_people": "person",
    "remove_people": "person",
    "add_consents": "consent",
    "remove_consents": "consent",
}
_VERSIONS_SALT = "productions.bulk-edit.versions"


def _choices(choices):
    return [("", _("Choose…")), *choices]


class ConsentField(forms.ModelChoiceField):
    label_from_instance = ConsentChoiceField.label_from_instance


def signed_versions(versions):
    """The versions a preview read, for its apply form: signed, so they come back as they were sent."""
    return signing.dumps(sorted(versions.items()), salt=_VERSIONS_SALT, compress=True)


class BulkEditForm(forms.Form):
    """What to change, to what, on which uses."""

    field = forms.ChoiceField(label=_("Change"), choices=_choices(list(CHANGE_LABELS.items())))
    tool = forms.ModelChoiceField(label=_("New tool"), queryset=None, required=False, empty_label=_("No tool named"))
    phase = forms.ChoiceField(label=_("New phase"), choices=_choices(Phase.choices), required=False)
    department = forms.ChoiceField(label=_("New department"), choices=_choices(Department.choices), required=False)
    output_type = forms.ChoiceField(label=_("New output type"), choices=_choices(OutputType.choices), required=False)
    digital_source_type = forms.ChoiceField(
        label=_("New IPTC digital source type"), choices=_choices(DigitalSourceType.choices), required=False
    )
    disclosure_method = forms.ChoiceField(
        label=_("New disclosure method"), choices=_choices(DisclosureMethod.choices), required=False
    )
    is_final = forms.TypedChoiceField(
        label=_("Final or temporary"),
        choices=_choices([("true", _("Final")), ("false", _("Temporary"))]),
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
    )
    deep_fake = forms.ChoiceField(label=_("Deep fake"), choices=_choices(DeepFake.choices), required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False, empty_label=_("Choose…"))
    consent = ConsentField(label=_("Consent"), queryset=None, required=False, empty_label=_("Choose…"))
    scope = forms.ChoiceField(choices=[(SELECTED, SELECTED), (MATCHING, MATCHING)], required=False)
    uses = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _("AI use %(value)s is not part of this production: nothing was changed."),
            "invalid_pk_value": _("“%(pk)s” is not an AI use: nothing was changed."),
        },
    )
    # The ledger's query string: the uses matching it, and the page to come back to.
    filters = forms.CharField(required=False)

    def __init__(self, *args, user, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.production = production
        self.user = user

    @functools.cached_property
    def ai_uses(self):
        return selectors.ai_uses_for(self.user, self.production)

    def _records(self, name):
        """The records the field `name` chooses among, in the order its control lists them."""
        if name == "tool":
            return selectors.tools_for_production(self.production).order_by("vendor", "product")
        if name == "person":
            return selectors.people_for(self.user, self.production).order_by("name")
        if name == "consent":
            return selectors.consents_for(self.user, self.production).order_by("person__name", "kind")
        return self.ai_uses.select_related(None).prefetch_related(None).only("pk")

    def __getitem__(self, name):
        # The fields choosing records get their querysets when first shown or cleaned: the ledger's selection bar
        # shows the change's field alone, on every page.
        field = self.fields.get(name)
        if isinstance(field, forms.ModelChoiceField) and field.queryset is None:
            field.queryset = self._records(name)
        return super().__getitem__(name)

    @property
    def value_field(self):
        """The bound field of the chosen change's value, or None before a change is chosen."""
        name = VALUE_FIELDS.get(self.data.get("field") or self.initial.get("field"))
        return self[name] if name else None

    def add_error(self, field, error):
        super().add_error(field, error)
        # The value's control says it is refused, and where the reason is (templates/…/_bulk_value.html).
        if field in VALUE_FIELDS.values() and field in self.fields:
            self.fields[field].widget.attrs.update({"aria-invalid": "true", "aria-describedby": "bulk-value-error"})

    def clean(self):
        cleaned = super().clean()
        change = cleaned.get("field")
        if change:
            name = VALUE_FIELDS[change]
            # "No tool named" is a value; a control the page did not show (no script) sent nothing.
            if name not in self.data or (name != "tool" and cleaned.get(name) in (None, "")):
                self.add_error(name, _("Choose the new value."))
        if cleaned.get("scope") == MATCHING:
            self.matching = AIUseFilter(self.query, queryset=self.ai_uses, production=self.production)
            if not self.matching.is_valid():
                self.add_error(None, _("The ledger's filters are not valid: correct them, then select again."))
        elif not cleaned.get("uses"):
            self.add_error("uses", _("Select at least one AI use."))
        return cleaned

    @property
    def query(self):
        """The ledger's query string, as a QueryDict."""
        return QueryDict(self.data.get("filters", ""))

    @property
    def matches_filter(self):
        return self.cleaned_data.get("scope") == MATCHING

    def selection(self):
        """The uses to change: those ticked, or every use matching the ledger's filters."""
        if self.matches_filter:
            return self.matching.qs
        return self.cleaned_data["uses"]

    def changes(self):
        """The change, as services.bulk_update_ai_uses takes it."""
        change = self.cleaned_data["field"]
        value = self.cleaned_data[VALUE_FIELDS[change]]
        return {change: [value]} if change in LINK_CHANGES else {change: value}

    def carried(self):
        """(name, value) of what the apply form sends again: the change, its value and the selection."""
        change = self.cleaned_data["field"]
        name = VALUE_FIELDS[change]
        pairs = [("field", change), (name, self.data.get(name, "")), ("filters", self.cleaned_data["filters"])]
        if self.matches_filter:
            return [*pairs, ("scope", MATCHING)]
        return [*pairs, *(("uses", ai_use.pk) for ai_use in self.cleaned_data["uses"])]


class BulkApplyForm(BulkEditForm):
    """The change previewed, with the versions of the uses the preview read."""

    versions = forms.CharField(widget=forms.HiddenInput)

    def clean_versions(self):
        try:
            pairs = signing.loads(self.cleaned_data["versions"], salt=_VERSIONS_SALT)
        except signing.BadSignature as error:
            raise forms.ValidationError(_("This preview cannot be read any more: preview the change again.")) from error
        return {int(pk): int(version) for pk, version in pairs}
