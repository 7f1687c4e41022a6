"""A production's details and its members."""

from django import forms
from django.utils.translation import gettext_lazy as _

from productions.models import Organisation, Production
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
        # The pattern has a fieldset of its own, with its preview (settings/production_form.html).
        fields = [name for _legend, names in PRODUCTION_FIELD_GROUPS for name in names] + ["tracker_id_pattern"]
        widgets = {
            "principal_photography_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "principal_photography_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "eu_release_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "countries": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "countries": _("Selected countries are listed first. Hold Ctrl (Cmd on a Mac) to select several."),
            "tracker_id_pattern": _(
                "Where the episode and the sequence are in your tracker ids, for the ledger's filters and groups: "
                "{episode}, {sequence} and {shot} stand for the parts; a space or any of _ / - . : | between them "
                "matches any separator; other text must be there as written (any case), as in "
                "SHOW_{episode}_{sequence}_{shot} when every id starts with SHOW. Empty: {episode}_{sequence}_{shot} "
                "for a series, {sequence}_{shot} otherwise."
            ),
        }

    def __init__(self, *args, pattern_preview_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pattern_preview_url:
            # Shows, as it is typed, how the pattern reads the production's own tracker ids (htmx).
            self.fields["tracker_id_pattern"].widget.attrs.update(
                {
                    "placeholder": self.instance.id_pattern,
                    "hx-get": pattern_preview_url,
                    "hx-trigger": "input changed delay:400ms, change from:#id_kind",
                    "hx-include": "#id_kind",
                    "hx-target": "#tracker-pattern-preview",
                    "hx-swap": "outerHTML",
                    "aria-describedby": "id_tracker_id_pattern_helptext tracker-pattern-preview",
                }
            )
        # Among some 250 countries the chosen ones would otherwise hide far down the list.
        chosen = set(self["countries"].value() or ())
        countries = self.fields["countries"]
        countries.choices = sorted(countries.choices, key=lambda choice: choice[0] not in chosen)


class InvitationForm(forms.Form):
    """Invite someone to the production by e-mail: nobody's account is looked up, nothing said of whether one exists."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class NewProductionForm(ProductionForm):
    """A new production, started in one of the organisations where the user may start productions."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    field_groups = ((_("Organisation"), ("organisation",)), *PRODUCTION_FIELD_GROUPS)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
