"""5. Export request: the time for the request that queues a PDF to come back.

The request matches itself to a document already issued by its key (kind, language, date, template version
and the records revision read from the audit trail, in one query), records a new job and queues it on
commit; the worker builds the document. Nothing is rendered: the worker side, `disclosure.documents.jobs.render`
(which the outbox calls in-process when there is no broker), is replaced by a recorder that only notes the
job, so what is timed is the web request alone. Each
request asks for another assessment date, so that each one records and queues a new document.
"""

import datetime
from unittest import mock

from django.test import Client
from django.urls import reverse

from bench import data, environment
from bench.measure import SMOKE, Row, log, median_seconds
from disclosure.models import DocumentKind

SIZES = (30, 300) if SMOKE else (500, 5000)  # the productions of the pages benchmark
REQUESTS = 3 if SMOKE else 15
TARGET_MS = 100


class QueueRecorder:
    """Stands in for the worker: remembers what would have been rendered."""

    def __init__(self):
        self.queued = []

    def render(self, document_id):
        self.queued.append(document_id)


def _median_request(client, url, dates):
    def request():
        response = client.post(
            url, {"kind": DocumentKind.STATEMENT, "language": "en", "assessment_date": next(dates).isoformat()}
        )
        assert response.status_code == 302, response.status_code

    return median_seconds(request, runs=REQUESTS, warmup=1) * 1000


def run():
    # The sections before write tens of thousands of history rows (the imports): statistics as autovacuum would
    # have them by now, or PostgreSQL walks a whole history table for the records revision's newest entry.
    environment.analyse()
    rows = []
    recorder = QueueRecorder()
    dates = (datetime.date(2026, 9, 1) + datetime.timedelta(days=day) for day in range(10_000))
    with mock.patch("disclosure.documents.jobs.render", recorder.render):
        for uses in SIZES:
            production, producer = data.shared_production(uses)
            client = Client()
            client.force_login(producer)
            trivial = median_seconds(lambda client=client: client.get("/bench/trivial/"), runs=REQUESTS, warmup=3)
            url = reverse("disclosure:document-request", args=[production.pk])
            latency = _median_request(client, url, dates)
            log(f"export request, {uses} uses: {latency:.1f} ms")
            rows.append(
                Row(
                    f"Export request, statement of {uses * 7 // 10:,} final uses ({uses:,} uses): median",
                    latency,
                    trivial * 1000,
                    "ms",
                    "trivial view",
                    target=f"< {TARGET_MS} ms",
                    met=latency < TARGET_MS,
                )
            )
    assert len(recorder.queued) == len(SIZES) * (REQUESTS + 1), "every request queued its document"
    return rows, []
