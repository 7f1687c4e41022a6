"""The Celery app; its settings are the CELERY_* names in config/settings.py."""

import os

from celery import Celery, signals
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("reelproof")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# What sending a task raises when the broker is down or unreachable: kombu wraps most transport errors.
BROKER_ERRORS = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, OSError)


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


@signals.worker_init.connect
def _refuse_the_repository_secret_key(**kwargs):
    # The worker signs and renders with the same settings as the web app (config.checks).
    from django.core.exceptions import ImproperlyConfigured

    from config.checks import refuse_to_start

    try:
        refuse_to_start()
    except ImproperlyConfigured as error:
        raise SystemExit(f"Refusing to start: {error}") from error
