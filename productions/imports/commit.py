"""Committing an import: the plan made again inside one transaction, written in bulk with its history and
recorded as a batch that can be undone (imports.batches)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from productions import tracker_ids
from productions.audit import bulk_create_audited, bulk_update_audited
from productions.imports.batches import stored_value
from productions.imports.bulk import collector_paused
from productions.imports.plan import Action, ImportPlan, ImportRejected, Problem, plan_import
from productions.models import AIUse, ImportBatch, ImportBatchItem, ImportMapping
from productions.notifications import blocks
from productions.roles import Capability, require

BATCH_SIZE = 500
# The audit reason of what an import writes, followed by the file's name (the history pages translate it).
IMPORT_REASON_PREFIX = "imported from "


def commit_import(*, actor, production, table, mapping, fixed=None, matches=None, source=""):
    """Validate the file again and write it all, or raise ImportRejected and write nothing.

    One history entry per created or changed use, by `actor`, with the reason "imported from <file>";
    unchanged rows leave no entry. The import is recorded as an ImportBatch (`plan.batch`) with an item per
    created or updated use, which undoing it reads (imports.batches); an import that changes nothing is
    recorded too, with its counts and no items. `source` is where the file comes from, unless the import
    used a saved mapping as it is.
    """
    require(actor, production.id, Capability.EDIT_RECORDS)
    try:
        with collector_paused(), transaction.atomic():
            plan = plan_import(
                production=production, table=table, mapping=mapping, fixed=fixed, matches=matches, lock=True
            )
            if not plan.is_valid:
                raise ImportRejected(plan)
            now = timezone.now()
            reason = f"{IMPORT_REASON_PREFIX}{table.file_name}"[:500]
            audit = {"actor": actor, "reason": reason, "date": now, "batch_size": BATCH_SIZE}
            created_rows = [row for row in plan.rows if row.action == Action.CREATE]
            updated_rows = [row for row in plan.rows if row.action == Action.UPDATE]
            creates, updates = [row.use for row in created_rows], [row.use for row in updated_rows]
            before = _values_before(updated_rows)
            # bulk_create and bulk_update call no save(): derive the matching and sorting keys here.
            for use in creates + updates:
                use.derive_keys(production.id_pattern)
            creates = bulk_create_audited(AIUse, creates, **audit)
            if updates:
                for use in updates:
                    use.updated_at = now  # bulk_update does not touch auto_now fields
                    use.version += 1  # the rows are locked: an edit opened before the import is refused after it
                changed = plan.update_fields | {"updated_at", "version", *tracker_ids.DERIVED_FIELDS}
                bulk_update_audited(AIUse, updates, sorted(changed), **audit)
            batch = ImportBatch.objects.create(
                production=production,
                file_name=table.file_name[:255],
                imported_by=actor,
                imported_at=now,
                created_count=len(creates),
                updated_count=len(updates),
                unchanged_count=plan.unchanged,
                **_mapping_used(production, mapping, fixed, source),
            )
            written = [(row, use, Action.CREATE) for row, use in zip(created_rows, creates, strict=True)]
            written += [(row, row.use, Action.UPDATE) for row in updated_rows]
            # A batch of items at a time: 50,000 rows are not held a third time as items.
            for start in range(0, len(written), BATCH_SIZE):
                ImportBatchItem.objects.bulk_create(
                    [
                        ImportBatchItem(
                            batch=batch,
                            ai_use=use,
                            action=action,
                            row_number=row.number,
                            version_after=use.version,
                            before=before[use.pk] if action == Action.UPDATE else {},
                            title=use.title,
                            external_id=use.external_id,
                        )
                        for row, use, action in written[start : start + BATCH_SIZE]
                    ]
                )
            # Changed facts can leave a coverage decision to confirm again; new uses may lack their consent. The
            # uses are named by the batch, not by a list of 50,000 ids.
            blocks.refresh(AIUse.objects.filter(import_items__batch=batch))
            plan.batch = batch
    except IntegrityError as error:
        # Another change made between the plan and the write (two imports of one file at once).
        plan = ImportPlan(file_name=table.file_name)
        plan.problems.append(
            Problem(_("Another change to this ledger got in the way; nothing was imported. Try again."), scope="file")
        )
        raise ImportRejected(plan) from error
    return plan


def _values_before(rows):
    """{use id: {field: value}} of the fields each updated row changes, as stored before the import."""
    names = {name for row in rows for name in row.changes}
    ids = [row.use.pk for row in rows]
    stored = {}
    for start in range(0, len(ids), BATCH_SIZE):
        stored.update(AIUse.objects.only(*names).in_bulk(ids[start : start + BATCH_SIZE]))
    return {row.use.pk: {name: stored_value(stored[row.use.pk], name) for name in row.changes} for row in rows}


def _mapping_used(production, mapping, fixed, source):
    """The saved mapping the import used as it is (its name and source), or none and `source`."""

    def filled(values):
        return {key: value for key, value in (values or {}).items() if value not in (None, "")}

    used = (filled(mapping), filled(fixed))
    for saved in ImportMapping.objects.filter(production=production):
        if (filled(saved.mapping), filled(saved.fixed_values)) == used:
            return {"mapping_name": saved.name, "source": saved.source}
    return {"mapping_name": "", "source": source}
