"""2. Pages and API: the ledger (unfiltered and filtered by consent status) and the API list of AI uses.

Queries per request are counted with CaptureQueriesContext on a production with many uses and on one with
a tenth of them: the count must not grow. Latency is the median of requests made with the test client,
signed in, through the whole middleware stack, against a trivial view (HttpResponse("ok")) behind the same
middleware in the same process.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import data
from bench.measure import SMOKE, Row, log, median_seconds

USES = 300 if SMOKE else 5000
FEW_USES = USES // 10
REQUESTS = 5 if SMOKE else 30
MAX_QUERIES = 15


# The floor each kind of request pays, reported beside the baseline (views in bench/urls.py).
FLOORS = {"page": ("/bench/empty-page/", "app's empty page"), "api": ("/bench/empty-api/", "empty DRF view")}


def _pages(production):
    """(name, url, floor) of each measured request."""
    ledger = reverse("productions:ledger", args=[production.pk])
    api = f"/api/v1/productions/{production.pk}/ai-uses/"
    return [
        ("Ledger page", ledger, "page"),
        ("Ledger page, filtered by consent status", f"{ledger}?consent_status=blocked", "page"),
        ("API list of AI uses", api, "api"),
        ("API list of AI uses, blocked only", f"{api}?blocked=true", "api"),
    ]


def _queries(client, url):
    client.get(url)  # warm: the first request of a session may write to it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def run():
    few, few_user = data.shared_production(FEW_USES)
    many, many_user = data.shared_production(USES)
    few_client, client = _client(few_user), _client(many_user)

    def latency_of(client, url, warmup=3):
        return median_seconds(lambda: client.get(url), runs=REQUESTS, warmup=warmup) * 1000

    trivial = latency_of(client, "/bench/trivial/", warmup=5)
    floors = {kind: (latency_of(client, url, warmup=5), label) for kind, (url, label) in FLOORS.items()}
    log(f"trivial view: {trivial:.2f} ms; " + "; ".join(f"{label}: {ms:.2f} ms" for ms, label in floors.values()))
    rows, notes = [], [f"Trivial view (HttpResponse, same middleware, signed in): {trivial:.2f} ms median."]
    notes += [f"The {label}, signed in: {ms:.2f} ms median." for ms, label in floors.values()]
    for (name, url, floor_kind), (_name, few_url, _floor) in zip(_pages(many), _pages(few), strict=True):
        queries, few_queries = _queries(client, url), _queries(few_client, few_url)
        rows.append(
            Row(
                f"{name}: queries, {USES:,} uses",
                queries,
                few_queries,
                "queries",
                f"{FEW_USES:,} uses",
                target=f"<= {MAX_QUERIES}, not growing",
                met=queries <= MAX_QUERIES and queries <= few_queries,
            )
        )
        latency, few_latency = latency_of(client, url), latency_of(few_client, few_url)
        log(f"{name}: {queries} queries, {latency:.1f} ms ({few_latency:.1f} ms at {FEW_USES:,} uses)")
        notes.append(f"{name}: {latency:.1f} ms median at {USES:,} uses, {few_latency:.1f} ms at {FEW_USES:,} uses.")
        rows.append(
            Row(
                f"{name}: median latency, {USES:,} uses",
                latency,
                trivial,
                "ms",
                "trivial view",
                target="<= 3x",
                met=latency <= 3 * trivial,
            )
        )
        # Reported beside the target: the page's own cost over the floor every such page pays, and what
        # the latency does as the ledger grows tenfold.
        floor, floor_label = floors[floor_kind]
        rows.append(Row(f"{name}: median latency against {floor_label}", latency, floor, "ms", floor_label))
        rows.append(
            Row(
                f"{name}: median latency, {USES:,} against {FEW_USES:,} uses",
                latency,
                few_latency,
                "ms",
                f"{FEW_USES:,} uses",
            )
        )
    return rows, notes
