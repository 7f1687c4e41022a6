"""Refusing a write that would lose someone else's: a decision already taken, an edit made on an old version.

The services claim the row (SELECT ... FOR UPDATE) and read it again before they check it; whoever
comes second is told who got there first, and when, so they can reload and decide again.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from productions.vocabularies import ReviewState

CONFLICT = "conflict"

ALREADY_DECIDED = {
    ReviewState.APPROVED: lambda: _("This consent was already approved by %(name)s at %(time)s; reload to see it."),
    ReviewState.REJECTED: lambda: _("This consent was already rejected by %(name)s at %(time)s; reload to see it."),
    ReviewState.CHANGES_REQUESTED: lambda: _(
        "Changes to this consent were already requested by %(name)s at %(time)s; reload to see it."
    ),
}


class Conflict(ValidationError):
    """Someone changed the record first: the API answers 409, a page shows the message and keeps the input."""

    def __init__(self, message):
        super().__init__(message, code=CONFLICT)


def lock(instance):
    """Claim the record's row until the transaction ends and read it again, as stored now."""
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
    return instance


def next_version(instance, version=None):
    """Refuse an edit made on another version than the stored one; else count this write (row locked)."""
    if version is not None and version != instance.version:
        name, time = last_change(instance)
        raise Conflict(
            _(
                "Someone changed this record since you opened it (now version %(version)s, by %(name)s at %(time)s)."
                " Reload, reapply your change."
            )
            % {"version": instance.version, "name": name, "time": time}
        )
    instance.version += 1


def last_change(instance):
    """(who, when) of the record's latest audited change, as a person reads them."""
    entry = instance.history.select_related("history_user").first()
    if entry is None:
        return _("someone"), _format_time(instance.updated_at)
    return _name(entry.history_user), _format_time(entry.history_date)


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else _("someone")


def _format_time(moment):
    moment = timezone.localtime(moment)
    if moment.date() == timezone.localdate():
        return date_format(moment, "TIME_FORMAT")
    return date_format(moment, "SHORT_DATETIME_FORMAT")


def decision_conflict(consent, seen_state, target):
    """The refusal for a decision on a consent someone else decided or changed meanwhile, or None."""
    decided = consent.review_state in ALREADY_DECIDED
    if not (decided and target in ALREADY_DECIDED) and consent.review_state == seen_state:
        return None  # not a race: an ordinary transition the state does not allow
    name, time = last_change(consent)
    if decided:
        if consent.reviewed_by_id:  # the decision itself, whatever changed since
            name, time = _name(consent.reviewed_by), _format_time(consent.reviewed_at)
        return Conflict(ALREADY_DECIDED[consent.review_state]() % {"name": name, "time": time})
    return Conflict(
        _("This consent was changed by %(name)s at %(time)s (now “%(state)s”); reload to see it.")
        % {"name": name, "time": time, "state": consent.get_review_state_display()}
    )
