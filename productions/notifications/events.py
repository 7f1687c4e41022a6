"""Who hears of what. `notify` writes one inbox entry per recipient; the event's key makes it once only."""

import contextvars
import hashlib
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from productions.models import Membership, Notification
from productions.vocabularies import NotificationEvent, Role


def members(production, *roles):
    """The users holding one of `roles` on the production."""
    return [m.user for m in Membership.objects.filter(production=production, role__in=roles).select_related("user")]


def notify(event, *, production, recipients, key, consent=None, ai_use=None, actor=None, details=None):
    """Tell `recipients` (except the actor, who knows) of an event, once per recipient and key.

    Runs inside the caller's transaction: a change that is rolled back tells no one. E-mails for those who want
    them immediately are sent after commit; the periodic sweep sends any the broker did not take.
    """
    now = timezone.now()
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if actor is not None:
        users.pop(actor.pk, None)
    if not users:
        return []
    rows = [
        Notification(
            recipient=user,
            production=production,
            event=event,
            key=key,
            consent=consent,
            ai_use=ai_use,
            actor=actor,
            details=details or {},
            created_at=now,
        )
        for user in users.values()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if _email_after_commit.get():
        transaction.on_commit(_send_immediately)
    return rows


_email_after_commit = contextvars.ContextVar("email_after_commit", default=True)


@contextmanager
def emailed_by_caller():
    """Within this block `notify` queues no e-mail sweep per event: the caller (the periodic run) sweeps once."""
    token = _email_after_commit.set(False)
    try:
        yield
    finally:
        _email_after_commit.reset(token)


def _send_immediately():
    from productions.notifications.email import queue_immediate

    queue_immediate()


def _consent_details(consent):
    return {
        "person": consent.person.name,
        "kind": consent.kind,
        "production": consent.person.production.title,
    }


def consent_submitted(consent, actor):
    """To legal: a consent waits for their review (its assignee, when one is named, among them)."""
    production = consent.person.production
    recipients = members(production, Role.LEGAL)
    if consent.review_assignee_id:
        recipients.append(consent.review_assignee)
    notify(
        NotificationEvent.CONSENT_SUBMITTED,
        production=production,
        recipients=recipients,
        key=f"consent-submitted:{consent.pk}:v{consent.version}",
        consent=consent,
        actor=actor,
        details=_consent_details(consent),
    )


DECISION_EVENTS = {
    "approved": NotificationEvent.CONSENT_APPROVED,
    "rejected": NotificationEvent.CONSENT_REJECTED,
    "changes_requested": NotificationEvent.CONSENT_CHANGES_REQUESTED,
}


def consent_decided(consent, actor):
    """To the producers: legal approved, rejected or sent back a consent, with the reason."""
    production = consent.person.production
    notify(
        DECISION_EVENTS[consent.review_state],
        production=production,
        recipients=members(production, Role.PRODUCER),
        key=f"consent-decided:{consent.pk}:v{consent.version}",
        consent=consent,
        actor=actor,
        details={**_consent_details(consent), "reason": consent.review_reason},
    )


def consent_revoked(consent, actor):
    """To producers and legal: the person withdrew their consent."""
    production = consent.person.production
    notify(
        NotificationEvent.CONSENT_REVOKED,
        production=production,
        recipients=members(production, Role.PRODUCER, Role.LEGAL),
        key=f"consent-revoked:{consent.pk}",
        consent=consent,
        actor=actor,
        details={
            **_consent_details(consent),
            "on": consent.revoked_on.isoformat(),
            "reason": consent.revocation_reason,
        },
    )


def review_assigned(consent, actor):
    """To the reviewer a consent's review was given to."""
    if consent.review_assignee_id is None:
        return
    notify(
        NotificationEvent.REVIEW_ASSIGNED,
        production=consent.person.production,
        recipients=[consent.review_assignee],
        key=f"review-assigned:{consent.pk}:v{consent.version}",
        consent=consent,
        actor=actor,
        details={
            **_consent_details(consent),
            "due": consent.review_due_on.isoformat() if consent.review_due_on else "",
        },
    )


# The keys of the reminders' events, which the periodic run also reads to skip what it has already told.


def expiring_key(consent, days):
    return f"consent-expiring:{days}:{consent.pk}:{consent.expires_on.isoformat()}"


def expired_key(consent):
    return f"consent-expired:{consent.pk}:{consent.expires_on.isoformat()}"


def overdue_key(consent):
    return f"review-overdue:{consent.pk}:{consent.review_due_on.isoformat()}"


def consent_expiring(consent, days):
    """To producers and legal: a consent ends within `days` days (30, then 7)."""
    production = consent.person.production
    return notify(
        NotificationEvent.CONSENT_EXPIRING,
        production=production,
        recipients=members(production, Role.PRODUCER, Role.LEGAL),
        key=expiring_key(consent, days),
        consent=consent,
        details={**_consent_details(consent), "on": consent.expires_on.isoformat(), "days": days},
    )


def consent_expired(consent):
    """To producers and legal: a consent's term has ended."""
    production = consent.person.production
    return notify(
        NotificationEvent.CONSENT_EXPIRED,
        production=production,
        recipients=members(production, Role.PRODUCER, Role.LEGAL),
        key=expired_key(consent),
        consent=consent,
        details={**_consent_details(consent), "on": consent.expires_on.isoformat()},
    )


def review_overdue(consent):
    """To the assigned reviewer, or every legal member when none is named: a review is past its due date."""
    production = consent.person.production
    recipients = [consent.review_assignee] if consent.review_assignee_id else members(production, Role.LEGAL)
    return notify(
        NotificationEvent.REVIEW_OVERDUE,
        production=production,
        recipients=recipients,
        key=overdue_key(consent),
        consent=consent,
        details={**_consent_details(consent), "due": consent.review_due_on.isoformat()},
    )


def uses_blocked(production, status, uses, since):
    """To producers and legal: uses newly blocked by their consents (revoked, expired, out of scope...); a
    revocation that blocks five hundred shots is one entry, naming the first of them."""
    ids = sorted(use.pk for use in uses)
    notify(
        NotificationEvent.USE_BLOCKED,
        production=production,
        recipients=members(production, Role.PRODUCER, Role.LEGAL),
        key=f"uses-blocked:{status}:{since.isoformat()}:{_digest(ids)}",
        ai_use=uses[0] if len(uses) == 1 else None,
        details={
            "status": status,
            "count": len(ids),
            "uses": [use.title for use in uses[:MAX_NAMED]],
            "production": production.title,
        },
    )


def coverage_awaited(production, uses, since):
    """To legal: uses rely on a valid consent whose coverage of them nobody has confirmed yet."""
    ids = sorted(use.pk for use in uses)
    notify(
        NotificationEvent.COVERAGE_AWAITED,
        production=production,
        recipients=members(production, Role.LEGAL),
        key=f"coverage-awaited:{since.isoformat()}:{_digest(ids)}",
        ai_use=uses[0] if len(uses) == 1 else None,
        details={"count": len(ids), "uses": [use.title for use in uses[:MAX_NAMED]], "production": production.title},
    )


# An entry about many uses names the first few; its link leads to all of them.
MAX_NAMED = 5


def _digest(ids):
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
