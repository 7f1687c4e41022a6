"""Importing AI uses from spreadsheets: our template, and the shot lists of Kitsu, ShotGrid and ftrack.

The steps, shared by the web pages and the API:
  read_upload / read_table  CSV or XLSX bytes -> a Table of text cells, each row with its number in the file
  suggest_mapping           file columns -> ledger fields, from the header names each source uses; a saved
                            mapping is found by the file's columns (mapping_for_headers, header_signature)
  plan_import               every row validated against lookups fetched once, and matched to the use it
                            updates (by Reelproof id, tracker id as tracker_ids.MATCHING_RULE compares them,
                            else title and shots): what would be created, updated or left as it is, which
                            rows wait for the user to choose their use, and every problem with its row and column
  commit_import             the plan again inside one transaction, written in bulk with one audited history
                            entry per created or changed use; a single problem and nothing is written;
                            recorded as an import batch
  plan_undo / undo_import   what undoing a batch deletes and gives back, and doing it (batches)
Between the steps of the web pages the table waits in private storage (staging).

Cells are read as text, never as numbers: the tracker id "001" stays "001". People and consents are not
imported: linking a performer to a consent is a judgement made in the app, where legal reviews it; an
update keeps the links a use already has (and its history entry records them).
"""

from productions.imports.batches import UNDO_REASON_PREFIX, UndoRefused, batch_rows, plan_undo, undo_import
from productions.imports.commit import IMPORT_REASON_PREFIX, commit_import
from productions.imports.mapping import (
    header_signature,
    initial_mapping,
    mapping_for_headers,
    save_mapping,
    saved_mappings,
    suggest_mapping,
)
from productions.imports.plan import (
    NEW,
    Action,
    ImportPlan,
    ImportRejected,
    MatchedOn,
    Problem,
    RowPlan,
    check_mapping,
    done_message,
    plan_import,
)
from productions.imports.reading import (
    FORMULA_TRIGGERS,
    Table,
    column_letter,
    max_bytes,
    max_rows,
    neutralise,
    read_table,
    read_upload,
    unneutralise,
)
from productions.imports.template import EXPORT_ONLY_COLUMNS, REQUIRED_FIELDS, TEMPLATE_COLUMNS, field_label
from productions.imports.values import ToolIndex, accepted_values

__all__ = [
    "EXPORT_ONLY_COLUMNS",
    "FORMULA_TRIGGERS",
    "IMPORT_REASON_PREFIX",
    "UNDO_REASON_PREFIX",
    "NEW",
    "REQUIRED_FIELDS",
    "TEMPLATE_COLUMNS",
    "Action",
    "ImportPlan",
    "ImportRejected",
    "MatchedOn",
    "Problem",
    "RowPlan",
    "Table",
    "UndoRefused",
    "ToolIndex",
    "accepted_values",
    "batch_rows",
    "check_mapping",
    "column_letter",
    "commit_import",
    "done_message",
    "field_label",
    "header_signature",
    "initial_mapping",
    "mapping_for_headers",
    "max_bytes",
    "max_rows",
    "neutralise",
    "plan_import",
    "plan_undo",
    "read_table",
    "read_upload",
    "save_mapping",
    "saved_mappings",
    "suggest_mapping",
    "undo_import",
    "unneutralise",
]
