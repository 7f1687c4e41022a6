"""A deployment must not run on the key committed in this repository.

The default SECRET_KEY lets `make run` and the tests work with no environment; anyone can read it, so
with DEBUG off it would let them forge sessions, password-reset links and signed values. `manage.py
check` reports it as an error, and what serves or works refuses to start on it: `config.wsgi` (gunicorn,
any WSGI server, and `runserver`) and the Celery worker, through `refuse_to_start`, next to the public
address check (disclosure.checks).
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TAG = "reelproof_secret_key"


@checks.register(TAG, deploy=True)
def secret_key(app_configs=None, **kwargs):
    if settings.DEBUG or settings.SECRET_KEY != settings.REPOSITORY_SECRET_KEY:
        return []
    return [
        checks.Error(
            "SECRET_KEY is the key committed in this repository, which anyone can read: sessions, "
            "password-reset links and signed values could be forged.",
            hint="Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value kept secret, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (DEBUG=1 only on a developer's machine).",
            id="reelproof.E003",
        )
    ]


def refuse_to_start():
    """For servers that run no system checks: raise on the errors `manage.py check --deploy` would report."""
    found = checks.run_checks(tags=[TAG], include_deployment_checks=True)
    errors = [message for message in found if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{error.msg} {error.hint}" for error in errors))
