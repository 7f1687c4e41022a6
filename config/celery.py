"""The Celery app; its settings are the CELERY_* names in config/settings.py."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("reelproof")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def _refuse_a_loopback_public_address(**kwargs):
    # The worker prints the public address in every PDF it renders (disclosure.checks). Celery logs and
    # swallows a signal handler's exceptions; SystemExit stops the worker.
    from django.core.exceptions import ImproperlyConfigured

    from disclosure.checks import refuse_to_start

    try:
        refuse_to_start()
    except ImproperlyConfigured as error:
        raise SystemExit(f"Refusing to start: {error}") from error
