"""Real Celery workers over Redis and PostgreSQL, for the tests marked `services`.

A test module makes the fixtures its own by naming them:
`worker, broker_mode = celery_fixtures.worker, celery_fixtures.broker_mode` (and `start_worker` for
several workers, or one whose rendering is slow: tests/slow_render_worker.py). `fake_broker` needs no
service: a broker that is down until the test brings it up.

Under pytest-xdist each test process has a database of its own and a Redis database of its own for the
broker (`real_services`, tests/conftest.py): its workers never take a task another process sent.
"""

import os
import secrets
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools
from kombu.exceptions import OperationalError

from config.celery import app as celery_app

WORKER_OPTIONS = ["--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]


class Workers:
    """`celery worker` processes on the test database and the test's private file folder."""

    def __init__(self, broker_url, log_folder):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": broker_url,
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            # Test workers print the loopback address in PDFs; deployments refuse it (disclosure.checks).
            "REELPROOF_ALLOW_LOOPBACK": "1",
            # A worker with DEBUG off refuses the repository's key (config.checks); it signs nothing with it.
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
        self.log_folder = log_folder
        self.started = []

    def start(self, name="worker", render_delay=None):
        """A new worker; with `render_delay` it waits that many seconds before building each PDF."""
        env = dict(self.env)
        if render_delay is None:
            command = [sys.executable, "-m", "celery", "-A", "config", "worker", *WORKER_OPTIONS]
        else:
            env["SLOW_RENDER_SECONDS"] = str(render_delay)
            command = [sys.executable, "-m", "tests.slow_render_worker", "worker", *WORKER_OPTIONS]
        log = self.log_folder / f"{name}.log"
        process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.started.append(process)
        return process, log

    def stop_all(self):
        for process in self.started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


@pytest.fixture
def start_worker(real_services, tmp_path):
    """`start_worker(name, render_delay=None)` starts a worker and returns (process, log path)."""
    workers = Workers(real_services, tmp_path)
    yield workers.start
    workers.stop_all()


@pytest.fixture
def worker(real_services, tmp_path):
    """One `celery worker` process: (process, log path)."""
    workers = Workers(real_services, tmp_path)
    yield workers.start()
    workers.stop_all()


def use_broker(url):
    """Send this process's tasks to another broker, dropping the connections it holds."""
    pools.reset()
    # What Celery itself resets after a fork: the next send opens a connection to the new URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # Sending uses the write URL; `broker_url` would yield to a CELERY_BROKER_URL environment variable.
    celery_app.conf.broker_write_url = url


@pytest.fixture
def broker_mode(real_services):
    """Send tasks to the broker from this process instead of running them in-process."""
    celery_app.conf.task_always_eager = False
    use_broker(real_services)
    yield
    use_broker(real_services)
    celery_app.conf.task_always_eager = True


class FakeBroker:
    """The broker as this process sees it: down until `up` is set, then it keeps what it is sent."""

    def __init__(self):
        self.up = False
        self.sent = []

    def send_task(self, name, args=(), **options):
        if not self.up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.sent.append((name, *args))


@pytest.fixture
def fake_broker(monkeypatch):
    broker = FakeBroker()
    monkeypatch.setattr(celery_app, "send_task", broker.send_task)
    celery_app.conf.task_always_eager = False
    yield broker
    celery_app.conf.task_always_eager = True


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
