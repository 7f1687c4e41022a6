"""`celery worker` whose PDF building first waits SLOW_RENDER_SECONDS: a worker to kill mid-render.

Run as `python -m tests.slow_render_worker worker [options]` by tests/celery_fixtures.py. The delay is
patched in here, in the test process tree only: the app itself has no test hook.
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from config.celery import app  # noqa: E402  after django.setup()
from disclosure.documents import building  # noqa: E402

_build_pdf = building.render


def _slow_render(document):
    time.sleep(float(os.environ["SLOW_RENDER_SECONDS"]))
    return _build_pdf(document)


building.render = _slow_render

if __name__ == "__main__":
    app.worker_main(sys.argv[1:])
