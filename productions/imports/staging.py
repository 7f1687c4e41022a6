"""Staging of an upload between the steps of the web import: its table kept privately, named in the session.

Between the steps the uploaded file waits in private storage (never under a public URL), named in the
user's session, as the table read from it when it was uploaded (JSON Lines: a workbook is parsed once, not at
every step); the import itself validates every row once more.
"""

import datetime
import io
import json
import tempfile
import uuid

from django.core.files import File
from django.utils import timezone

from productions.imports.bulk import collector_paused
from productions.imports.reading import Table
from productions.storage import private_storage

SESSION_KEY = "reelproof_imports"
OPEN_IMPORTS = 3  # per session; opening another drops the oldest and its file
STALE_AFTER = datetime.timedelta(days=1)  # files of imports left half-way are removed after this


class ImportClosed(Exception):
    """The session no longer holds this import, or its file is gone."""


def _folder(production):
    return f"imports/{production.pk}"


def _discard(entry):
    private_storage().delete(entry["stored"])


def _remove_stale_files(production):
    storage = private_storage()
    try:
        _folders, names = storage.listdir(_folder(production))
    except FileNotFoundError:
        return
    for name in names:
        stored = f"{_folder(production)}/{name}"
        if timezone.now() - storage.get_modified_time(stored) > STALE_AFTER:
            storage.delete(stored)


# Why a saved mapping applies to an open import: the user named it, or the file has the columns it was saved for.
CHOSEN_BY_USER = "user"
CHOSEN_BY_SIGNATURE = "signature"


def saved_mapping_fields(saved, chosen_by=CHOSEN_BY_USER):
    """What applying a saved mapping (or None) sets in an open import's entry."""
    return {
        "saved_mapping": saved.pk if saved else None,
        "mapping_name": saved.name if saved else "",
        "mapping_chosen_by": chosen_by if saved else "",
        "mapping": saved.mapping if saved else None,
        "fixed": saved.fixed_values if saved else {},
    }


def open_import(session, production, table, source, saved, chosen_by=CHOSEN_BY_USER):
    """Keep the uploaded table privately and remember it in the session; the token names it in the step URLs."""
    _remove_stale_files(production)
    token = uuid.uuid4().hex
    # The stored name never carries the uploader's file name, which is kept for messages and the audit trail.
    # JSON Lines, the headers then a row a line, written and read a line at a time: the JSON of 50,000 rows is never
    # held whole in memory, as text and as bytes.
    with tempfile.TemporaryFile() as spool:
        text = io.TextIOWrapper(spool, encoding="utf-8")
        text.write(json.dumps(table.headers) + "\n")
        text.writelines(json.dumps(row) + "\n" for row in table.rows)
        text.detach()
        stored = private_storage().save(f"{_folder(production)}/{token}", File(spool))
    pending = session.get(SESSION_KEY, {})
    while len(pending) >= OPEN_IMPORTS:
        _discard(pending.pop(next(iter(pending))))
    pending[token] = {
        "production": production.pk,
        "stored": stored,
        "file_name": table.file_name[-200:],
        "source": source,
        **saved_mapping_fields(saved, chosen_by),
        "mapped": False,
    }
    session[SESSION_KEY] = pending
    return token


def staged_import(session, token, production):
    """The session's entry of an open import of this production, and its table; ImportClosed when there is none."""
    entry = session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry["production"] != production.pk:
        raise ImportClosed
    return entry, _read(entry)


def update_import(session, token, **changes):
    pending = session[SESSION_KEY]
    pending[token].update(changes)
    session.modified = True


def close_import(session, token):
    pending = session.get(SESSION_KEY, {})
    if token in pending:
        _discard(pending.pop(token))
        session.modified = True


def _read(entry):
    try:
        with private_storage().open(entry["stored"]) as stored, collector_paused():
            lines = iter(stored)
            headers = json.loads(next(lines))
            rows = [tuple(json.loads(line)) for line in lines]
    except FileNotFoundError as error:
        raise ImportClosed from error
    if not isinstance(headers, list):
        raise ImportClosed  # staged as one JSON document, before a deployment: upload it again
    return Table(file_name=entry["file_name"], headers=headers, rows=rows)
