"""E-mail: each notification e-mailed immediately, or listed in a daily digest, or never, as its reader chose.

Sending is claimed with a conditional update (`filter(pk=..., emailed_at__isnull=True).update(...) == 1`): of two
workers sweeping at once, only the one whose update changed the row sends it; a claimed notification whose
sending fails is released for the next sweep. A digest claims its day on the reader's settings the same way.

`emailed_at` closes the e-mail side of a notification: set when it was sent, and also when it never will be
(its reader chose "never", has no e-mail address, is inactive, or is no longer a member of the production), so
that a reader who turns e-mail on later is not sent a backlog, and nothing is tried again forever.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from config.celery import BROKER_ERRORS
from productions.models import Membership, Notification, NotificationSettings
from productions.notifications.inbox import settings_of
from productions.notifications.messages import message
from productions.vocabularies import EmailFrequency

logger = logging.getLogger(__name__)

# The most notifications one sweep e-mails; the next sweep takes the rest.
BATCH = 200
# A digest lists this many entries and counts the rest (all are in the inbox).
DIGEST_LISTED = 50


def queue_immediate():
    """Send the e-mail sweep to a worker (after an event is committed); when the broker is down the periodic
    sweep sends what is pending."""
    from productions.tasks import send_notification_emails

    try:
        send_notification_emails.delay()
    except BROKER_ERRORS as error:
        logger.warning("The broker did not take the notification e-mails; the periodic sweep will send them: %s", error)


def settle_unsendable(now):
    """Close the e-mail side of the pending notifications that will never be e-mailed; returns how many."""
    member = Membership.objects.filter(production=OuterRef("production_id"), user=OuterRef("recipient_id"))
    never = (
        Q(recipient__notification_settings__email=EmailFrequency.NEVER)
        | Q(recipient__email="")
        | Q(recipient__is_active=False)
        | ~Q(Exists(member))
    )
    return Notification.objects.filter(never, emailed_at__isnull=True).update(emailed_at=now)


def _claim(pk, now):
    return Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(emailed_at=now) == 1


def _release(now, **which):
    """Give back what this sweep claimed at `now` and could not send, for the next sweep."""
    Notification.objects.filter(emailed_at=now, **which).update(emailed_at=None)


def _subject(text):
    return " ".join(text.split())  # a header holds one line


def _absolute(path):
    return settings.REELPROOF_PUBLIC_URL + path


def _entry(notification):
    said = message(notification)
    return {
        "title": said.title,
        "text": said.text,
        "url": _absolute(said.path),
        "production": notification.production.title,
    }


def _immediate_email(notification):
    recipient = notification.recipient
    with translation.override(settings_of(recipient).language):
        entry = _entry(notification)
        body = render_to_string(
            "productions/notifications/email.txt",
            {**entry, "settings_url": _absolute(reverse("productions:notification-settings"))},
        )
        subject = _subject(f"{entry['production']}: {entry['title']}")
    return EmailMessage(subject, body, to=[recipient.email])


def send_pending():
    """E-mail, one by one, the unsent notifications of readers who want them immediately (the default)."""
    now = timezone.now()
    settle_unsendable(now)
    immediately = Q(recipient__notification_settings__isnull=True) | Q(
        recipient__notification_settings__email=EmailFrequency.IMMEDIATELY
    )
    batch = (
        Notification.objects.filter(immediately, emailed_at__isnull=True)
        .select_related("recipient__notification_settings", "production", "actor")
        .order_by("pk")[:BATCH]
    )
    sent = failed = 0
    for notification in batch:
        if not _claim(notification.pk, now):
            continue  # another sweep has it
        done = False
        try:
            _immediate_email(notification).send()
            done = True
        except OSError as error:  # SMTP errors included: the server is likely down, the next sweep retries
            failed += 1
            logger.warning("Notification %s was not e-mailed; the next sweep retries: %s", notification.pk, error)
            break
        finally:
            if not done:
                _release(now, pk=notification.pk)
        sent += 1
    return {"sent": sent, "failed": failed}


def _digest_email(user, language, notifications):
    with translation.override(language):
        listed = notifications[:DIGEST_LISTED]
        groups = {}
        for notification in listed:
            entry = _entry(notification)
            groups.setdefault(entry["production"], []).append(entry)
        body = render_to_string(
            "productions/notifications/digest.txt",
            {
                "count": len(notifications),
                "groups": list(groups.items()),
                "more": len(notifications) - len(listed),
                "inbox_url": _absolute(reverse("productions:inbox")),
                "settings_url": _absolute(reverse("productions:notification-settings")),
            },
        )
        subject = ngettext(
            "Reelproof daily digest: %(count)d notification",
            "Reelproof daily digest: %(count)d notifications",
            len(notifications),
        ) % {"count": len(notifications)}
    return EmailMessage(_subject(subject), body, to=[user.email])


def send_digests(on=None):
    """One e-mail a day to each reader who chose the daily digest, listing their unsent notifications.

    Idempotent: the day is claimed on the reader's settings (`last_digest_on`) before sending, so a second run
    on the same day, or a second worker, sends nothing; a failed digest gives the day and its entries back.
    """
    on = on or timezone.localdate()
    now = timezone.now()
    settle_unsendable(now)
    waiting = Notification.objects.filter(recipient=OuterRef("user_id"), emailed_at__isnull=True)
    due = (
        NotificationSettings.objects.filter(email=EmailFrequency.DAILY)
        .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=on))
        .filter(Exists(waiting))
        .select_related("user")
        .order_by("pk")
    )
    sent = failed = 0
    for reader in due:
        not_yet_today = Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=on)
        if NotificationSettings.objects.filter(not_yet_today, pk=reader.pk).update(last_digest_on=on) != 1:
            continue  # another run sent today's digest
        Notification.objects.filter(recipient_id=reader.user_id, emailed_at__isnull=True).update(emailed_at=now)
        notifications = list(
            Notification.objects.filter(recipient_id=reader.user_id, emailed_at=now)
            .select_related("production", "actor")
            .order_by("production__title", "production_id", "created_at", "pk")
        )
        done = False
        try:
            if notifications:
                _digest_email(reader.user, reader.language, notifications).send()
                sent += 1
            done = True
        except OSError as error:
            failed += 1
            logger.warning("The digest of user %s was not e-mailed; the next run retries: %s", reader.user_id, error)
            break
        finally:
            if not done:
                _release(now, recipient_id=reader.user_id)
                NotificationSettings.objects.filter(pk=reader.pk, last_digest_on=on).update(
                    last_digest_on=reader.last_digest_on
                )
    return {"sent": sent, "failed": failed}
