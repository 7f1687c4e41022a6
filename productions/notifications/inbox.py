"""A person's inbox: reading it (selectors) and marking it read (services); their e-mail settings.

A person sees the entries of the productions they are still a member of: someone removed from a production
no longer hears of it, even from what was told before. Another person's entry does not exist for them (404).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from productions.models import Membership, Notification, NotificationSettings
from productions.vocabularies import EmailFrequency


def notifications_for(user):
    """The user's notifications, newest first, of the productions they are a member of."""
    if not user.is_authenticated:
        return Notification.objects.none()
    member = Membership.objects.filter(production=OuterRef("production_id"), user_id=user.pk)
    return (
        Notification.objects.filter(Exists(member), recipient_id=user.pk)
        .select_related("production", "actor")
        .order_by("-created_at", "-id")
    )


def unread_count(user):
    """One COUNT query: the user's unread notifications."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def get_notification(user, pk):
    return get_object_or_404(notifications_for(user), pk=pk)


def mark_read(*, user, pk):
    """Mark one of the user's notifications read (404 for anyone else's); marking it again changes nothing."""
    notification = get_notification(user, pk)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, user):
    """Mark every unread notification of the user read; returns how many."""
    return notifications_for(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def settings_of(user):
    """The user's e-mail settings; the defaults (immediately, in English) until they save theirs."""
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)


def save_settings(*, user, email, language):
    """How the user wants to hear of events by e-mail, and in which language; created on first save."""
    errors = {}
    if email not in EmailFrequency.values:
        errors["email"] = _("Choose how often to be told by e-mail.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose a language Reelproof speaks.")
    if errors:
        raise ValidationError(errors)
    saved, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email": email, "language": language}
    )
    return saved
