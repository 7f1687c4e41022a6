"""The periodic run: what expires or falls due is told once, uses an expiry blocks are marked and told, and the
e-mails go out. Celery beat runs it hourly (productions.tasks.send_reminders); `manage.py send_reminders` runs it
from cron and in the embedded default.

Idempotent: each event's key makes it once only per person (events.py), and the run skips the consents whose
event it has already told, so running it twice sends nothing twice and a second run costs a few queries.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from productions import kept_statuses
from productions.models import AIUse, Consent, Notification, Production
from productions.notifications import blocks, email, events
from productions.vocabularies import NotificationEvent, ReviewState

# Days before a consent's term ends that producers and legal are told, the nearer replacing the farther: a consent
# found within 7 days is told "7", not also "30".
NOTICES = (7, 30)


def run(on=None):
    """Tell what is due on `on` (today), mark the uses it blocks, send the e-mails; returns what it did, by kind."""
    on = on or timezone.localdate()
    counts = {}
    with events.emailed_by_caller():
        counts |= _expiring(on)
        counts["expired"] = _expired(on)
        counts["review_overdue"] = _overdue(on)
        # Every use: the statuses are computed for those needing consent; blocks of the others are cleared.
        counts["uses_blocked"] = blocks.refresh(AIUse.objects.all(), on=on, written=False)
    # The statuses the pages filter and count on, made current ahead of the day's first page (kept_statuses).
    counts["statuses_recomputed"] = kept_statuses.ensure(Production.objects.values_list("pk", flat=True), on=on)
    immediate = email.send_pending()
    digests = email.send_digests(on)
    counts["emailed"] = immediate["sent"]
    counts["digests"] = digests["sent"]
    counts["email_failures"] = immediate["failed"] + digests["failed"]
    return counts


def _standing(on):
    """Consents not withdrawn by `on`, with what telling of them reads."""
    return Consent.objects.filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=on)).select_related(
        "person__production", "review_assignee"
    )


def _told(event, consents):
    """The keys of `event` already told about these consents (a queryset)."""
    return set(
        Notification.objects.filter(event=event, consent__in=consents.values("pk"))
        .values_list("key", flat=True)
        .distinct()
    )


def _expiring(on):
    counts = dict.fromkeys((f"expiring_{days}" for days in NOTICES), 0)
    last = on + datetime.timedelta(days=max(NOTICES))
    due = (
        _standing(on)
        .exclude(review_state=ReviewState.REJECTED)
        .filter(expires_on__gte=on, expires_on__lte=last)
        .order_by("expires_on", "pk")
    )
    told = _told(NotificationEvent.CONSENT_EXPIRING, due)
    for consent in due:
        days = min(days for days in NOTICES if consent.expires_on <= on + datetime.timedelta(days=days))
        if events.expiring_key(consent, days) not in told and events.consent_expiring(consent, days):
            counts[f"expiring_{days}"] += 1
    return counts


def _expired(on):
    ended = (
        _standing(on)
        .filter(expires_on__lt=on, review_state__in=[ReviewState.APPROVED, ReviewState.SUBMITTED])
        .order_by("expires_on", "pk")
    )
    told = _told(NotificationEvent.CONSENT_EXPIRED, ended)
    return sum(1 for consent in ended if events.expired_key(consent) not in told and events.consent_expired(consent))


def _overdue(on):
    late = (
        _standing(on).filter(review_state=ReviewState.SUBMITTED, review_due_on__lt=on).order_by("review_due_on", "pk")
    )
    told = _told(NotificationEvent.REVIEW_OVERDUE, late)
    return sum(1 for consent in late if events.overdue_key(consent) not in told and events.review_overdue(consent))
