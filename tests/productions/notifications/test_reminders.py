"""The periodic run tells what expires or falls due once, marks the uses an expiry blocks, and e-mails it all:
run twice, it sends nothing twice."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from productions.models import BlockedUse, Notification, Production
from productions.notifications import reminders
from productions.tasks import send_reminders
from productions.vocabularies import NotificationEvent, ReviewState
from tests.factories import ConsentFactory
from tests.productions.notifications.conftest import TODAY, approved_consent, covered_use, once, told

EVERYONE_CONCERNED = once("paula", "pedro", "lea", "luis")


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def due(team, production, performer):
    """A consent ending within 30 days, one within 7, one ended yesterday with a use relying on it, and consents
    that are not told: rejected, revoked, ending in two months."""
    ending = approved_consent(performer, expires_on=days(20))
    imminent = approved_consent(performer, expires_on=days(5))
    ended = approved_consent(performer, expires_on=days(-1))
    use = covered_use(production, performer, ended, title="De-aged flashback")
    ConsentFactory(
        person=performer,
        review_state=ReviewState.REJECTED,
        review_reason="Unsigned.",
        reviewed_at=timezone.now(),
        expires_on=days(5),
    )
    approved_consent(performer, expires_on=days(5), revoked_on=days(-10), revocation_reason="Withdrawn.")
    approved_consent(performer, expires_on=days(60))
    return {"ending": ending, "imminent": imminent, "ended": ended, "use": use}


def test_expiries_are_told_once_to_producers_and_legal_in_the_inbox_and_by_email(due):
    first = reminders.run(on=TODAY)

    assert told(NotificationEvent.CONSENT_EXPIRING) == {"paula": 2, "pedro": 2, "lea": 2, "luis": 2}
    assert told(NotificationEvent.CONSENT_EXPIRED) == EVERYONE_CONCERNED
    assert told(NotificationEvent.USE_BLOCKED) == EVERYONE_CONCERNED
    expiring = Notification.objects.filter(event=NotificationEvent.CONSENT_EXPIRING)
    assert {(n.consent_id, n.details["days"]) for n in expiring} == {(due["ending"].pk, 30), (due["imminent"].pk, 7)}
    assert BlockedUse.objects.get(ai_use=due["use"]).status == "expired"
    assert first == {
        "expiring_7": 1,
        "expiring_30": 1,
        "expired": 1,
        "review_overdue": 0,
        "uses_blocked": 1,
        "statuses_recomputed": Production.objects.count(),  # every production, on the new date
        "emailed": 16,
        "digests": 0,
        "email_failures": 0,
    }
    assert len(mail.outbox) == 16
    rows = Notification.objects.count()

    second = reminders.run(on=TODAY)

    assert Notification.objects.count() == rows
    assert len(mail.outbox) == 16
    assert set(second.values()) == {0}


def test_a_consent_told_at_30_days_is_told_again_at_7_and_then_no_more(team, performer):
    consent = approved_consent(performer, expires_on=days(20))

    reminders.run(on=TODAY)
    reminders.run(on=days(14))
    reminders.run(on=days(15))

    entries = Notification.objects.filter(event=NotificationEvent.CONSENT_EXPIRING, recipient=team["producer"])
    assert sorted(entry.details["days"] for entry in entries) == [7, 30]
    assert all(entry.consent_id == consent.pk for entry in entries)


def test_a_consent_already_within_7_days_is_not_also_told_30(team, performer):
    approved_consent(performer, expires_on=days(3))

    reminders.run(on=TODAY)

    entries = Notification.objects.filter(event=NotificationEvent.CONSENT_EXPIRING, recipient=team["legal"])
    assert [entry.details["days"] for entry in entries] == [7]


def test_an_extended_term_is_told_again_when_it_nears_its_new_end(team, performer):
    consent = approved_consent(performer, expires_on=days(5))
    reminders.run(on=TODAY)

    consent.expires_on = days(40)
    consent.save()
    reminders.run(on=days(15))

    assert told(NotificationEvent.CONSENT_EXPIRING)["paula"] == 2


def test_an_expiry_blocks_the_uses_relying_on_it_when_it_comes(team, production, performer):
    consent = approved_consent(performer, expires_on=days(5))
    use = covered_use(production, performer, consent)

    reminders.run(on=TODAY)
    assert not BlockedUse.objects.filter(ai_use=use).exists()
    assert told(NotificationEvent.USE_BLOCKED) == {}

    reminders.run(on=days(6))
    reminders.run(on=days(7))

    assert BlockedUse.objects.get(ai_use=use).status == "expired"
    assert told(NotificationEvent.USE_BLOCKED) == EVERYONE_CONCERNED
    assert told(NotificationEvent.CONSENT_EXPIRED) == EVERYONE_CONCERNED
    entry = Notification.objects.get(event=NotificationEvent.USE_BLOCKED, recipient=team["producer"])
    assert entry.ai_use_id == use.pk


def test_an_overdue_review_is_told_to_its_assignee_or_else_to_legal_once(team, performer):
    assigned = ConsentFactory(
        person=performer,
        review_state=ReviewState.SUBMITTED,
        review_assignee=team["colleague"],
        review_due_on=days(-1),
    )
    ConsentFactory(person=performer, review_state=ReviewState.SUBMITTED, review_due_on=days(-2))
    ConsentFactory(person=performer, review_state=ReviewState.SUBMITTED, review_due_on=days(0))  # due today

    assert reminders.run(on=TODAY)["review_overdue"] == 2
    assert reminders.run(on=TODAY)["review_overdue"] == 0

    assert told(NotificationEvent.REVIEW_OVERDUE) == {"luis": 2, "lea": 1}
    assert Notification.objects.filter(event=NotificationEvent.REVIEW_OVERDUE, consent=assigned).count() == 1


@pytest.mark.parametrize("consents", [2, 12])
def test_a_second_run_costs_the_same_few_queries_however_many_consents_are_due(
    team, production, performer, django_assert_max_num_queries, consents
):
    for n in range(consents):
        ended = approved_consent(performer, expires_on=days(-1 - n))
        covered_use(production, performer, ended)
        approved_consent(performer, expires_on=days(1 + n))
    reminders.run(on=TODAY)

    with django_assert_max_num_queries(20):
        reminders.run(on=TODAY)


def test_the_command_prints_what_it_did_and_runs_on_a_given_date(due, capsys):
    call_command("send_reminders", "--on", TODAY.isoformat())
    printed = capsys.readouterr().out

    assert "expiring 30: 1" in printed and "expired: 1" in printed and "emailed: 16" in printed
    call_command("send_reminders", "--on", TODAY.isoformat())
    assert "emailed: 0" in capsys.readouterr().out


def test_the_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--on", "1 June")


def test_celery_beat_runs_the_reminders_and_the_email_sweep(due, monkeypatch):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"productions.tasks.send_reminders", "productions.tasks.send_notification_emails"} <= tasks

    # The task runs today's reminders: today, every consent above has ended.
    counts = send_reminders()
    assert counts["expired"] >= 1
    assert send_reminders()["emailed"] == 0
