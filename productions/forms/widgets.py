"""Widgets of the ledger's filter form."""

from django import forms
from django.utils.html import format_html, format_html_join


def _joined(fragments):
    return format_html_join("", "{}", ((fragment,) for fragment in fragments))


def _attributes(attrs):
    # As django/forms/widgets/attrs.html writes them: in their order, False left out, True as a bare name.
    return _joined(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


def _option(option):
    return format_html(
        '\n  <option value="{}"{}>{}</option>\n', option["value"], _attributes(option["attrs"]), option["label"]
    )


class Select(forms.Select):
    """Django's select with the same HTML as its templates, written without them.

    The templates render two more templates for each option: the eight selects of the ledger's filters
    took a fifth of the page's time that way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        fragments = []
        for label, options, _index in widget["optgroups"]:
            rendered = [_option(option) for option in options]
            if label:
                rendered = [format_html('\n  <optgroup label="{}">{}\n  </optgroup>', label, _joined(rendered))]
            fragments.extend(rendered)
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], _attributes(widget["attrs"]), _joined(fragments)
        )
