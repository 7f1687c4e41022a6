"""The unread count in the header of every page, for signed-in users: one COUNT query, made only when a page
shows it."""

from django.utils.functional import SimpleLazyObject

from productions.notifications.inbox import unread_count


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
