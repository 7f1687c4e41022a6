"""Naming a view of the ledger, to come back to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from productions.models import SavedView


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=SavedView._meta.get_field("name").max_length)
    # The ledger's query string as it was shown; the service keeps only the ledger's own parameters.
    query = forms.CharField(required=False, widget=forms.HiddenInput)


class RenameSavedViewForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=SavedView._meta.get_field("name").max_length)
