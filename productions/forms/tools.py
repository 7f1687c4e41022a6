"""The shared AI tool catalogue: the entry form, its filters, and the legal basis of each fact."""

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from productions.forms.production import GroupedFieldsMixin
from productions.models import AITool
from productions.vocabularies import OperatorRole, OutputMarking, ToolKind, ToolPolicyStatus, TrainingDataProvenance

# The form's fieldsets and the detail page's sections: one grouping for both.
TOOL_FIELD_GROUPS = (
    (_("The tool"), ("vendor", "product", "model_name", "model_version", "kind")),
    (_("AI Act"), ("general_purpose_model", "our_role", "output_marking", "on_market_since")),
    (_("Data terms"), ("vendor_trains_on_inputs", "vendor_retains_inputs", "honours_tdm_opt_out")),
    (
        _("Training data"),
        ("training_data_provenance", "training_data_notes", "training_content_summary_url", "copyright_policy_url"),
    ),
)

# The legal basis of the facts that have one (domain.md §2, AI tool); the others are our own record.
LEGAL_BASIS = {
    "general_purpose_model": _("AI Act Art. 3(63), 53"),
    "our_role": _("AI Act Art. 3(3)-(4)"),
    "output_marking": _("AI Act Art. 50(2)"),
    "on_market_since": _("AI Act Art. 111(3)-(4)"),
    "honours_tdm_opt_out": _("DSM Directive Art. 4(3); AI Act Art. 53(1)(c)"),
    "training_content_summary_url": _("AI Act Art. 53(1)(d)"),
    "copyright_policy_url": _("AI Act Art. 53(1)(c)"),
}


def _tool_formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        # Providers publish their documents over HTTPS: a pasted bare domain becomes https://.
        kwargs["assume_scheme"] = "https"
    if isinstance(db_field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return db_field.formfield(**kwargs)


class ToolForm(GroupedFieldsMixin, forms.ModelForm):
    """A tool's facts, with why they change; on creation, where the tool goes (the shared catalogue or an organisation).

    `organisations`: the organisations the user may add private tools to; `shared`: whether they curate.
    """

    field_groups = TOOL_FIELD_GROUPS
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for the shared catalogue: a source others can check. Kept in the tool's history."),
    )

    def __init__(self, *args, organisations=None, shared=True, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Where"),
                queryset=organisations,
                required=not shared,
                empty_label=_("The shared catalogue") if shared else None,
                help_text=_("A private tool is seen and used by your organisation's productions only."),
            )

    def fieldsets(self):
        extra = [name for name in ("organisation", "reason") if name in self.fields]
        return [*super().fieldsets(), (_("This change"), [self[name] for name in extra])]

    def clean(self):
        cleaned = super().clean()
        if "organisation" in self.fields:
            # Checked for duplicates where it goes: a private tool may share a name with a shared entry.
            self.instance.organisation = cleaned.get("organisation")
        return cleaned

    def tool_fields(self):
        return {name: value for name, value in self.cleaned_data.items() if name not in ("organisation", "reason")}

    class Meta:
        model = AITool
        fields = [name for _legend, names in TOOL_FIELD_GROUPS for name in names]
        formfield_callback = _tool_formfield
        widgets = {"training_data_notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "training_data_provenance": _("Tick every source the vendor names; Undisclosed when it names none."),
        }
        error_messages = {
            "training_data_provenance": {"required": _("Tick at least one: Undisclosed when the vendor says nothing.")},
            NON_FIELD_ERRORS: {
                "unique_together": _(
                    "This vendor, product, model and version are already in the catalogue: edit that entry instead."
                )
            },
        }


class ToolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Vendor, product or model")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ToolKind.choices, empty_label=_("Any"))
    provenance = django_filters.ChoiceFilter(
        label=_("Training data"),
        choices=TrainingDataProvenance.choices,
        empty_label=_("Any"),
        method="with_provenance",
    )
    output_marking = django_filters.ChoiceFilter(
        label=_("Output marking"), choices=OutputMarking.choices, empty_label=_("Any")
    )
    our_role = django_filters.ChoiceFilter(label=_("Our role"), choices=OperatorRole.choices, empty_label=_("Any"))

    class Meta:
        model = AITool
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(vendor__icontains=word)
                | Q(product__icontains=word)
                | Q(model_name__icontains=word)
                | Q(model_version__icontains=word)
            )
        return queryset

    def with_provenance(self, queryset, name, value):
        # A MultiSelectField stores its choices as one comma-separated string: match whole items only.
        return queryset.filter(
            Q(training_data_provenance=value)
            | Q(training_data_provenance__startswith=f"{value},")
            | Q(training_data_provenance__endswith=f",{value}")
            | Q(training_data_provenance__contains=f",{value},")
        )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note for the proposer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ToolPolicyForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    status = forms.ChoiceField(
        label=_("Policy"), choices=[("", _("No policy")), *ToolPolicyStatus.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
