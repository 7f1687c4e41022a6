"""The public address printed in PDFs must be one the world can reach once the app is deployed.

What serves or renders refuses to start on a loopback address with DEBUG off: `config.wsgi` (gunicorn,
any WSGI server, and `runserver`, which loads it) and the Celery worker (which prints the address in
PDFs), through `refuse_to_start`; `manage.py check --deploy` reports it too. It is a deployment check,
not one every management command runs: `makemigrations`, `collectstatic` or `export_disclosure` on a
developer's machine have no public address to get right. With DEBUG on, or REELPROOF_ALLOW_LOOPBACK=1
(`make run`, the test suite), a loopback address is allowed: the app is then served on this machine.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TAG = "reelproof_public_url"


def _is_loopback(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@checks.register(TAG, deploy=True)
def public_url(app_configs=None, **kwargs):
    url = settings.REELPROOF_PUBLIC_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            checks.Error(
                f"REELPROOF_PUBLIC_URL is {url!r}, not an http(s) address.",
                hint="Set it to the address people open the app at, e.g. https://reelproof.example.org.",
                id="reelproof.E001",
            )
        ]
    if settings.DEBUG or settings.REELPROOF_ALLOW_LOOPBACK or not _is_loopback(parts.hostname):
        return []
    return [
        checks.Error(
            f"REELPROOF_PUBLIC_URL is {url}, a loopback address: every PDF would print a verification link "
            "and QR code nobody else can open.",
            hint="Set REELPROOF_PUBLIC_URL to the public address of this instance, e.g. "
            "https://reelproof.example.org (REELPROOF_ALLOW_LOOPBACK=1 to serve on this machine only).",
            id="reelproof.E002",
        )
    ]


def refuse_to_start():
    """For servers that run no system checks: raise on the errors `manage.py check` would report."""
    found = checks.run_checks(tags=[TAG], include_deployment_checks=True)
    errors = [message for message in found if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{error.msg} {error.hint}" for error in errors))
