"""Writing audited changes: one history entry per change, with who, when, why and the relations."""

import functools

from django.db import connection
from django.db.models import CASCADE, DO_NOTHING, SET_NULL
from django.db.models.signals import post_save
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_m2m_records, pre_create_historical_m2m_records
from simple_history.utils import (
    bulk_create_with_history,
    get_m2m_field_name,
    get_m2m_reverse_field_name,
)


class KeptHistoryManager(HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        # django-simple-history makes `Model.history`'s manager class on every access, every audited save included
        # (HistoryDescriptor.__get__): half a millisecond of class creation, a twentieth of a page test's time. The
        # class depends on these arguments alone: made once.
        return super().from_queryset(queryset_class, class_name)


class AuditTrail(HistoricalRecords):
    """django-simple-history's HistoricalRecords, its manager class made once (KeptHistoryManager) and its entries'
    links copied by id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("history_manager", KeptHistoryManager)
        super().__init__(*args, **kwargs)

    def create_historical_record_m2ms(self, history_instance, instance):
        # The library's, without building the record again from its new entry (only to name the link table) and
        # without joining each link to the records it links (only their ids are copied): half an AI use's save.
        for field in history_instance._history_m2m_fields:
            snapshot = self.m2m_models[field]
            through = field.remote_field.through
            columns = [link_field.attname for link_field in through._meta.fields]
            links = through.objects.filter(**{get_m2m_field_name(field): instance}).values(*columns)
            rows = [snapshot(history=history_instance, **link) for link in links]
            signal = {"history_instance": history_instance, "instance": instance, "field": field}
            pre_create_historical_m2m_records.send(sender=snapshot, rows=rows, **signal)
            created = snapshot.objects.bulk_create(rows)
            post_create_historical_m2m_records.send(sender=snapshot, created_rows=created, **signal)


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
        # The library reads the new records back with their ids; the instances given keep none.
        return bulk_create_with_history(
            instances, model, batch_size=batch_size, default_user=actor, default_change_reason=reason, default_date=date
        )
    model.objects.bulk_create(instances, batch_size=batch_size)
    _copy_creations(model, instances, user=actor, reason=reason, date=date, batch_size=batch_size)
    return instances


def _copy_creations(model, instances, *, user, reason, date, batch_size):
    ids = [instance.pk for instance in instances]
    _copy_rows(model, ids, "+", user=user, reason=reason, date=date, batch_size=batch_size)


def _copy_rows(model, ids, history_type, *, user, reason, date, batch_size):
    """One history entry of `history_type` for each record of `ids`, copied by the database from its row."""
    history = model.history.model
    quote = connection.ops.quote_name
    # (column in the history table, column in the records' table) of each field the history keeps
    copied = [(history._meta.get_field(f.name).column, f.column) for f in history.tracked_fields]
    stamp = {
        "history_date": date,
        "history_user": user.pk,
        "history_change_reason": reason,
        "history_type": history_type,
    }
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
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            # In the order the records were inserted, so history ids follow it as bulk_create_with_history's do.
            cursor.execute(f"{insert}({', '.join(['%s'] * len(batch))}) ORDER BY {pk}", [*params, *batch])
            if cursor.rowcount != len(batch):
                # Records without ids, or gone: never write a change without its history.
                raise RuntimeError(f"Some {model._meta.verbose_name_plural} have no row to write history from.")


def bulk_delete_audited(model, instances, *, actor, reason, date, batch_size):
    """Delete many records with one "-" history entry each, by `actor` with `reason` at `date`.

    Deleting records one by one (or a queryset, which sends the same signals) writes each entry in queries of
    its own, under the request's user rather than the actor. Here the entries are copied from the rows before
    they go, holding no links, as delete_audited's do (the links are gone when its entry is written); the rows
    that point at the records go as their relations declare, through Django's delete (one query each, unless
    they have history of their own to write).
    """
    ids = [instance.pk for instance in instances]
    relations = [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)
    ]
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        _copy_rows(model, batch, "-", user=actor, reason=reason, date=date, batch_size=batch_size)
        for m2m_field in model._meta.many_to_many:
            through = m2m_field.remote_field.through
            through._base_manager.filter(**{f"{m2m_field.m2m_field_name()}__in": batch}).delete()
        for relation in relations:
            related = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": batch})
            on_delete = relation.field.remote_field.on_delete
            if on_delete is SET_NULL:
                related.update(**{relation.field.name: None})
            elif on_delete is CASCADE:
                related.delete()
            elif on_delete is not DO_NOTHING:
                raise RuntimeError(f"Deleting {model.__name__} in bulk does not handle {relation.field}.")
        # Signals would write a second entry per record: the rows go in one statement, as the entries came.
        records = model._base_manager.filter(pk__in=batch)
        if records._raw_delete(records.db) != len(batch):
            raise RuntimeError(f"Some {model._meta.verbose_name_plural} were already gone.")


def bulk_update_audited(model, instances, fields, *, actor, reason, date, batch_size):
    """Update `fields` of many records with one "~" history entry each, many-to-many links included.

    The entries are copied by the database from the rows as updated, as bulk_create_audited's are: built in
    Python (bulk_update_with_history), SQLite takes some twenty 50-column entries per INSERT.
    """
    model.objects.bulk_update(instances, fields, batch_size=batch_size)
    ids = [instance.pk for instance in instances]
    _copy_rows(model, ids, "~", user=actor, reason=reason, date=date, batch_size=batch_size)
    _snapshot_relations(model, instances, date, batch_size)


def update_audited(model, instances, values, *, actor, reason, date, batch_size):
    """Set the same `values` (expressions allowed) on many records, with one "~" history entry each, many-to-many
    links included.

    Set-based: per batch, one UPDATE, and the entries and their links copied by the database from the rows as
    updated. bulk_update_audited writes a CASE per field and record, which SQLite takes a few dozen records
    at a time.
    """
    ids = [instance.pk for instance in instances]
    for start in range(0, len(ids), batch_size):
        model.objects.filter(pk__in=ids[start : start + batch_size]).update(**values)
    _copy_rows(model, ids, "~", user=actor, reason=reason, date=date, batch_size=batch_size)
    _snapshot_relations(model, instances, date, batch_size)


def _snapshot_relations(model, instances, history_date, batch_size):
    """Copy each updated record's many-to-many links into its new "~" history entry, as a single save would.

    The bulk writers write the fields only; without this the entry would read as if every link had been removed.
    One INSERT ... SELECT per relation and batch, whatever the number of links.
    """
    history = model.history.model
    quote = connection.ops.quote_name
    stamp = [history._meta.get_field("history_date"), history._meta.get_field("history_type")]
    params = [
        field.get_db_prep_save(value, connection) for field, value in zip(stamp, (history_date, "~"), strict=True)
    ]
    ids = [instance.pk for instance in instances]
    for m2m_field in history._history_m2m_fields:
        through = m2m_field.remote_field.through
        snapshot = getattr(history, m2m_field.name).model
        names = ("id", get_m2m_field_name(m2m_field), get_m2m_reverse_field_name(m2m_field))
        link = [quote(through._meta.get_field(name).column) for name in names]
        into = [quote(snapshot._meta.get_field(name).column) for name in (*names, "history")]
        # Names from the models, quoted; every value is a parameter.
        insert = (
            f"INSERT INTO {quote(snapshot._meta.db_table)} ({', '.join(into)}) "  # noqa: S608
            f"SELECT {', '.join(f'link.{column}' for column in link)}, entry.{quote(history._meta.pk.column)} "
            f"FROM {quote(through._meta.db_table)} link INNER JOIN {quote(history._meta.db_table)} entry "
            f"ON entry.{quote(history._meta.get_field('id').column)} = link.{link[1]} "
            f"WHERE entry.{quote(stamp[0].column)} = %s AND entry.{quote(stamp[1].column)} = %s AND link.{link[1]} IN "
        )
        with connection.cursor() as cursor:
            for start in range(0, len(ids), batch_size):
                batch = ids[start : start + batch_size]
                cursor.execute(f"{insert}({', '.join(['%s'] * len(batch))})", [*params, *batch])
