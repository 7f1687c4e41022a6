"""Mapping a file's columns to ledger fields: the header names each source uses, suggestions, saved mappings."""

import functools
import hashlib

from django.db import transaction
from django.utils import translation

from productions.imports.template import EXPORT_ONLY_COLUMNS, JOINED_FIELDS, TEMPLATE_COLUMNS, field_label
from productions.imports.values import _key
from productions.models import ImportMapping
from productions.roles import Capability, require
from productions.vocabularies import ImportSource

# The header names each tracker exports, and what they hold; "" means ignore by default.
SOURCE_HEADERS = {
    ImportSource.KITSU: {
        "project": "",
        "episode": "external_id",
        "sequence": "external_id",
        "name": "external_id",
        "description": "description",
        "frame in": "frame_in",
        "frame out": "frame_out",
        "fps": "",
        "nb frames": "",
    },
    ImportSource.SHOTGRID: {
        "id": "",  # ShotGrid's own row number; the shot code is what people search for
        "shot code": "external_id",
        "code": "external_id",
        "sequence": "shots",
        "description": "description",
        "cut in": "frame_in",
        "cut out": "frame_out",
        "status": "",
        "task template": "",
    },
    ImportSource.FTRACK: {
        "id": "",  # a UUID; "Parent / Name" reads like the shot
        "parent": "external_id",
        "name": "external_id",
        "type": "",
        "description": "description",
        "status": "",
        "fstart": "frame_in",
        "fend": "frame_out",
        "frame start": "frame_in",
        "frame end": "frame_out",
    },
    # Another tool's "ID" column holds its own ids, not ours.
    ImportSource.OTHER: {"id": ""},
}
# Header names met in custom columns of every tracker, besides our field names and their English labels.
COMMON_HEADERS = {
    "tracker id": "external_id",
    "external id": "external_id",
    "shot id": "external_id",
    "ai use": "title",
    "ai usage": "title",
    "ai tool": "tool",
    "final": "is_final",
    "in final": "is_final",
    "digital source": "digital_source_type",
    "source type": "digital_source_type",
    "output": "output_type",
    "dept": "department",
    "tc in": "timecode_in",
    "tc out": "timecode_out",
    "frame in": "frame_in",
    "frame out": "frame_out",
    "start frame": "frame_in",
    "end frame": "frame_out",
    "ai output": "output_type",
    "ai source type": "digital_source_type",
}


@functools.cache
def _header_aliases():
    aliases = {}
    with translation.override("en"):
        for name in TEMPLATE_COLUMNS:
            aliases[_key(name)] = name
            aliases.setdefault(_key(field_label(name)), name)
    for name in EXPORT_ONLY_COLUMNS:
        aliases[_key(name)] = ""
    return {**COMMON_HEADERS, **aliases}


def suggest_mapping(headers, source):
    """{header: field or ""} from the header names the source is known to use."""
    aliases = {**_header_aliases(), **SOURCE_HEADERS.get(source, {})}
    suggestion, taken = {}, set()
    for header in headers:
        key = _key(header)
        name = aliases.get(key, "")
        if not name and key.startswith("sg "):  # ShotGrid field codes: sg_ai_usage
            name = aliases.get(key[3:], "")
        if name in taken and name not in JOINED_FIELDS:
            name = ""  # a second column for a one-column field is left for the user to choose
        suggestion[header] = name
        taken.add(name)
    return suggestion


def initial_mapping(headers, source, saved=None):
    """The saved mapping where it knows a header (spelt as saved, or with other case and spacing), the
    suggestion elsewhere."""
    suggestion = suggest_mapping(headers, source)
    saved = saved or {}
    saved_by_key = {_key(header): name for header, name in saved.items()}
    return {header: saved.get(header, saved_by_key.get(_key(header), suggestion[header])) for header in headers}


def header_signature(headers):
    """A file's columns as one hash: the same headers give the same signature whatever their order, case and
    spacing (trackers reorder an export's columns when a view changes, and the mapping is by header)."""
    keys = sorted({_key(header) for header in headers})
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def saved_mappings(production):
    return ImportMapping.objects.filter(production=production).order_by("name")


def mapping_for_headers(production, headers):
    """The production's saved mapping made for a file with these columns (the latest saved), or None."""
    return (
        ImportMapping.objects.filter(production=production, header_signature=header_signature(headers))
        .order_by("-updated_at", "-pk")
        .first()
    )


@transaction.atomic
def save_mapping(*, actor, production, name, source, mapping, fixed):
    """Save (or replace) a named mapping of the production, for the next file of the same kind.

    `mapping` names every column of the file it was made for (ignored ones as ""): its headers are the
    signature by which the next file with the same columns gets this mapping without being asked.
    """
    require(actor, production.id, Capability.EDIT_RECORDS)
    saved = ImportMapping.objects.filter(production=production, name=name).first() or ImportMapping(
        production=production, name=name, created_by=actor
    )
    saved.source = source
    saved.header_signature = header_signature(mapping)
    saved.mapping = {header: name or "" for header, name in mapping.items()}
    saved.fixed_values = {name: value for name, value in (fixed or {}).items() if value not in (None, "")}
    saved.full_clean()
    saved.save()
    return saved
