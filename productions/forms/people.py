"""Forms for the people of a production; the services do the writing."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from productions.models import Person
from productions.services import PERSON_FIELDS
from productions.vocabularies import Union


class ServiceErrorsMixin:
    """For a form whose data feeds a service: shows the service's refusals next to the fields they concern."""

    def add_service_error(self, error: ValidationError):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            # A service may object to a value this form does not edit; it is still said.
            self.add_error(name if name in self.fields else None, messages)


class PersonForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "role", "union", "union_other", "representative_contact", "deceased"]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("union") == Union.OTHER and not cleaned_data.get("union_other"):
            self.add_error("union_other", _("Name the union."))
        return cleaned_data

    def person_fields(self):
        """The cleaned values, as the services take them."""
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}
