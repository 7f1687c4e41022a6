"""A throwaway Django for the benchmarks: its own database, private media in a temp dir, tasks in-process.

The database is a fresh PostgreSQL database (`bench_<pid>_<time>`, dropped at teardown) when the server at
`BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432`) answers, else a SQLite file in the temp dir.
`BENCH_DATABASE=postgres` or `BENCH_DATABASE=sqlite` chooses instead (postgres then fails if the server does not
answer). `setup()` must run before anything imports the app's models: it sets the environment the settings read,
migrates the empty database and puts the benchmark's URLs (the floors, then the app's) in front.
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# Written into the temp dir, so that a subprocess given the directory (bench/memory.py) opens the same database.
DATABASE_URL_FILE = "database_url"

_workdir = None
_postgres_database = None


def workdir() -> Path:
    return Path(_workdir)


def _postgres_admin(**options):
    """A connection to the server's maintenance database, in autocommit (CREATE/DROP DATABASE need it)."""
    import psycopg

    return psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True, **options)


def _postgres_available():
    import psycopg

    try:
        with _postgres_admin(connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def _choose_database(directory):
    """The database URL of this run: a new PostgreSQL database, or a SQLite file in `directory`."""
    global _postgres_database
    wanted = os.environ.get("BENCH_DATABASE", "").strip().lower()
    if wanted not in ("", "postgres", "sqlite"):
        raise SystemExit(f"BENCH_DATABASE is postgres or sqlite, not {wanted!r}.")
    if wanted == "postgres" or (wanted == "" and _postgres_available()):
        name = f"bench_{os.getpid()}_{int(time.time())}"
        with _postgres_admin(connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        _postgres_database = name
        return f"{POSTGRES_URL}/{name}"
    return f"sqlite:///{Path(directory) / 'bench.sqlite3'}"


def configure(directory):
    """The environment the settings read, pointing at `directory`; shared with the memory subprocess."""
    directory = Path(directory)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = (directory / DATABASE_URL_FILE).read_text().strip()
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
    """Create the temp dir and the database, configure Django, migrate; returns the temp dir."""
    global _workdir
    _workdir = tempfile.mkdtemp(prefix="reelproof-bench-")
    (workdir() / DATABASE_URL_FILE).write_text(_choose_database(_workdir))
    configure(_workdir)

    import django

    django.setup()

    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0, interactive=False)
    # The floors sit in front of the app's URLs, behind the same middleware. Passwords are hashed
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


def database():
    """What the run measures on, as RESULTS.md states it: "PostgreSQL 15.20" or "SQLite 3.40.1"."""
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.ensure_connection()
        version = connection.connection.info.server_version  # 150020 for 15.20
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def analyse():
    """The planner's statistics and the visibility map, as a database in use has them: bulk inserts leave both to
    autovacuum, whenever, and until then an index-only scan still reads every table row it finds (VACUUM cannot
    run in a transaction: Django's connection is in autocommit here)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def teardown():
    global _postgres_database
    from django.db import connections

    connections.close_all()
    if _postgres_database:
        with _postgres_admin(connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{_postgres_database}" WITH (FORCE)')
        _postgres_database = None
    if _workdir:
        shutil.rmtree(_workdir, ignore_errors=True)
