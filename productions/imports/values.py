"""Parsing cell values into field values: yes/no, dates, whole numbers, choices and tools from the catalogue."""

import datetime
import functools
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from multiselectfield import MultiSelectField

from productions import selectors
from productions.imports.template import TEMPLATE_COLUMNS
from productions.models import AITool, AIUse
from productions.vocabularies import IPTC_DIGITAL_SOURCE_TYPE_BASE

_TRUE = {"yes", "y", "true", "t", "1", "x", "final", "oui", "vrai"}
_FALSE = {"no", "n", "false", "f", "0", "temporary", "temp", "non", "faux"}
# ISO first, as exports write; then day/month/year, as European spreadsheets show dates.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
# Between the choices of a multiple-choice cell; exports write "; ".
CHOICE_SEPARATORS = re.compile("[;,]")


def _key(text):
    """A header or value as compared: case, spaces, hyphens and underscores do not matter."""
    return " ".join(str(text).replace("_", " ").replace("-", " ").casefold().split())


class ToolIndex:
    """The tools a production may name, fetched once; a cell names a tool by its id, its full name, vendor and
    product, or product. Without a production, the shared catalogue alone."""

    def __init__(self, production=None):
        self.by_id = {}
        self.by_name = [defaultdict(list), defaultdict(list), defaultdict(list)]
        tools = AITool.objects.filter(organisation__isnull=True)
        if production is not None:
            tools = selectors.tools_for_production(production)
        for tool in tools:
            self.by_id[tool.pk] = tool
            for names, spelling in zip(
                self.by_name, (str(tool), f"{tool.vendor} {tool.product}", tool.product), strict=True
            ):
                names[_key(spelling)].append(tool)
        self._found = {}

    def find(self, text):
        if text not in self._found:
            self._found[text] = self._find(text)
        tool, error = self._found[text]
        if error:
            raise ValidationError(error)
        return tool

    def _find(self, text):
        if not text:
            return None, None
        if text.isdigit():
            tool = self.by_id.get(int(text))
            if tool is None:
                return None, _("There is no tool #%(id)s in the catalogue.") % {"id": text}
            return tool, None
        for names in self.by_name:
            matches = names.get(_key(text), [])
            if len(matches) == 1:
                return matches[0], None
            if matches:
                return None, _("“%(name)s” matches several tools (%(tools)s); give the catalogue id instead.") % {
                    "name": text,
                    "tools": "; ".join(f"#{tool.pk} {tool}" for tool in matches),
                }
        return None, _(
            "“%(name)s” is not in the tool catalogue; add it under AI tools first, or give the catalogue id."
        ) % {"name": text}


@functools.cache
def _vocabulary(name):
    """{spelling: code} for a choice field: the code and the English label, and for source types the IPTC URI."""
    codes, accepted = {}, []
    with translation.override("en"):
        for code, label in AIUse._meta.get_field(name).choices:
            spellings = [code, str(label)]
            if name == "digital_source_type":
                spellings.append(IPTC_DIGITAL_SOURCE_TYPE_BASE + code)
            for spelling in spellings:
                codes.setdefault(_key(spelling), code)
            # A choice whose code is empty ("not stated") is what an empty cell gives.
            accepted.append(f"{code or _('an empty cell')} ({label})")
    return codes, "; ".join(accepted)


def accepted_values(name):
    """What a column accepts, in words (the template guide and error messages)."""
    if name == "id":
        return _("a Reelproof id from an export; empty for a new use")
    if name == "tool":
        return _("a catalogue id, or the tool's name as the catalogue shows it")
    model_field = AIUse._meta.get_field(name)
    if isinstance(model_field, models.BooleanField):
        return _("yes or no")
    if isinstance(model_field, MultiSelectField):
        return _("none, one or several of %(accepted)s, separated by “;” or “,”") % {"accepted": _vocabulary(name)[1]}
    if model_field.choices:
        return _vocabulary(name)[1]
    if isinstance(model_field, models.DateField):
        return _("a date as YYYY-MM-DD (2026-03-31) or DD/MM/YYYY (31/03/2026)")
    if isinstance(model_field, models.PositiveIntegerField):
        return _("a whole number, 0 or more")
    if name in ("timecode_in", "timecode_out"):
        return _("a SMPTE timecode such as 01:02:03:04")
    if name == "external_id":
        return _("text, kept exactly (“001” stays “001”)")
    return _("text")


def _parse_id(text):
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(_("“%(value)s” is not a Reelproof id (a whole number).") % {"value": text})
    return int(text)


def _parse_boolean(text):
    key = _key(text)
    if key in _TRUE:
        return True
    if key in _FALSE or not key:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": text})


def _parse_integer(text):
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer():
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(number)


def _parse_date(text):
    if not text:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date; write it as YYYY-MM-DD (2026-03-31) or DD/MM/YYYY (31/03/2026).")
        % {"value": text}
    )


def _choice_parser(name):
    model_field = AIUse._meta.get_field(name)
    default = model_field.get_default() if model_field.has_default() else ""

    def parse(text):
        if not text:
            return default
        code = _vocabulary(name)[0].get(_key(text))
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not a known %(field)s. Accepted values: %(accepted)s.")
                % {"value": text, "field": model_field.verbose_name, "accepted": _vocabulary(name)[1]}
            )
        return code

    return parse


def _choices_parser(name):
    """Several codes or English labels in one cell, as a list in the vocabulary's order."""
    model_field = AIUse._meta.get_field(name)

    def parse(text):
        codes = _vocabulary(name)[0]
        # A whole cell that names one choice is read first, in case a label holds a separator.
        parts = [text] if _key(text) in codes else CHOICE_SEPARATORS.split(text)
        chosen = set()
        for part in filter(None, map(str.strip, parts)):
            code = codes.get(_key(part))
            if code is None:
                raise ValidationError(
                    _("“%(value)s” is not among the choices of “%(field)s”. Accepted values: %(accepted)s.")
                    % {"value": part, "field": model_field.verbose_name, "accepted": _vocabulary(name)[1]}
                )
            chosen.add(code)
        return [code for code, _label in model_field.choices if code in chosen]

    return parse


def _parsers(tools):
    """{field: function(text) -> value}, raising ValidationError with a message for a bad cell."""
    parsers = {"id": _parse_id, "tool": tools.find}
    for name in TEMPLATE_COLUMNS:
        if name in parsers:
            continue
        model_field = AIUse._meta.get_field(name)
        if isinstance(model_field, models.BooleanField):
            parsers[name] = _parse_boolean
        elif isinstance(model_field, MultiSelectField):
            parsers[name] = _choices_parser(name)
        elif model_field.choices:
            parsers[name] = _choice_parser(name)
        elif isinstance(model_field, models.PositiveIntegerField):
            parsers[name] = _parse_integer
        elif isinstance(model_field, models.DateField):
            parsers[name] = _parse_date
        else:
            parsers[name] = str
    return parsers
