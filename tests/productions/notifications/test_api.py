"""The inbox in the API: one's own notifications only, an `unread` filter, marking one or all read."""

import datetime

import pytest
import yaml
from django.core.cache import cache
from rest_framework.test import APIClient

from productions import services
from productions.models import Notification
from tests.api.conftest import assert_error, token_client
from tests.productions.notifications.conftest import approved_consent

NOTIFICATIONS = "/api/v1/notifications/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def entries(team, performer):
    """Two revocations told to legal: the newer one read."""
    for day in (4, 5):
        services.revoke_consent(
            actor=team["producer"], consent=approved_consent(performer), on=datetime.date(2026, 5, day), reason="No."
        )
    older, newer = Notification.objects.filter(recipient=team["legal"]).order_by("created_at", "pk")
    return {"older": older, "newer": newer}


def test_a_user_lists_their_notifications_newest_first_with_what_they_say(team, production, entries):
    response = token_client(team["legal"]).get(NOTIFICATIONS)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["results"]] == [entries["newer"].pk, entries["older"].pk]
    item = body["results"][0]
    assert item["event"] == "consent_revoked"
    assert item["title"] == "Consent revoked"
    assert item["text"].startswith("The consent of Ricardo Darín (Digital alteration) was withdrawn on May 5, 2026")
    assert item["url"] == f"http://testserver/productions/{production.pk}/consents/{entries['newer'].consent_id}/"
    assert item["actor"] == "paula" and item["production_title"] == "El Eternauta"
    assert item["unread"] is True and item["details"]["on"] == "2026-05-05"


def test_the_text_follows_the_requests_language(team, entries):
    response = token_client(team["legal"]).get(NOTIFICATIONS, HTTP_ACCEPT_LANGUAGE="fr")

    assert "5 mai 2026" in response.json()["results"][0]["text"]


def test_marking_one_read_and_filtering_on_unread(team, entries):
    client = token_client(team["legal"])

    response = client.post(f"{NOTIFICATIONS}{entries['newer'].pk}/read/")

    assert response.status_code == 200 and response.json()["unread"] is False
    unread = client.get(NOTIFICATIONS, {"unread": "true"}).json()["results"]
    assert [item["id"] for item in unread] == [entries["older"].pk]
    read = client.get(NOTIFICATIONS, {"unread": "false"}).json()["results"]
    assert [item["id"] for item in read] == [entries["newer"].pk]


def test_marking_all_read(team, entries):
    client = token_client(team["legal"])

    response = client.post(f"{NOTIFICATIONS}read-all/")

    assert response.status_code == 200 and response.json() == {"marked": 2}
    assert client.get(NOTIFICATIONS, {"unread": "true"}).json()["count"] == 0
    assert Notification.objects.filter(recipient=team["colleague"], read_at__isnull=True).count() == 2


def test_another_users_notification_is_not_found(team, outsider, entries):
    for user in (team["colleague"], outsider):
        client = token_client(user)
        assert_error(client.get(f"{NOTIFICATIONS}{entries['older'].pk}/"), 404, "not_found")
        assert_error(client.post(f"{NOTIFICATIONS}{entries['older'].pk}/read/"), 404, "not_found")
    entries["older"].refresh_from_db()
    assert entries["older"].read_at is None
    assert token_client(outsider).get(NOTIFICATIONS).json()["count"] == 0


def test_anonymous_callers_are_refused(entries):
    assert_error(APIClient().get(NOTIFICATIONS), 401)
    assert_error(APIClient().post(f"{NOTIFICATIONS}read-all/"), 401)


def test_the_schema_documents_the_inbox(db):
    paths = yaml.safe_load(APIClient().get("/api/schema/").content)["paths"]

    assert {"/api/v1/notifications/", "/api/v1/notifications/{id}/read/", "/api/v1/notifications/read-all/"} <= set(
        paths
    )
    assert "unread" in {parameter["name"] for parameter in paths["/api/v1/notifications/"]["get"]["parameters"]}
