"""A production's details and its members."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from productions.models import Production
from productions.vocabularies import Role


class GroupedFieldsMixin:
    """Renders a form as fieldsets: `field_groups` is a sequence of (legend, field names)."""

    field_groups = ()

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.field_groups]


PRODUCTION_FIELD_GROUPS = (
    (
        _("The production"),
        ("title", "original_title", "kind", "production_company", "company_size", "countries", "year"),
    ),
    (_("Dates"), ("principal_photography_start", "principal_photography_end", "eu_release_date")),
    (_("Human authorship"), ("screenplay_credit", "screenplay_human_authored", "performances_by_humans")),
    (_("Disclosure"), ("cut", "contact_point", "signatory", "evidently_artistic")),
)


class ProductionForm(GroupedFieldsMixin, forms.ModelForm):
    field_groups = PRODUCTION_FIELD_GROUPS

    class Meta:
        model = Production
        fields = [name for _legend, names in PRODUCTION_FIELD_GROUPS for name in names]
        widgets = {
            "principal_photography_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "principal_photography_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "eu_release_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "countries": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "countries": _("Selected countries are listed first. Hold Ctrl (Cmd on a Mac) to select several.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Among some 250 countries the chosen ones would otherwise hide far down the list.
        chosen = set(self["countries"].value() or ())
        countries = self.fields["countries"]
        countries.choices = sorted(countries.choices, key=lambda choice: choice[0] not in chosen)


class MemberAddForm(forms.Form):
    user = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        help_text=_("Of someone who already has an account."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)

    def clean_user(self):
        identifier = self.cleaned_data["user"]
        accounts = list(
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(username=identifier) | Q(email__iexact=identifier))[:3]
        )
        by_username = [account for account in accounts if account.username == identifier]
        if by_username:
            return by_username[0]
        if not accounts:
            raise ValidationError(_("No account has this username or e-mail address."))
        if len(accounts) > 1:
            raise ValidationError(_("Several accounts use this e-mail address: enter the username instead."))
        return accounts[0]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
