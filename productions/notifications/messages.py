"""What each notification says, in the reader's language, and the record it links to.

A notification keeps raw values in `details` (names, kind and status codes, ISO dates); the words are chosen
when it is read, in the language active then: the reader's in the inbox, the one they chose in an e-mail.
"""

import datetime
from typing import NamedTuple
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from productions.consent_status import ConsentStatus
from productions.vocabularies import ConsentKind, NotificationEvent


class Message(NamedTuple):
    title: str
    text: str
    path: str  # the record it is about, on this site


def message(notification):
    """The title, the sentence and the link of a notification, in the active language."""
    details = notification.details or {}
    title, text = SENTENCES[notification.event](_Facts(notification, details))
    return Message(title, text, path_of(notification))


def path_of(notification):
    """The consent or use a notification is about; for many uses, the ledger filtered on their status."""
    production_id = notification.production_id
    if notification.consent_id:
        return reverse("productions:consent-detail", args=[production_id, notification.consent_id])
    if notification.ai_use_id:
        return reverse("productions:ai-use-detail", args=[production_id, notification.ai_use_id])
    status = {
        NotificationEvent.USE_BLOCKED: (notification.details or {}).get("status"),
        NotificationEvent.COVERAGE_AWAITED: ConsentStatus.SCOPE_TO_CONFIRM,
    }.get(notification.event)
    if status in ConsentStatus.values:
        return reverse("productions:ledger", args=[production_id]) + "?" + urlencode({"consent_status": status})
    return reverse("productions:dashboard", args=[production_id])


class _Facts:
    """The values a sentence reads, as a reader sees them: labels for codes, dates in the reader's format."""

    def __init__(self, notification, details):
        self.details = details
        self.actor = _person_name(notification.actor) if notification.actor_id else _("Someone")
        self.person = details.get("person", "")
        self.kind = _label(ConsentKind, details.get("kind"))
        self.reason = details.get("reason", "")
        self.on = _date(details.get("on"))
        self.due = _date(details.get("due"))
        self.count = int(details.get("count") or 0)
        self.days = int(details.get("days") or 0)
        self.status = _label(ConsentStatus, details.get("status"))

    @property
    def uses(self):
        named = list(self.details.get("uses", []))
        return ", ".join(named) + (", …" if self.count > len(named) else "")

    def __getitem__(self, name):  # for "%(name)s" % facts
        return getattr(self, name)


def _person_name(user):
    return user.get_full_name() or user.get_username()


def _label(choices, value):
    return str(choices(value).label) if value in choices.values else (value or "")


def _date(value):
    try:
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return ""


def _submitted(f):
    return (
        _("Consent submitted for review"),
        _("%(actor)s submitted the consent of %(person)s (%(kind)s) for legal review.") % f,
    )


def _approved(f):
    return _("Consent approved"), _("%(actor)s approved the consent of %(person)s (%(kind)s).") % f


def _rejected(f):
    return _("Consent rejected"), _("%(actor)s rejected the consent of %(person)s (%(kind)s): %(reason)s") % f


def _changes_requested(f):
    return (
        _("Changes requested on a consent"),
        _("%(actor)s asked for changes to the consent of %(person)s (%(kind)s): %(reason)s") % f,
    )


def _revoked(f):
    return (
        _("Consent revoked"),
        _("The consent of %(person)s (%(kind)s) was withdrawn on %(on)s: %(reason)s") % f,
    )


def _expiring(f):
    return (
        ngettext("Consent ends within %(days)d day", "Consent ends within %(days)d days", f.days) % f,
        _("The consent of %(person)s (%(kind)s) ends on %(on)s; after that, the uses relying on it are blocked.") % f,
    )


def _expired(f):
    return (
        _("Consent expired"),
        _("The consent of %(person)s (%(kind)s) ended on %(on)s: the uses relying on it are blocked.") % f,
    )


def _use_blocked(f):
    return (
        ngettext("%(count)d AI use blocked", "%(count)d AI uses blocked", f.count) % f,
        ngettext(
            "%(count)d AI use can no longer go into the work (%(status)s): %(uses)s.",
            "%(count)d AI uses can no longer go into the work (%(status)s): %(uses)s.",
            f.count,
        )
        % f,
    )


def _coverage_awaited(f):
    return (
        _("Coverage to confirm"),
        ngettext(
            "%(count)d AI use relies on a valid consent that nobody has yet confirmed covers it: %(uses)s.",
            "%(count)d AI uses rely on valid consents that nobody has yet confirmed cover them: %(uses)s.",
            f.count,
        )
        % f,
    )


def _review_assigned(f):
    if f.due:
        text = _("%(actor)s asked you to review the consent of %(person)s (%(kind)s) by %(due)s.") % f
    else:
        text = _("%(actor)s asked you to review the consent of %(person)s (%(kind)s).") % f
    return _("Review assigned to you"), text


def _review_overdue(f):
    return _("Review overdue"), _("The review of the consent of %(person)s (%(kind)s) was due on %(due)s.") % f


SENTENCES = {
    NotificationEvent.CONSENT_SUBMITTED: _submitted,
    NotificationEvent.CONSENT_APPROVED: _approved,
    NotificationEvent.CONSENT_REJECTED: _rejected,
    NotificationEvent.CONSENT_CHANGES_REQUESTED: _changes_requested,
    NotificationEvent.CONSENT_REVOKED: _revoked,
    NotificationEvent.CONSENT_EXPIRING: _expiring,
    NotificationEvent.CONSENT_EXPIRED: _expired,
    NotificationEvent.USE_BLOCKED: _use_blocked,
    NotificationEvent.COVERAGE_AWAITED: _coverage_awaited,
    NotificationEvent.REVIEW_ASSIGNED: _review_assigned,
    NotificationEvent.REVIEW_OVERDUE: _review_overdue,
}
