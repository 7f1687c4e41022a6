"""Forms of the import steps: the upload, and the mapping of file columns to ledger fields.

Neither writes anything: the views hand their data to productions.imports, which validates every
row and writes through one audited, all-or-nothing commit.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from productions import imports, selectors
from productions.models import AIUse
from productions.vocabularies import ImportSource

# The fields a whole file most often lacks, offered as "value for every row" on the mapping page.
FIXABLE_FIELDS = (
    "title", "phase", "department", "tool", "output_type", "digital_source_type", "is_final", "performer_use",
    "deep_fake", "disclosure_method", "inputs_rights", "marking_kept_in_master", "human_contribution",
)  # fmt: skip


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet"))
    source = forms.ChoiceField(label=_("Exported from"), choices=ImportSource.choices, initial=ImportSource.REELPROOF)
    saved_mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=None,
        required=False,
        empty_label=_("The one saved for these columns, if any; else one suggested from the headers"),
        help_text=_("Columns the saved mapping does not know are suggested from their headers."),
    )

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = None
        self.fields["file"].help_text = _("CSV (UTF-8) or XLSX, up to %(size)s and %(rows)s rows.") % {
            "size": filesizeformat(imports.max_bytes()),
            "rows": f"{imports.max_rows():,}",
        }
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"
        self.fields["saved_mapping"].queryset = imports.saved_mappings(production)
        if not self.fields["saved_mapping"].queryset.exists():
            del self.fields["saved_mapping"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.table = imports.read_upload(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("saved_mapping"):
            cleaned["source"] = cleaned["saved_mapping"].source
        return cleaned


class SavedMappingForm(forms.Form):
    """On the mapping step: apply another saved mapping of the production, or none."""

    saved_mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=None,
        required=False,
        empty_label=_("None: suggest one from the column headers"),
    )

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_mapping"].queryset = imports.saved_mappings(production)


def posted_matches(data):
    """{row number: use id or imports.NEW} from the preview's choices (match_<row>=<use id>|new); the plan checks
    each is a use the row matches."""
    matches = {}
    for key, value in data.items():
        number = key.removeprefix("match_")
        if number != key and number.isdigit() and (value == imports.NEW or value.isdigit()):
            matches[int(number)] = value if value == imports.NEW else int(value)
    return matches


def _column_choices():
    choices = [("", _("Ignore this column"))]
    for name in imports.TEMPLATE_COLUMNS:
        label = capfirst(imports.field_label(name))
        if name in imports.REQUIRED_FIELDS:
            label = _("%(field)s (required)") % {"field": label}
        choices.append((name, label))
    return choices


def _fixed_field(name, production):
    if name == "tool":
        field = forms.ModelChoiceField(
            queryset=selectors.tools_for_production(production), required=False, empty_label="—"
        )
    elif name == "is_final":
        field = forms.ChoiceField(choices=[("", "—"), ("yes", _("Final")), ("no", _("Temporary"))], required=False)
    elif name in ("title", "human_contribution"):
        field = forms.CharField(max_length=200 if name == "title" else None, required=False)
    else:
        field = forms.ChoiceField(choices=[("", "—"), *AIUse._meta.get_field(name).choices], required=False)
    field.label = capfirst(imports.field_label(name))
    return field


class MappingForm(forms.Form):
    """A select per file column, values for every row, and an optional name to save the mapping under."""

    save_as = forms.CharField(
        label=_("Save this mapping as"),
        max_length=100,
        required=False,
        help_text=_("To reuse it for the next file of this kind; an existing name is replaced."),
    )

    def __init__(self, *args, table, mapping, fixed, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.production = production
        choices = _column_choices()
        for index, header in enumerate(table.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, "")
            )
        for name in FIXABLE_FIELDS:
            self.fields[f"fixed_{name}"] = _fixed_field(name, production)
            self.fields[f"fixed_{name}"].initial = fixed.get(name, "")
        self.order_fields([*(f"column_{i}" for i in range(len(table.headers))), "save_as"])

    def columns(self):
        """(bound field, header, column letter, sample values) per file column, for the template."""
        return [
            (self[f"column_{index}"], header, imports.column_letter(index), self.table.samples(index))
            for index, header in enumerate(self.table.headers)
        ]

    def fixed_fields(self):
        return [self[f"fixed_{name}"] for name in FIXABLE_FIELDS]

    def mapping(self):
        return {header: self.cleaned_data.get(f"column_{index}", "") for index, header in enumerate(self.table.headers)}

    def fixed(self):
        values = {}
        for name in FIXABLE_FIELDS:
            value = self.cleaned_data.get(f"fixed_{name}")
            if value not in (None, ""):
                values[name] = value.pk if name == "tool" else value
        return values

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            problems = imports.check_mapping(self.table.headers, self.mapping(), self.fixed(), self.production)[0]
            for problem in problems:
                self.add_error(None, str(problem))
        return cleaned
