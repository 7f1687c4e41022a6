"""E-mail as each reader chose: immediately (the default), in a daily digest, or never; in their language, with a
link to the record; each notification e-mailed once, even by two workers at once, and retried when sending fails."""

import datetime
import smtplib

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from productions import services
from productions.models import Notification, NotificationSettings
from productions.notifications import email, reminders
from productions.tasks import send_notification_emails
from productions.vocabularies import EmailFrequency, NotificationEvent
from tests.productions.notifications.conftest import TODAY, approved_consent, attach

PUBLIC = "https://reelproof.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.REELPROOF_PUBLIC_URL = PUBLIC


def choose(user, frequency, language="en"):
    NotificationSettings.objects.update_or_create(user=user, defaults={"email": frequency, "language": language})


def to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def revoke(team, consent, actor="producer"):
    return services.revoke_consent(
        actor=team[actor], consent=consent, on=datetime.date(2026, 5, 4), reason="The performer wrote to withdraw."
    )


def test_an_event_is_emailed_after_commit_to_each_reader_once(
    team, production, performer, django_capture_on_commit_callbacks
):
    consent = approved_consent(performer)

    with django_capture_on_commit_callbacks(execute=True):
        revoke(team, consent)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "lea@example.org",
        "luis@example.org",
        "pedro@example.org",
    ]
    message = to(team["legal"])[0]
    assert message.subject == "El Eternauta: Consent revoked"
    assert "The consent of Ricardo Darín (Digital alteration) was withdrawn on May 4, 2026" in message.body
    assert f"{PUBLIC}/productions/{production.pk}/consents/{consent.pk}/" in message.body
    assert f"{PUBLIC}/account/notifications/" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    assert email.send_pending() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 3


def test_an_email_is_in_the_language_the_reader_chose(team, performer, django_capture_on_commit_callbacks):
    choose(team["legal"], EmailFrequency.IMMEDIATELY, language="fr")
    consent = approved_consent(performer)

    with django_capture_on_commit_callbacks(execute=True):
        revoke(team, consent)

    french, english = to(team["legal"])[0], to(team["colleague"])[0]
    assert "4 mai 2026" in french.body and "Altération numérique" in french.body
    assert "May 4, 2026" in english.body and "Digital alteration" in english.body


def test_never_means_the_inbox_only_even_after_switching_to_email(team, performer, django_capture_on_commit_callbacks):
    choose(team["legal"], EmailFrequency.NEVER)
    consent = approved_consent(performer)

    with django_capture_on_commit_callbacks(execute=True):
        revoke(team, consent)
    email.send_digests(TODAY)

    assert to(team["legal"]) == []
    assert Notification.objects.filter(recipient=team["legal"], event=NotificationEvent.CONSENT_REVOKED).exists()

    # What came while e-mail was off is not sent as a backlog when it is turned on.
    choose(team["legal"], EmailFrequency.IMMEDIATELY)
    email.send_pending()
    assert to(team["legal"]) == []


def test_a_reader_without_an_address_is_skipped_and_not_tried_again(team, performer):
    team["colleague"].email = ""
    team["colleague"].save()
    revoke(team, approved_consent(performer))

    email.send_pending()

    assert to(team["colleague"]) == []
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_daily_digest_lists_the_day_once(team, performer):
    choose(team["legal"], EmailFrequency.DAILY, language="fr")
    revoke(team, approved_consent(performer))
    revoke(team, approved_consent(performer, kind="digital_alteration"))

    email.send_pending()
    assert to(team["legal"]) == [], "a digest reader gets no immediate e-mail"

    assert email.send_digests(TODAY) == {"sent": 1, "failed": 0}
    assert email.send_digests(TODAY) == {"sent": 0, "failed": 0}
    (digest,) = to(team["legal"])
    assert "2" in digest.subject
    assert digest.body.count(f"{PUBLIC}/productions/") == 2
    assert "El Eternauta" in digest.body and "4 mai 2026" in digest.body

    # The next day: nothing new, no e-mail; something new, one more digest.
    assert email.send_digests(TODAY + datetime.timedelta(days=1)) == {"sent": 0, "failed": 0}
    revoke(team, approved_consent(performer))
    assert email.send_digests(TODAY + datetime.timedelta(days=1)) == {"sent": 1, "failed": 0}
    assert len(to(team["legal"])) == 2


def test_the_periodic_run_sends_the_digests_once_a_day(team, performer):
    choose(team["producer"], EmailFrequency.DAILY)
    approved_consent(performer, expires_on=TODAY + datetime.timedelta(days=3))

    assert reminders.run(on=TODAY)["digests"] == 1
    assert reminders.run(on=TODAY)["digests"] == 0
    assert len(to(team["producer"])) == 1


def test_two_workers_sweeping_at_once_send_each_notification_once(team, performer, monkeypatch):
    revoke(team, approved_consent(performer))
    send = mail.EmailMessage.send
    swept = []

    def send_while_another_worker_sweeps(message, *args, **kwargs):
        if not swept:
            swept.append(email.send_pending())  # the second worker, between our claim and our send
        return send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send_while_another_worker_sweeps)
    email.send_pending()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "lea@example.org",
        "luis@example.org",
        "pedro@example.org",
    ]


def test_a_failed_sending_is_released_and_sent_by_the_next_sweep(team, performer, monkeypatch):
    revoke(team, approved_consent(performer))

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(mail.EmailMessage, "send", refuse)
        assert email.send_pending() == {"sent": 0, "failed": 1}
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 3

    assert email.send_pending() == {"sent": 3, "failed": 0}
    assert len(mail.outbox) == 3


def test_a_failed_digest_gives_its_day_back(team, performer, monkeypatch):
    choose(team["legal"], EmailFrequency.DAILY)
    revoke(team, approved_consent(performer))

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(mail.EmailMessage, "send", refuse)
        assert email.send_digests(TODAY) == {"sent": 0, "failed": 1}

    assert email.send_digests(TODAY) == {"sent": 1, "failed": 0}
    assert len(to(team["legal"])) == 1


def test_when_the_broker_is_down_the_event_stands_and_the_sweep_emails_it(
    team, consent, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notification_emails, "delay", refuse)
    attach(team["producer"], consent)

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_consent(actor=team["producer"], consent=consent)

    assert mail.outbox == []
    assert send_notification_emails() == {"sent": 2, "failed": 0}
    assert sorted(message.to[0] for message in mail.outbox) == ["lea@example.org", "luis@example.org"]


def test_a_former_member_is_not_emailed(team, production, performer):
    revoke(team, approved_consent(performer))
    team["colleague"].memberships.filter(production=production).delete()

    email.send_pending()

    assert to(team["colleague"]) == []
