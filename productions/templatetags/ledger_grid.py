"""The ledger's rows and their editable cells: {% ledger_row use %}, for the table and the grid's answers alike.

A row is written here in Python, not by the template engine: a page has fifty rows of ten cells, which the engine
took most of the page's time to write. What every row of a page shares (the words in the active language, the
role's right to edit, the addresses) is read once per page (`LedgerRows`).

For a role that may edit records, what a cell shows becomes a button that opens its editor (static/ledger-grid.js),
named like "Phase of “Shot 12”: Visual effects"; for the others it stays as it is. A cell the grid just saved with an
error comes back with its editor open and the error under it; one that met someone else's change comes back with
the current value and a note saying so.
"""

import functools
from html import escape

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from productions.forms.grid import EDITABLE, TYPED, choices, raw_value, tool_choices
from productions.models import AIUse

register = template.Library()

# An id no use has, marking where a use's id goes in an address reversed once for every row.
_ANY_USE = 987654321


@functools.cache
def _words(language):
    """The rows' words in `language`, translated once: a page of the ledger has five hundred cells."""
    return {
        "label": _("%(column)s of “%(title)s”"),
        "heading": _("%(label)s:"),
        "empty": _("empty"),
        "columns": {field: str(column) for field, column in EDITABLE.items()},
        "select": _("Select “%(title)s”"),
        "no tool": _("No tool named"),
        "final": _("Final"),
        "temporary": _("Temporary"),
        "deep fake": _("Deep fake"),
        "no": _("No"),
        "not determined": _("Not determined"),
        "none": _("None"),
        "blocked": _("Blocked"),
        "add below": _("Add a use below, like “%(title)s”"),
        "add below hint": _("Add a use below, like this one (Shift+Enter)"),
    }


@functools.cache
def _max_lengths():
    return {field: AIUse._meta.get_field(field).max_length for field in TYPED}


def _use_url(name, production):
    """(before, after) the use's id in the address `name` gives a use of the production."""
    before, _mark, after = reverse(name, args=[production.pk, _ANY_USE]).rpartition(str(_ANY_USE))
    return escape(before), escape(after)


def _editor(ai_use, field, label, state, production, restore):
    """The cell's editor, open on the value refused, with the reason under it."""
    error_id = f"cell-{ai_use.pk}-{field}-error"
    value = state["value"]
    # Leaving the editor unchanged, or on the value refused, puts the cell back as it is stored.
    common = format_html(
        'data-field="{}" data-original="{}" data-refused="{}" aria-label="{}" aria-invalid="true"'
        ' aria-describedby="{}"',
        field,
        raw_value(ai_use, field),
        value,
        label,
        error_id,
    )
    if field in TYPED:
        control = format_html(
            '<input type="text" class="grid-input" value="{}" maxlength="{}" {}>',
            value,
            _max_lengths()[field],
            common,
        )
    else:
        options = tool_choices(production) if field == "tool" else choices(field)
        control = format_html(
            '<select class="grid-input" {}>{}</select>',
            common,
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option, " selected" if str(option) == value else "", text) for option, text in options),
            ),
        )
    return format_html(
        '<div class="grid-editor" data-field="{}"><template class="grid-restore">{}</template>{}'
        '<p class="cell-error" id="{}">{}</p></div>',
        field,
        restore,
        control,
        error_id,
        " ".join(state["messages"]),
    )


class LedgerRows:
    """The rows of a page of the ledger, or the one row the grid answers with, as HTML.

    Every value is escaped as the template engine escapes it (html.escape, as django.utils.html.escape does); the
    words are written unescaped, as {% translate %} writes them.
    """

    def __init__(self, production, editing):
        self.production = production
        self.editing = editing
        self.words = _words(get_language())
        self.detail_url = _use_url("productions:ai-use-detail", production)
        self.cell_url = _use_url("productions:ai-use-cell", production)
        self.add_below_url = _use_url("productions:ai-use-add-below", production)
        self._policies = {}
        self._blank = {}

    def _policy(self, policy):
        # The tool's policy as the use page and the form show it: rendered once a page for each policy met.
        if policy not in self._policies:
            self._policies[policy] = render_to_string("productions/ledger/_tool_policy.html", {"policy": policy})
        return self._policies[policy]

    def _shown(self, use):
        """{field: what its cell shows}, as HTML."""
        words = self.words
        title = escape(use.title)
        before, after = self.detail_url
        if use.tool:
            tool = f"{escape(str(use.tool))} {self._policy(use.tool_policy)}"
        else:
            tool = f'<span class="muted">{words["no tool"]}</span>'
        if use.deep_fake == "yes":
            deep_fake = f"<strong>{words['deep fake']}</strong>"
        elif use.deep_fake == "no":
            deep_fake = words["no"]
        else:
            deep_fake = f'<span class="muted">{words["not determined"]}</span>'
        if use.disclosure_method == "none":
            disclosure = f'<span class="muted">{words["none"]}</span>'
        else:
            disclosure = escape(use.disclosure_method_label)
        return {
            "external_id": escape(use.external_id) if use.external_id else "—",
            "title": f'<a href="{before}{use.pk}{after}">{title}</a>',
            "phase": escape(use.phase_label),
            "department": escape(use.department_label),
            "tool": tool,
            "output_type": escape(use.output_type_label),
            "digital_source_type": escape(use.digital_source_type_label),
            "is_final": words["final"] if use.is_final else f'<span class="muted">{words["temporary"]}</span>',
            "deep_fake": deep_fake,
            "disclosure_method": disclosure,
        }

    def _is_blank(self, shown):
        """Whether a cell shows nothing (or a dash), as a screen reader would read its text."""
        if "<" not in shown:
            return " ".join(shown.split()) in ("", "—")
        # Markup: a handful of fragments a page, each stripped once.
        if shown not in self._blank:
            self._blank[shown] = " ".join(strip_tags(shown).split()) in ("", "—")
        return self._blank[shown]

    def _button(self, use, field, label, shown, described_by=""):
        data = f'data-field="{field}" data-value="{escape(str(raw_value(use, field)))}" data-label="{escape(label)}"'
        if field in TYPED:
            data = f'{data} data-maxlength="{_max_lengths()[field]}"'
        if field == "title":
            # The title stays a link to the use's page, and names the row; F2 or typing over it opens its editor, and
            # this pencil does for the mouse.
            return f'{shown}<span class="grid-edit grid-rename" {data} aria-hidden="true">✎</span>'
        # Named by what it shows, after its column and use for a screen reader: "Phase of “Shot 12”: Visual effects".
        heading = escape(self.words["heading"] % {"label": label})
        if self._is_blank(shown):
            content = (
                f'<span class="visually-hidden">{heading} {escape(self.words["empty"])}</span>'
                f'<span aria-hidden="true">{shown}</span>'
            )
        else:
            content = f'<span class="visually-hidden">{heading} </span>{shown}'
        described = f' aria-describedby="{escape(described_by)}"' if described_by else ""
        return f'<button type="button" class="grid-edit" {data}{described}>{content}</button>'

    def _cell(self, use, field, shown, cell):
        """The cell as the role sees it: what it shows, or a button opening its editor, or the editor open."""
        if not self.editing:
            return shown
        words = self.words
        label = words["label"] % {"column": words["columns"][field], "title": use.title}
        if cell.get("field") != field:
            return self._button(use, field, label, shown)
        if cell.get("messages"):
            button = mark_safe(self._button(use, field, label, shown))  # noqa: S308  every value escaped
            return _editor(use, field, label, cell, self.production, button)
        note_id = f"cell-{use.pk}-{field}-note"
        button = mark_safe(self._button(use, field, label, shown, described_by=note_id))  # noqa: S308
        return format_html('{}<p class="cell-note" id="{}">{}</p>', button, note_id, cell["note"])

    def row(self, use, cell=None):
        """The use's row; `cell` is the state of the cell the grid just saved, if any."""
        cell = cell or {}
        words, pk, editing = self.words, use.pk, self.editing
        cells = {field: self._cell(use, field, shown, cell) for field, shown in self._shown(use).items()}
        title = escape(use.title)
        blocked = ' class="row-blocked"' if use.blocked else ""
        # The line breaks and indents of the template these rows came from: pages are compared byte for byte.
        if editing:
            before, after = self.cell_url
            opening = (
                f'<tr id="use-row-{pk}"{blocked} data-version="{use.version}" data-cell-url="{before}{pk}{after}">\n'
                f'  \n    <td class="select-cell"><input type="checkbox" name="uses" value="{pk}" id="use-{pk}"'
                f' form="bulk-form" aria-label="{words["select"] % {"title": title}}"></td>\n  \n'
            )
            # Without script, a plain form post: the new use opens in the full form.
            before, after = self.add_below_url
            closing = (
                f'  \n    \n    <td class="row-actions">\n'
                f'      <button type="submit" form="grid-add-below" formaction="{before}{pk}{after}"\n'
                f'              class="button-secondary grid-add-below" aria-keyshortcuts="Shift+Enter"\n'
                f'              aria-label="{words["add below"] % {"title": title}}"\n'
                f'              title="{words["add below hint"]}"><span aria-hidden="true">+</span></button>\n'
                f"    </td>\n  \n"
            )
        else:
            opening = f'<tr id="use-row-{pk}"{blocked}>\n  \n'
            closing = "  \n"
        blocked_marker = f'<span class="blocked">{words["blocked"]}</span>' if use.blocked else ""
        return mark_safe(  # noqa: S308  every value escaped
            f"\n\n{opening}"
            f'  <td class="tracker-id">{cells["external_id"]}</td>\n'
            f'  <th scope="row" class="use-title">{cells["title"]}</th>\n'
            f"  <td>{cells['phase']}</td>\n"
            f"  <td>{cells['department']}</td>\n"
            f"  <td>{cells['tool']}</td>\n"
            f"  <td>{cells['output_type']}</td>\n"
            f'  <td class="source-type">{cells["digital_source_type"]}</td>\n'
            f"  <td>{cells['is_final']}</td>\n"
            f"  <td>{cells['deep_fake']}</td>\n"
            f"  <td>{cells['disclosure_method']}</td>\n"
            f"  <td>\n"
            f'    <span class="status status-{escape(use.consent_status.value)}">'
            f"{escape(use.consent_status_label)}</span>\n"
            f"    {blocked_marker}\n"
            f"  </td>\n"
            f"{closing}</tr>\n"
        )


@register.simple_tag(takes_context=True)
def ledger_row(context, use):
    """{% ledger_row use %}: the use's row, its cells editable in place where the role allows; the state of a cell
    the grid just saved is the context's `cell`."""
    rows = context.render_context.get(LedgerRows)
    if rows is None:
        rows = context.render_context[LedgerRows] = LedgerRows(
            context["production"], bool(context.get("may", {}).get("edit_records"))
        )
    return rows.row(use, context.get("cell"))


@functools.cache
def _option_lists(language):
    lists = (
        f'\n    <template id="grid-options-{escape(field)}">'
        + "".join(
            f'<option value="{escape(str(value))}">{escape(str(label))}</option>' for value, label in choices(field)
        )
        + "</template>\n  "
        for field in EDITABLE
        if field not in (*TYPED, "tool")
    )
    return mark_safe("\n  " + "".join(lists))  # noqa: S308  every value escaped


@register.simple_tag
def grid_option_lists():
    """The <template> of options of each list editor the page offers, in the active language, written once per
    language; the tools are fetched when first edited."""
    return _option_lists(get_language())
