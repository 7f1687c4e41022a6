"""Shared fixtures: one production with a producer, a legal reviewer, a viewer and an outsider."""

import os

import pytest

from productions.vocabularies import Role
from tests.factories import CuratorFactory, MembershipFactory, ProductionFactory, UserFactory
from tests.module_data import copy_files, kept_for_module, signed_as_in_tests


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
    from django.core.cache import cache

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REELPROOF_SIGNING_KEY_FILE = str(signing_credentials.key_file)
    settings.REELPROOF_SIGNING_CERT_FILE = str(signing_credentials.cert_file)
    # Password hashing is deliberately slow; tests create many users and check no hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rolled-back tests reuse ids, hence records revisions: a page cached by one test must not serve the next.
    cache.clear()
    yield
    # A request in French leaves French active in this thread; the next test starts in English.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker, tmp_path_factory, signing_credentials):
    """The demo loaded once for the module that asks for it (some 3 s a load), in a transaction kept open until its
    last test and then rolled back (tests/module_data.py): (the folder of its files, what load_demo returned)."""
    from seeds.loader import load_demo

    yield from kept_for_module(
        django_db_blocker, tmp_path_factory.mktemp("demo-files"), load_demo, **signed_as_in_tests(signing_credentials)
    )


@pytest.fixture
def demo(demo_module, db, settings):
    """The demo's records, the test in a savepoint over them with its own copy of their files (signed consents,
    withdrawal letters): what load_demo returned."""
    folder, result = demo_module
    copy_files(folder, settings)
    return result


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


def broker_url_of_this_worker(url):
    """The broker URL for this test process: under pytest-xdist (`make test` runs `-n auto`) each worker
    process gwN uses Redis database number (N + the URL's own) modulo 16, so that a Celery worker started by
    one test process never takes a task sent by another (which would name a document in the other's test
    database, test_<name>_gwN). Run without xdist, the URL is used as it is."""
    from urllib.parse import urlsplit, urlunsplit

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not url.startswith("redis://"):
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database + int(worker[2:])) % 16}"))


@pytest.fixture
def real_services(settings):
    """PostgreSQL as the database and Redis as the broker, or a skip (a failure under REQUIRE_SERVICES=1).

    Returns the broker URL of this test process (`broker_url_of_this_worker`), which the Celery workers the
    test starts consume from and this process sends to (tests/celery_fixtures.py)."""
    import redis
    from django.db import connection

    problems = []
    broker_url = broker_url_of_this_worker(settings.CELERY_BROKER_URL)
    if connection.vendor != "postgresql":
        problems.append(f"DATABASE_URL is not PostgreSQL (using {connection.vendor})")
    if not broker_url.startswith("redis://"):
        problems.append("CELERY_BROKER_URL is not a redis:// URL")
    else:
        try:
            redis.Redis.from_url(broker_url, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at {broker_url} does not answer: {error}")
    if problems:
        reason = "needs real services: " + "; ".join(problems)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " (REQUIRE_SERVICES=1)")
        pytest.skip(reason)
    settings.CELERY_BROKER_URL = broker_url
    return broker_url
