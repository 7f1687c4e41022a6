"""Writing audited changes: one history entry per change, with who, when, why and the relations."""

from django.db import connection
from django.db.models.signals import post_save
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_m2m_field_name,
    get_m2m_reverse_field_name,
)


def save_audited(instance, actor, *, reason="", m2m=None):
    """Save `instance` and its many-to-many values as one audited change.

    django-simple-history writes an entry on save and another on every many-to-many
    change; saving and setting relations silently first and then sending post_save
    once leaves a single entry that holds the fields and the relations together.
    """
    created = instance._state.adding
    instance._history_user = actor
    instance._change_reason = reason
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    post_save.send(sender=type(instance), instance=instance, created=created, raw=False, update_fields=None)
    return instance


def delete_audited(instance, actor, *, reason=""):
    instance._history_user = actor
    instance._change_reason = reason
    instance.delete()


def bulk_create_audited(model, instances, *, actor, reason, date, batch_size):
    """Insert many new records with one "+" history entry each, by `actor` with `reason` at `date`.

    The entries are what `bulk_create_with_history` writes, copied by the database from the rows just
    inserted (INSERT ... SELECT) instead of Django building and preparing every value a second time: a
    third of a 10,000-row import. A database that returns no ids from bulk inserts (SQLite before 3.35)
    gets the library's own, slower way.
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        bulk_create_with_history(
            instances, model, batch_size=batch_size, default_user=actor, default_change_reason=reason, default_date=date
        )
        return
    model.objects.bulk_create(instances, batch_size=batch_size)
    _copy_creations(model, instances, user=actor, reason=reason, date=date, batch_size=batch_size)


def _copy_creations(model, instances, *, user, reason, date, batch_size):
    history = model.history.model
    quote = connection.ops.quote_name
    # (column in the history table, column in the records' table) of each field the history keeps
    copied = [(history._meta.get_field(f.name).column, f.column) for f in history.tracked_fields]
    stamp = {"history_date": date, "history_user": user.pk, "history_change_reason": reason, "history_type": "+"}
    stamp_fields = [history._meta.get_field(name) for name in stamp]
    into = [quote(target) for target, _source in copied] + [quote(f.column) for f in stamp_fields]
    select = [quote(source) for _target, source in copied] + ["%s"] * len(stamp)
    params = [f.get_db_prep_save(value, connection) for f, value in zip(stamp_fields, stamp.values(), strict=True)]
    pk = quote(model._meta.pk.column)
    # Names from the models, quoted; every value is a parameter.
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(into)}) "  # noqa: S608
        f"SELECT {', '.join(select)} FROM {quote(model._meta.db_table)} WHERE {pk} IN "
    )
    ids = [instance.pk for instance in instances]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            # In the order the records were inserted, so history ids follow it as bulk_create_with_history's do.
            cursor.execute(f"{insert}({', '.join(['%s'] * len(batch))}) ORDER BY {pk}", [*params, *batch])
            if cursor.rowcount != len(batch):
                # Records without ids: never write records without their history.
                raise RuntimeError(f"Some new {model._meta.verbose_name_plural} have no ids to write history against.")


def bulk_update_audited(model, instances, fields, *, actor, reason, date, batch_size):
    """Update `fields` of many records with one "~" history entry each, many-to-many links included."""
    bulk_update_with_history(
        instances,
        model,
        fields,
        batch_size=batch_size,
        default_user=actor,
        default_change_reason=reason,
        default_date=date,
    )
    _snapshot_relations(model, instances, date, batch_size)


def _snapshot_relations(model, instances, history_date, batch_size):
    """Copy each updated record's many-to-many links into its new history entry, as a single save would.

    bulk_update_with_history writes the fields only; without this the entry would read as if every link
    had been removed.
    """
    history_model = model.history.model
    for start in range(0, len(instances), batch_size):
        ids = [instance.pk for instance in instances[start : start + batch_size]]
        entries = dict(
            history_model.objects.filter(id__in=ids, history_date=history_date, history_type="~").values_list(
                "id", "history_id"
            )
        )
        for m2m_field in history_model._history_m2m_fields:
            through = m2m_field.remote_field.through
            snapshot_model = getattr(history_model, m2m_field.name).model
            source, target = get_m2m_field_name(m2m_field), get_m2m_reverse_field_name(m2m_field)
            snapshot_model.objects.bulk_create(
                [
                    snapshot_model(
                        history_id=entries[link[f"{source}_id"]],
                        id=link["id"],
                        **{f"{source}_id": link[f"{source}_id"], f"{target}_id": link[f"{target}_id"]},
                    )
                    for link in through.objects.filter(**{f"{source}_id__in": ids}).values(
                        "id", f"{source}_id", f"{target}_id"
                    )
                ],
                batch_size=batch_size,
            )
