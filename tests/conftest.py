"""Shared fixtures: one production with a producer, a legal reviewer, a viewer and an outsider."""

import os

import pytest

from productions.vocabularies import Role
from tests.factories import CuratorFactory, MembershipFactory, ProductionFactory, UserFactory


@pytest.fixture(scope="session")
def signing_credentials(tmp_path_factory):
    """One signing key and certificate for the session, as a studio configures them: a new RSA key per test
    would cost half a second each. The instance's own key, created on first use, is tested on its own."""
    from django.test import override_settings

    from disclosure import signing

    folder = tmp_path_factory.mktemp("signing")
    with override_settings(PRIVATE_MEDIA_ROOT=folder):
        creds = signing.credentials()
    return creds


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, signing_credentials):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REELPROOF_SIGNING_KEY_FILE = str(signing_credentials.key_file)
    settings.REELPROOF_SIGNING_CERT_FILE = str(signing_credentials.cert_file)
    # Password hashing is deliberately slow; tests create many users and check no hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    # A request in French leaves French active in this thread; the next test starts in English.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def production(db):
    return ProductionFactory(title="El Eternauta")


@pytest.fixture
def producer(production):
    return MembershipFactory(production=production, user=UserFactory(username="paula"), role=Role.PRODUCER).user


@pytest.fixture
def legal(production):
    return MembershipFactory(production=production, user=UserFactory(username="lea"), role=Role.LEGAL).user


@pytest.fixture
def viewer(production):
    return MembershipFactory(production=production, user=UserFactory(username="victor"), role=Role.VIEWER).user


@pytest.fixture
def curator(db):
    """Curates the shared tool catalogue; a member of no production."""
    return CuratorFactory(username="carmen")


@pytest.fixture
def outsider(db):
    """Belongs to another production only: sees nothing of `production`."""
    other = MembershipFactory(user=UserFactory(username="oscar"), role=Role.PRODUCER)
    return other.user


def pytest_configure(config):
    # The suite runs tasks in-process even when CELERY_BROKER_URL is set (as in CI); only the
    # tests marked `services` send tasks over the real broker, to a real worker.
    from django.conf import settings

    from config.celery import app

    app.conf.task_always_eager = True
    # The suite serves on no public address: PDFs may print the loopback default (disclosure.checks).
    settings.REELPROOF_ALLOW_LOOPBACK = True


@pytest.fixture
def real_services(settings):
    """PostgreSQL as the database and Redis as the broker, or a skip (a failure under REQUIRE_SERVICES=1)."""
    import redis
    from django.db import connection

    problems = []
    if connection.vendor != "postgresql":
        problems.append(f"DATABASE_URL is not PostgreSQL (using {connection.vendor})")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        problems.append("CELERY_BROKER_URL is not a redis:// URL")
    else:
        try:
            redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at {settings.CELERY_BROKER_URL} does not answer: {error}")
    if problems:
        reason = "needs real services: " + "; ".join(problems)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " (REQUIRE_SERVICES=1)")
        pytest.skip(reason)
    return settings.CELERY_BROKER_URL
