"""An organisation's name and policy, its members' roles, and invitations to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from productions.models import Organisation
from productions.vocabularies import OrganisationRole


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "production_creation"]


class NewOrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]
        help_texts = {"name": _("Your studio or production company. You become its owner.")}


class OrganisationInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationRole.choices, initial=OrganisationRole.MEMBER)


class OrganisationRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationRole.choices)
