"""The form that names a new API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from productions.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": _("Token name")}
