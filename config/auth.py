"""Sign-in throttling with django-axes: who is counted, and what a locked-out person reads."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import ngettext


class SignInThrottle(AxesStandaloneBackend):
    """Refuses a sign-in over HTTP while its account and address are locked out; checks no password.

    A call with no request (the test client's `login`, a script) is no sign-in over the web: it is not
    counted, where django-axes would raise.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The client's address as the API throttling reads it: X-Forwarded-For only behind API_NUM_PROXIES."""
    proxies = settings.REST_FRAMEWORK["NUM_PROXIES"]
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page again, saying why the sign-in was refused and for how long."""
    minutes = settings.AXES_COOLOFF_MINUTES
    message = ngettext(
        "Too many failed sign-ins for this account from your address. Try again in %(minutes)s minute.",
        "Too many failed sign-ins for this account from your address. Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "lockout_message": message, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
