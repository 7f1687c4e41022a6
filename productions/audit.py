"""Writing audited changes: one history entry per change, with who, when, why and the relations."""

from django.db.models.signals import post_save


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
