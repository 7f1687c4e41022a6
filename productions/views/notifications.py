"""The inbox (notifications, newest first; mark one or all read) and how a person wants them e-mailed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from productions.notifications import inbox as notifications
from productions.notifications.forms import NotificationSettingsForm
from productions.notifications.messages import message

PAGE_SIZE = 25


@require_GET
@login_required
def inbox(request):
    page = Paginator(notifications.notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [(notification, message(notification)) for notification in page]
    return render(request, "productions/notifications/inbox.html", {"page": page, "entries": entries})


def _back_to_inbox(request):
    """To the inbox page the button was on."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("productions:inbox")


@require_POST
@login_required
def notification_read(request, pk):
    notifications.mark_read(user=request.user, pk=pk)
    return _back_to_inbox(request)


@require_POST
@login_required
def notifications_read_all(request):
    count = notifications.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
        % {"count": count},
    )
    return _back_to_inbox(request)


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request):
    form = NotificationSettingsForm(request.POST or None, instance=notifications.settings_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            notifications.save_settings(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("productions:notification-settings")
    return render(request, "productions/notifications/settings.html", {"form": form})


urlpatterns = [
    path("inbox/", inbox, name="inbox"),
    path("inbox/<int:pk>/read/", notification_read, name="notification-read"),
    path("inbox/read-all/", notifications_read_all, name="notifications-read-all"),
    path("account/notifications/", notification_settings, name="notification-settings"),
]
