"""Widgets of the ledger's filter form."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

# Written with conditional_escape and joined strings rather than format_html: the same HTML, and the ledger's selects
# of episodes and sequences hold over a thousand options at 50,000 uses.


def _attributes(attrs):
    # As django/forms/widgets/attrs.html writes them: in their order, False left out, True as a bare name.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(value, label, selected):
    # A select's options take no attribute but `selected` (Select.option_inherits_attrs is false).
    return (
        f'\n  <option value="{conditional_escape(value)}"{" selected" if selected else ""}>'
        f"{conditional_escape(label)}</option>\n"
    )


class Select(forms.Select):
    """Django's select with the same HTML as its templates, written without them.

    The templates render two more templates for each option: the eight selects of the ledger's filters
    took a fifth of the page's time that way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # Widget.get_context, not ChoiceWidget's: the options are read here, as ChoiceWidget.optgroups chooses them,
        # without a dictionary of attributes built for each.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        values, chosen = widget["value"], False
        fragments = []
        for group, label in self.choices:
            options = label if isinstance(label, (list, tuple)) else [("" if group is None else group, label)]
            rendered = []
            for option_value, option_label in options:
                selected = not chosen and str(option_value) in values
                chosen |= selected
                rendered.append(_option(option_value, option_label, selected))
            rendered = "".join(rendered)
            if isinstance(label, (list, tuple)) and group:
                rendered = f'\n  <optgroup label="{conditional_escape(group)}">{rendered}\n  </optgroup>'
            fragments.append(rendered)
        opening = f'<select name="{conditional_escape(name)}"{_attributes(widget["attrs"])}>'
        return mark_safe(f"{opening}{''.join(fragments)}\n</select>")  # noqa: S308  every value escaped


class Suggested(forms.TextInput):
    """A text input that suggests the values it may take, fetched from `options_url` when it first takes focus (an
    HTML fragment of options, loaded into its datalist by htmx): a page does not carry a thousand sequences that
    nobody opens. Without JavaScript, the value is typed."""

    def __init__(self, attrs=None, *, options_url):
        super().__init__(attrs)
        self.options_url = options_url

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        options_id = f"{attrs.get('id') or f'id_{name}'}-options"
        attrs.update(
            {
                "list": options_id,
                "autocomplete": "off",
                "hx-get": self.options_url,
                "hx-trigger": "focus once",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
            }
        )
        datalist = f'<datalist id="{conditional_escape(options_id)}"></datalist>'
        return mark_safe(f"{super().render(name, value, attrs, renderer)}{datalist}")  # noqa: S308  id escaped
