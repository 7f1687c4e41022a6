"""A deployment is safe by default: HTTPS settings from the environment, and never the repository's key."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.celery import _refuse_the_repository_secret_key
from config.checks import refuse_to_start, secret_key

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-value-kept-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "REELPROOF_PUBLIC_URL": "https://reelproof.example",
    "ALLOWED_HOSTS": "reelproof.example",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
}


# Set by the browser tests for Playwright's event loop in this process; no deployment sets it.
NOT_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def inherited():
    return {key: value for key, value in os.environ.items() if key not in PRODUCTION and key not in NOT_INHERITED}


def run_manage(*args, **env):
    environment = inherited()
    environment.update({key: value for key, value in env.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=environment, capture_output=True, text=True, timeout=120
    )


def settings_under(**env):
    names = [
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS",
    ]  # fmt: skip
    read = "{n: getattr(settings, n) for n in " + repr(names) + "}"
    code = f"import json; from django.conf import settings; print(json.dumps({read}))"
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_finds_nothing_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_https_settings_are_on_by_default_in_production():
    values = settings_under(**PRODUCTION)

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert "https://reelproof.example" in values["CSRF_TRUSTED_ORIGINS"]


def test_each_https_setting_can_be_turned_down_from_the_environment():
    values = settings_under(**PRODUCTION, DJANGO_SECURE_HSTS_SECONDS="3600", DJANGO_SECURE_HSTS_PRELOAD="0")

    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_PRELOAD"] is False


def test_a_local_run_over_http_keeps_plain_cookies_and_no_redirect():
    values = settings_under(DEBUG="1")

    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False


@pytest.fixture
def deployed(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.REPOSITORY_SECRET_KEY
    return settings


def test_the_repository_key_is_refused_with_debug_off(deployed):
    assert [message.id for message in secret_key()] == ["reelproof.E003"]
    with pytest.raises(ImproperlyConfigured, match="key committed in this repository"):
        refuse_to_start()
    with pytest.raises(SystemExit, match="Refusing to start"):
        _refuse_the_repository_secret_key()


def test_the_deployment_check_reports_the_repository_key():
    result = run_manage("check", "--deploy", **{**PRODUCTION, "SECRET_KEY": None})

    assert result.returncode != 0
    assert "reelproof.E003" in result.stderr


def test_the_wsgi_application_refuses_to_start_on_the_repository_key():
    environment = inherited()
    environment.update(PRODUCTION)
    del environment["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], env=environment, capture_output=True, text=True, timeout=120
    )

    assert result.returncode != 0
    assert "key committed in this repository" in result.stderr


def test_debug_and_a_real_key_are_both_accepted(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = settings.REPOSITORY_SECRET_KEY
    assert secret_key() == []
    settings.DEBUG = False
    settings.SECRET_KEY = PRODUCTION["SECRET_KEY"]
    assert secret_key() == []
