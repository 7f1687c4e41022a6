"""The ledger's cells edited in place: which fields, what their editors offer, and one cell's value checked.

A cell is checked with the same form field as on the full form; the service then validates the whole use.
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from productions import selectors
from productions.forms.ledger import AIUseForm
from productions.models import AIUse

# The columns edited in place, with their headers, in the table's order.
EDITABLE = {
    "external_id": _("Tracker id"),
    "title": _("Title"),
    "phase": _("Phase"),
    "department": _("Department"),
    "tool": _("Tool"),
    "output_type": _("Output type"),
    "digital_source_type": _("Source type"),
    "is_final": _("Final"),
    "deep_fake": _("Deep fake"),
    "disclosure_method": _("Disclosure"),
}
# Typed into: an input, which a printable key opens. The others choose from a list.
TYPED = ("external_id", "title")
# "final" or "temporary", as the column says it.
FINAL_CHOICES = [("true", _("Final")), ("false", _("Temporary"))]


def choices(name):
    """The (value, label) pairs a list editor offers; the tools come from `tool_choices`."""
    if name == "is_final":
        return FINAL_CHOICES
    return AIUse._meta.get_field(name).choices


def tool_choices(production):
    """The tools a use of the production may name, with "none" first."""
    tools = selectors.tools_for_production(production).order_by("vendor", "product", "model_name", "model_version")
    return [("", _("No tool named yet")), *((str(tool.pk), str(tool)) for tool in tools)]


def raw_value(ai_use, name):
    """The value an editor starts from, as the form sends it back."""
    if name == "tool":
        return str(ai_use.tool_id or "")
    if name == "is_final":
        return "true" if ai_use.is_final else "false"
    return getattr(ai_use, name)


class CellForm(forms.Form):
    """One cell's new value and the version of the use it was edited on."""

    version = forms.IntegerField(min_value=1)

    def __init__(self, *args, field, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_name = field
        # The full form's field: the same choices, limits and messages as there.
        value = copy.deepcopy(AIUseForm.base_fields[field])
        if field == "tool":
            value.queryset = selectors.tools_for_production(production)
        self.fields["value"] = value

    def change(self):
        """The field to write, for services.update_ai_use."""
        return {self.field_name: self.cleaned_data["value"]}
