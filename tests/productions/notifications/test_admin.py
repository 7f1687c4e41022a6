"""Staff look notifications up in the admin; they never write them (events do)."""

import datetime

from django.urls import reverse

from productions import services
from productions.models import Notification
from tests.productions.notifications.conftest import approved_consent


def test_staff_read_notifications_but_cannot_add_change_or_delete_them(admin_client, team, performer):
    services.revoke_consent(
        actor=team["producer"], consent=approved_consent(performer), on=datetime.date(2026, 5, 4), reason="No."
    )
    entry = Notification.objects.filter(recipient=team["legal"]).first()

    listing = admin_client.get(reverse("admin:productions_notification_changelist"))
    assert listing.status_code == 200 and "lea" in listing.content.decode()
    assert admin_client.get(reverse("admin:productions_notification_change", args=[entry.pk])).status_code == 200
    assert admin_client.get(reverse("admin:productions_notification_add")).status_code == 403
    assert admin_client.post(reverse("admin:productions_notification_delete", args=[entry.pk])).status_code == 403
    assert Notification.objects.filter(pk=entry.pk).exists()
