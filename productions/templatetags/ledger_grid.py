"""The ledger's editable cells: {% gridcell "phase" %}what the cell shows{% endgridcell %}.

For a role that may edit records, what the cell shows becomes a button that opens its editor (static/ledger-grid.js),
named like "Phase of “Shot 12”: Visual effects"; for the others it stays as it is. A cell the grid just saved with an
error comes back with its editor open and the error under it; one that met someone else's change comes back with
the current value and a note saying so.
"""

import functools

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from productions.forms.grid import EDITABLE, TYPED, choices, raw_value, tool_choices
from productions.models import AIUse

register = template.Library()


@functools.cache
def _words(language):
    """The grid's words in `language`, translated once: a page of the ledger has five hundred cells."""
    return {
        "label": _("%(column)s of “%(title)s”"),
        "heading": _("%(label)s:"),
        "empty": _("empty"),
        "columns": {field: str(column) for field, column in EDITABLE.items()},
    }


def cell_label(ai_use, field):
    """What names a cell and its editor: “Phase of “Shot 12””."""
    words = _words(get_language())
    return words["label"] % {"column": words["columns"][field], "title": ai_use.title}


def _button(ai_use, field, label, shown, described_by=""):
    # Written with conditional_escape rather than format_html: the same HTML, at a fraction of the cost per cell.
    data = (
        f'data-field="{conditional_escape(field)}" data-value="{conditional_escape(raw_value(ai_use, field))}"'
        f' data-label="{conditional_escape(label)}"'
    )
    if field in TYPED:
        data = f'{data} data-maxlength="{AIUse._meta.get_field(field).max_length}"'
    if field == "title":
        # The title stays a link to the use's page, and names the row; F2 or typing over it opens its editor, and this
        # pencil does for the mouse.
        return mark_safe(  # noqa: S308  every value escaped
            f'{conditional_escape(shown)}<span class="grid-edit grid-rename" {data} aria-hidden="true">✎</span>'
        )
    # Named by what it shows, after its column and use for a screen reader: "Phase of “Shot 12”: Visual effects".
    words = _words(get_language())
    heading = conditional_escape(words["heading"] % {"label": label})
    shown = conditional_escape(shown)
    if " ".join(strip_tags(shown).split()) in ("", "—"):
        content = (
            f'<span class="visually-hidden">{heading} {conditional_escape(words["empty"])}</span>'
            f'<span aria-hidden="true">{shown}</span>'
        )
    else:
        content = f'<span class="visually-hidden">{heading} </span>{shown}'
    described = f' aria-describedby="{conditional_escape(described_by)}"' if described_by else ""
    return mark_safe(f'<button type="button" class="grid-edit" {data}{described}>{content}</button>')  # noqa: S308


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
            AIUse._meta.get_field(field).max_length,
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


class GridCellNode(template.Node):
    def __init__(self, field, nodelist):
        self.field = field
        self.nodelist = nodelist

    def render(self, context):
        shown = self.nodelist.render(context)
        if not context.get("may", {}).get("edit_records"):
            return shown
        ai_use, field = context["use"], self.field.resolve(context)
        label = cell_label(ai_use, field)
        state = context.get("cell") or {}
        if state.get("field") != field:
            return _button(ai_use, field, label, shown)
        if state.get("messages"):
            return _editor(ai_use, field, label, state, context["production"], _button(ai_use, field, label, shown))
        note_id = f"cell-{ai_use.pk}-{field}-note"
        return format_html(
            '{}<p class="cell-note" id="{}">{}</p>',
            _button(ai_use, field, label, shown, described_by=note_id),
            note_id,
            state["note"],
        )


@register.tag
def gridcell(parser, token):
    """{% gridcell "field" %}…{% endgridcell %}: the cell's content, editable in place where the role allows."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("gridcell takes the name of the field it edits")
    field = parser.compile_filter(bits[1])
    nodelist = parser.parse(("endgridcell",))
    parser.delete_first_token()
    return GridCellNode(field, nodelist)


@register.simple_tag
def grid_options():
    """{field: [(value, label)]} for the list editors the page offers; the tools are fetched when first edited."""
    return {field: choices(field) for field in EDITABLE if field not in (*TYPED, "tool")}
