"""Tracker ids as producers write them, and the keys the ledger compares and sorts them by.

Kitsu, ShotGrid and ftrack spell one shot `EP203_SQ020_SH0030`, `EP203/SQ020/SH0030` or `ep203-sq020-sh0030`
depending on the export. They are the same shot: ids are compared ignoring case, with any run of separators
(space, `_`, `/`, `-`, `.`, `:`, `|`) read as one. Leading zeros count: `SH0030` and `SH30` are different
shots, as trackers treat them.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SEPARATORS = " _/-.:|\\"
_SEPARATOR_RUN = re.compile(r"[\s_/\-.:|\\]+")
# The rule, as the import preview and the ledger's error messages show it.
MATCHING_RULE = gettext_lazy(
    "Tracker ids are compared ignoring case, with spaces, _ / - . : | read as one separator; leading zeros count "
    "(SH0030 and SH30 are different shots)."
)

# What `episode` and `sequence` are read from: the parts of a tracker id, in order. Text around a placeholder
# must match as written (ignoring case); a separator in the pattern matches any run of separators.
PATTERN_PARTS = ("episode", "sequence", "shot")
SERIES_PATTERN = "{episode}_{sequence}_{shot}"
FILM_PATTERN = "{sequence}_{shot}"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
SORT_KEY_LENGTH = 1000
_DIGITS = re.compile(r"(\d+)")
_NUMBER_WIDTH = 12


def tracker_key(external_id):
    """The id as the ledger compares it: case-folded, each run of separators one `_`, none at either end."""
    return _SEPARATOR_RUN.sub("_", external_id.strip()).strip("_").casefold()


def natural_key(text):
    """A key that sorts `shot 9` before `shot 10` and `SH0030` beside `SH30`, compared as plain text."""

    def padded(match):
        digits = match.group(1).lstrip("0") or "0"
        return digits.rjust(_NUMBER_WIDTH, "0")

    return _DIGITS.sub(padded, text.strip().casefold())[:SORT_KEY_LENGTH]


def check_pattern(pattern):
    """Raise ValidationError unless `pattern` names known parts, each once, and at least an episode or sequence."""
    names = _PLACEHOLDER.findall(pattern)
    unknown = sorted(set(names) - set(PATTERN_PARTS))
    if unknown:
        raise ValidationError(
            _("Unknown part %(parts)s: use {episode}, {sequence} and {shot}.") % {"parts": ", ".join(unknown)}
        )
    if len(names) != len(set(names)):
        raise ValidationError(_("Name each part once."))
    if not {"episode", "sequence"} & set(names):
        raise ValidationError(_("Name at least {episode} or {sequence}."))
    if re.search(r"\}\{", pattern):
        raise ValidationError(_("Put a separator or some text between two parts."))


def _compiled(pattern):
    regex = []
    for index, piece in enumerate(_PLACEHOLDER.split(pattern)):
        if index % 2:
            # A part is a run of anything but separators.
            regex.append(rf"(?P<{piece}>[^\s_/\-.:|\\]+)")
            continue
        for chunk in re.split(r"([\s_/\-.:|\\]+)", piece):
            if not chunk:
                continue
            regex.append(r"[\s_/\-.:|\\]+" if _SEPARATOR_RUN.fullmatch(chunk) else re.escape(chunk))
    return re.compile("^" + "".join(regex), re.IGNORECASE)


_CACHE = {}


def episode_and_sequence(external_id, pattern):
    """The episode and sequence parts of `external_id` read by `pattern`, upper-cased; "" where it does not say."""
    if not external_id or not pattern:
        return "", ""
    compiled = _CACHE.get(pattern)
    if compiled is None:
        compiled = _CACHE[pattern] = _compiled(pattern)
    match = compiled.match(external_id.strip())
    if match is None:
        return "", ""
    parts = match.groupdict()
    return (parts.get("episode") or "").upper()[:60], (parts.get("sequence") or "").upper()[:60]


def derive(ai_use, pattern):
    """Set the use's derived keys from its title and tracker id."""
    ai_use.tracker_key = tracker_key(ai_use.external_id)
    ai_use.title_sort = natural_key(ai_use.title)
    ai_use.tracker_sort = natural_key(ai_use.external_id)
    ai_use.episode, ai_use.sequence = episode_and_sequence(ai_use.external_id, pattern)


DERIVED_FIELDS = ("tracker_key", "title_sort", "tracker_sort", "episode", "sequence")
