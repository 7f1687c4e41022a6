"""A real Celery worker over Redis and PostgreSQL, for the tests marked `services`.

A test module makes the fixtures its own by naming them:
`worker, broker_mode = celery_fixtures.worker, celery_fixtures.broker_mode`.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app


@pytest.fixture
def worker(real_services, tmp_path):
    """A `celery worker` process on the test database and the test's private file folder."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": real_services,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process, log
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def broker_mode(real_services):
    """Send tasks to the broker from this process instead of running them in-process."""
    celery_app.conf.update(task_always_eager=False, broker_url=real_services)
    yield
    celery_app.conf.update(task_always_eager=True)


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
