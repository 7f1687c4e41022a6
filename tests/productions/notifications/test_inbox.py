"""The inbox page: entries newest first, linking to their records, the unread count in the header, marking read;
only one's own entries, of productions one is still a member of. And the e-mail settings page."""

import datetime

import pytest
from django.urls import reverse

from productions import services
from productions.models import Notification, NotificationSettings
from productions.vocabularies import EmailFrequency, NotificationEvent
from tests.productions.notifications.conftest import approved_consent

INBOX = "/inbox/"


@pytest.fixture
def revoked(team, performer):
    consent = approved_consent(performer)
    services.revoke_consent(
        actor=team["producer"], consent=consent, on=datetime.date(2026, 5, 4), reason="The performer wrote."
    )
    return consent


def entry_of(user):
    return Notification.objects.get(recipient=user, event=NotificationEvent.CONSENT_REVOKED)


def test_the_inbox_shows_each_entry_linked_to_its_record_and_the_unread_count(client, team, production, revoked):
    client.force_login(team["legal"])

    page = client.get(INBOX).content.decode()

    assert "Consent revoked" in page
    assert "The consent of Ricardo Darín (Digital alteration) was withdrawn on May 4, 2026" in page
    assert f'href="/productions/{production.pk}/consents/{revoked.pk}/"' in page
    assert "Inbox <span" in page and "(1 unread)" in page
    assert "Mark all read" in page


def test_the_header_counts_unread_entries_on_every_page(client, team, revoked):
    client.force_login(team["legal"])

    assert "(1 unread)" in client.get(reverse("productions:home")).content.decode()
    client.force_login(team["producer"])  # the revocation's author was not told
    assert "unread)" not in client.get(reverse("productions:home")).content.decode()


def test_marking_an_entry_read_updates_the_count(client, team, revoked):
    client.force_login(team["legal"])
    entry = entry_of(team["legal"])

    response = client.post(reverse("productions:notification-read", args=[entry.pk]), {"next": INBOX})

    assert response.status_code == 302 and response.url == INBOX
    entry.refresh_from_db()
    assert entry.read_at is not None
    page = client.get(INBOX).content.decode()
    assert "unread)" not in page and "Consent revoked" in page


def test_marking_all_read(client, team, production, performer, revoked):
    services.revoke_consent(
        actor=team["producer"], consent=approved_consent(performer), on=datetime.date(2026, 5, 5), reason="Again."
    )
    client.force_login(team["legal"])

    client.post(reverse("productions:notifications-read-all"))

    assert not Notification.objects.filter(recipient=team["legal"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=team["colleague"], read_at__isnull=True).count() == 2


def test_another_users_entry_cannot_be_marked_read(client, team, outsider, revoked):
    entry = entry_of(team["legal"])

    for user in (team["colleague"], outsider):
        client.force_login(user)
        assert client.post(reverse("productions:notification-read", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.read_at is None


def test_marking_read_is_a_post(client, team, revoked):
    client.force_login(team["legal"])

    assert client.get(reverse("productions:notification-read", args=[entry_of(team["legal"]).pk])).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(client, revoked):
    response = client.get(INBOX)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.post(reverse("productions:notifications-read-all")).status_code == 302
    assert "unread" not in client.get(reverse("login")).content.decode()


def test_a_viewer_and_an_outsider_have_an_empty_inbox(client, viewer, outsider, revoked):
    for user in (viewer, outsider):
        client.force_login(user)
        page = client.get(INBOX).content.decode()
        assert "Nothing in your inbox." in page and "Consent revoked" not in page


def test_a_former_member_no_longer_sees_the_productions_entries(client, team, production, revoked):
    team["colleague"].memberships.filter(production=production).delete()
    client.force_login(team["colleague"])

    page = client.get(INBOX).content.decode()

    assert "Nothing in your inbox." in page and "unread)" not in page


def test_the_inbox_is_paginated_newest_first(client, team, performer):
    for day in range(1, 28):
        services.revoke_consent(
            actor=team["producer"], consent=approved_consent(performer), on=datetime.date(2026, 5, day), reason="No."
        )
    client.force_login(team["legal"])

    first = client.get(INBOX).content.decode()
    second = client.get(INBOX + "?page=2").content.decode()

    assert "May 27, 2026" in first and "May 1, 2026" not in first and "Page 1 of 2" in first
    assert "May 1, 2026" in second and "(27 unread)" in second


@pytest.mark.parametrize("count", [2, 20])
def test_the_inbox_costs_the_same_queries_for_few_or_many_entries(
    client, team, performer, django_assert_max_num_queries, count
):
    for day in range(1, count + 1):
        services.revoke_consent(
            actor=team["producer"], consent=approved_consent(performer), on=datetime.date(2026, 5, day), reason="No."
        )
    client.force_login(team["legal"])

    with django_assert_max_num_queries(5):
        response = client.get(INBOX)

    assert response.content.decode().count("Mark read:") == count


def test_a_user_chooses_a_daily_digest_in_french(client, team):
    client.force_login(team["legal"])
    settings_url = reverse("productions:notification-settings")

    page = client.get(settings_url).content.decode()
    assert "Immediately" in page and "Daily digest" in page and "Never (inbox only)" in page

    response = client.post(settings_url, {"email": EmailFrequency.DAILY, "language": "fr"})
    assert response.status_code == 302
    saved = NotificationSettings.objects.get(user=team["legal"])
    assert (saved.email, saved.language) == (EmailFrequency.DAILY, "fr")

    client.post(settings_url, {"email": EmailFrequency.NEVER, "language": "en"})
    assert NotificationSettings.objects.filter(user=team["legal"]).count() == 1
    assert NotificationSettings.objects.get(user=team["legal"]).email == EmailFrequency.NEVER


def test_an_unknown_choice_is_refused(client, team):
    client.force_login(team["legal"])

    response = client.post(reverse("productions:notification-settings"), {"email": "hourly", "language": "en"})

    assert response.status_code == 200
    assert not NotificationSettings.objects.exists()
