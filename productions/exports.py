"""The ledger as CSV or XLSX, in our template's columns: an export imports back changing nothing.

Written with tablib. Values are codes (phase "vfx", not its label; several joined by "; "), "yes"/"no" and
ISO dates, so a file reads the same in every language; the template guide (a second sheet, or a page for
CSV) explains them. Every text cell a spreadsheet would run as a formula is neutralised (imports.neutralise).
"""

import datetime

import tablib
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from productions.consent_status import consent_status
from productions.imports import (
    EXPORT_ONLY_COLUMNS,
    REQUIRED_FIELDS,
    TEMPLATE_COLUMNS,
    accepted_values,
    neutralise,
)
from productions.models import AIUse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADERS = (*TEMPLATE_COLUMNS, *EXPORT_ONLY_COLUMNS)


def _value(ai_use, name):
    if name == "id":
        return ai_use.pk
    if name == "tool":
        return str(ai_use.tool) if ai_use.tool_id else ""
    value = getattr(ai_use, name)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()  # text, so a spreadsheet shows the date as imports read it
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else value


def _cell(value, file_format="csv"):
    if not isinstance(value, str):
        return value
    if file_format == "xlsx":
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold; CSV keeps them
    return neutralise(value)


def ledger_dataset(ai_uses, file_format="csv"):
    """One row per use; pass a queryset from selectors.ai_uses_for (tool, people and consents loaded)."""
    today = timezone.localdate()
    dataset = tablib.Dataset(headers=list(HEADERS), title="AI uses")
    for ai_use in ai_uses:
        row = [_value(ai_use, name) for name in TEMPLATE_COLUMNS]
        row.append("; ".join(person.name for person in ai_use.people.all()))
        row.append(consent_status(ai_use, today).value)
        dataset.append([_cell(value, file_format) for value in row])
    return dataset


def render(dataset_or_book, file_format):
    """Bytes of a Dataset (or, for XLSX, a Databook) in `file_format`: "csv" or "xlsx"."""
    if file_format == "csv":
        # With a byte-order mark Excel opens UTF-8 as UTF-8; imports read it either way.
        return dataset_or_book.export("csv").encode("utf-8-sig")
    return dataset_or_book.export("xlsx")


def export_ai_uses(ai_uses, file_format):
    return render(ledger_dataset(ai_uses, file_format), file_format)


def file_name(production, what, file_format):
    return f"{slugify(production.title) or 'production'}-{what}-{timezone.localdate():%Y-%m-%d}.{file_format}"


def guide_rows():
    """(column, required, what it holds, accepted values) for every column an export writes."""
    rows = []
    for name in TEMPLATE_COLUMNS:
        if name == "id":
            meaning = _("The use's id in Reelproof: a row with an id updates that use.")
        else:
            model_field = AIUse._meta.get_field(name)
            meaning = str(capfirst(model_field.verbose_name))
            if model_field.help_text:
                meaning = f"{meaning}. {model_field.help_text}"
        rows.append((name, _("required") if name in REQUIRED_FIELDS else "", meaning, str(accepted_values(name))))
    rows.append(("people", "", _("People depicted or voiced (written by exports, ignored by imports)."), ""))
    rows.append(("consent_status", "", _("Computed consent status (written by exports, ignored by imports)."), ""))
    return rows


def template_file(file_format):
    """Our template: the header row; in XLSX, a second sheet "Guide" says what each column takes."""
    data = tablib.Dataset(headers=list(TEMPLATE_COLUMNS), title="AI uses")
    if file_format == "csv":
        return render(data, "csv")
    guide = tablib.Dataset(
        *[tuple(_cell(value, "xlsx") for value in row) for row in guide_rows()],
        headers=[_("column"), _("required"), _("what it holds"), _("accepted values")],
        title=_("Guide"),
    )
    return render(tablib.Databook([data, guide]), "xlsx")
