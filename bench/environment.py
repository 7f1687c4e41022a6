"""A throwaway Django for the benchmarks: its own SQLite file and private media in a temp dir, tasks in-process.

`setup()` must run before anything imports the app's models: it sets the environment the settings read,
migrates the empty database and puts the benchmark's URLs (a trivial view, then the app's) in front.
"""

import os
import shutil
import tempfile
from pathlib import Path

_workdir = None


def workdir() -> Path:
    return Path(_workdir)


def configure(directory):
    """The environment the settings read, pointing at `directory`; shared with the memory subprocess."""
    directory = Path(directory)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["REELPROOF_VAR_DIR"] = str(directory)
    os.environ["PRIVATE_MEDIA_ROOT"] = str(directory / "private")
    os.environ["MEDIA_ROOT"] = str(directory / "media")
    os.environ["STATIC_ROOT"] = str(directory / "static")
    # No broker: Celery runs tasks in-process, and nothing reaches a network.
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["CACHE_URL"] = ""
    os.environ["DEBUG"] = "0"
    # The test client's host. Not setup_test_environment(): its template instrumentation would slow pages down.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    (directory / "static").mkdir(exist_ok=True)


def setup():
    """Create the temp dir, configure Django, migrate; returns the temp dir."""
    global _workdir
    _workdir = tempfile.mkdtemp(prefix="reelproof-bench-")
    configure(_workdir)

    import django

    django.setup()

    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0, interactive=False)
    # The trivial view sits in front of the app's URLs, behind the same middleware. Passwords are hashed
    # fast, as in the tests: every synthetic production has a producer, and no request checks a password.
    override_settings(
        ROOT_URLCONF="bench.urls", PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ).enable()
    return workdir()


def connect(directory):
    """In a subprocess: the same settings and database as the parent run, already migrated."""
    global _workdir
    _workdir = str(directory)
    configure(directory)
    import django

    django.setup()


def teardown():
    from django.db import connections

    connections.close_all()
    if _workdir:
        shutil.rmtree(_workdir, ignore_errors=True)
