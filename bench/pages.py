"""2. Pages and API at scale: every page of issue 16's table at 5,000 and 50,000 uses, beside the floor.

The issue's set-up: one production of 50,000 uses with 50 others of 1,000 beside it, and one of 5,000 to compare
with. Each page is requested with the test client, signed in as the production's producer, through the whole
middleware stack. The floor is a plain 50-row page behind the same middleware (bench/urls.py: the membership
check, 50 uses with their tool in the app's layout), measured on the same production.

- The first request of each page (at 5,000, then at 50,000 uses) is timed on its own, with its queries: it is
  the one a cache of the page's work (keyed on the records revision and the date) does not help. The page is
  requested once before, on one of the 50 others, so that the first request does not pay for template loading.
- Then queries are counted on a warm request, and the latency is the median of up to 30 requests after warm-up
  (of at least 5, and fewer than 30 once the requests have taken `BUDGET` seconds: slow pages are slow).
"""

import functools
import math
import statistics
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import data, environment
from bench.measure import SMOKE, Row, log, seconds_in_turn, seconds_of, timed

USES = 500 if SMOKE else 50_000
FEW_USES = USES // 10
NEIGHBOURS, NEIGHBOUR_USES = (2, 20) if SMOKE else (50, 1000)
REQUESTS = 5 if SMOKE else 30
BUDGET = 1 if SMOKE else 20  # seconds of requests per page and size, past 5 requests
MAX_QUERIES = 15
FLOOR_TIMES = 2  # the consent-status filters' target: within 2x the floor
PAGE_SIZE = 50  # the API's


@dataclass(frozen=True)
class Page:
    name: str
    path: object  # (client, production) -> the URL to request
    target: str = ""
    met: object = None  # (milliseconds, floor milliseconds) -> bool; None: reported only


def _api(production):
    return f"/api/v1/productions/{production.pk}/ai-uses/"


def _last_page(client, production):
    count = client.get(_api(production)).json()["count"]
    return f"{_api(production)}?page={max(1, math.ceil(count / PAGE_SIZE))}"


PAGES = [
    Page(
        "Checklist page",
        lambda client, production: reverse("disclosure:checklist", args=[production.pk]),
        "<= 1 s",
        lambda ms, floor: ms <= 1000,
    ),
    Page(
        "Statement preview",
        lambda client, production: reverse("disclosure:statement", args=[production.pk]),
        "<= 1 s",
        lambda ms, floor: ms <= 1000,
    ),
    Page(
        "Dashboard",
        lambda client, production: reverse("productions:dashboard", args=[production.pk]),
        "<= 150 ms",
        lambda ms, floor: ms <= 150,
    ),
    Page("Ledger", lambda client, production: reverse("productions:ledger", args=[production.pk])),
    Page(
        "Ledger `?consent_status=blocked`",
        lambda client, production: f"{reverse('productions:ledger', args=[production.pk])}?consent_status=blocked",
        f"<= {FLOOR_TIMES}x the floor",
        lambda ms, floor: ms <= FLOOR_TIMES * floor,
    ),
    Page("API list", lambda client, production: _api(production)),
    Page(
        "API `?blocked=true`",
        lambda client, production: f"{_api(production)}?blocked=true",
        f"<= {FLOOR_TIMES}x the floor",
        lambda ms, floor: ms <= FLOOR_TIMES * floor,
    ),
    Page("API list, last page", _last_page),
]
FLOOR = "plain 50-row page"
# Reported in the notes: what any view, any page and any API view pays.
OTHER_FLOORS = [
    ("/bench/trivial/", "trivial view (HttpResponse, no session loaded)"),
    ("/bench/empty-page/", "app's empty page (signed in, the layout with nothing in it)"),
    ("/bench/empty-api/", "empty DRF view (the API's authentication and permissions)"),
]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _counted(client, url):
    """(milliseconds, queries) of one request."""
    with CaptureQueriesContext(connection) as queries:
        seconds, _response = timed(lambda: _get(client, url))
    return seconds * 1000, len(queries)


def _latency(client, url, warmup):
    """(median milliseconds, requests timed)."""
    times = seconds_of(lambda: client.get(url), runs=REQUESTS, warmup=warmup, budget=BUDGET)
    return statistics.median(times) * 1000, len(times)


def _floor_url(production):
    return reverse("bench-floor", args=[production.pk])


def _build():
    """The productions, built here so that their build times are reported: (few, many, neighbours, notes)."""
    notes = []

    def build(label, function):
        seconds, result = timed(function)
        log(f"built {label} in {seconds:.1f} s")
        notes.append(f"Built {label} in {seconds:.1f} s.")
        return result

    neighbours = build(
        f"{NEIGHBOURS} other productions of {NEIGHBOUR_USES:,} uses (one generated, the others its copies)",
        lambda: data.neighbours(NEIGHBOURS, NEIGHBOUR_USES),
    )
    few = build(f"the production of {FEW_USES:,} uses", lambda: data.shared_production(FEW_USES))
    many = build(f"the production of {USES:,} uses", lambda: data.shared_production(USES))
    environment.analyse()
    return few, many, neighbours, notes


def run():
    few, many, neighbours, notes = _build()
    sizes = [(FEW_USES, *few), (USES, *many)]
    clients = {uses: _client(user) for uses, _production, user in sizes}
    productions = {uses: production for uses, production, _user in sizes}
    neighbour, neighbour_user = neighbours[0]
    neighbour_client = _client(neighbour_user)
    urls = {(page.name, uses): page.path(clients[uses], productions[uses]) for page in PAGES for uses in clients}

    # Templates loaded and compiled on another production, so that a first request pays only for its data.
    for page in PAGES:
        _get(neighbour_client, page.path(neighbour_client, neighbour))
    _get(neighbour_client, _floor_url(neighbour))
    first = {key: _counted(clients[key[1]], url) for key, url in urls.items()}

    # Each page is timed in turn with the floor, request by request: the machine's speed drifts by a third within
    # minutes, and whatever it does meanwhile, it does to both. A page is compared with the floor timed beside it.
    floor_times = {uses: [] for uses in clients}
    measured = {}
    for key, url in urls.items():
        uses = key[1]
        client = clients[uses]
        _get(client, url)  # warm: the first request of a session may write to it
        _warm_ms, queries = _counted(client, url)
        floor_url = _floor_url(productions[uses])
        page_times, beside = seconds_in_turn(
            [functools.partial(client.get, url), functools.partial(client.get, floor_url)],
            runs=REQUESTS,
            warmup=1 if first[key][0] > 500 else 3,
            budget=BUDGET,
        )
        floor_times[uses] += beside
        median, floor_median = statistics.median(page_times) * 1000, statistics.median(beside) * 1000
        measured[key] = (median, queries, len(page_times), floor_median)
        log(
            f"{key[0]}, {uses:,} uses: {median:.1f} ms ({len(page_times)} requests), {queries} queries;"
            f" the floor beside it {floor_median:.1f} ms"
        )
    floor = {uses: statistics.median(times) * 1000 for uses, times in floor_times.items()}
    floor_queries = {uses: _counted(client, _floor_url(productions[uses]))[1] for uses, client in clients.items()}
    log(f"floor ({FLOOR}): {floor[FEW_USES]:.1f} ms at {FEW_USES:,} uses, {floor[USES]:.1f} ms at {USES:,}")

    rows, table, fewer = _report(measured, first, floor, floor_queries)
    if fewer:
        notes.append(f"At {USES:,} uses, medians of fewer requests (past {BUDGET} s of requests): {', '.join(fewer)}.")
    client = clients[USES]
    for url, label in OTHER_FLOORS:
        median, _requests = _latency(client, url, warmup=5)
        notes.append(f"The {label}, signed in: {median:.2f} ms median.")
    title = f"Pages at {FEW_USES:,} and {USES:,} uses (with {NEIGHBOURS} other productions of {NEIGHBOUR_USES:,})"
    return rows, notes, [(title, table)]


def _report(measured, first, floor, floor_queries):
    """(rows of the main table, the issue's table in markdown, pages timed on fewer requests than REQUESTS)."""
    rows, fewer = [], []
    lines = [
        f"| Page | {FEW_USES:,} uses | {USES:,} uses | Growth | Against the floor (timed beside it) "
        f"| First request, {FEW_USES:,} / {USES:,} | Queries, {FEW_USES:,} / {USES:,} (first request) | Target | Met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page in PAGES:
        few_ms, few_queries, _requests, _few_floor = measured[(page.name, FEW_USES)]
        ms, queries, requests, beside = measured[(page.name, USES)]
        first_ms, first_queries = first[(page.name, USES)]
        met = page.met(ms, beside) if page.met else None
        rows.append(
            Row(
                f"{page.name}: median latency, {USES:,} uses", ms, beside, "ms", f"{FLOOR}, beside it", page.target, met
            )
        )
        rows.append(
            Row(
                f"{page.name}: queries, {USES:,} uses",
                queries,
                few_queries,
                "queries",
                f"{FEW_USES:,} uses",
                target=f"<= {MAX_QUERIES}, not growing",
                met=queries <= MAX_QUERIES and queries <= few_queries,
            )
        )
        lines.append(
            f"| {page.name} | {_ms(few_ms)} | {_ms(ms)} | {ms / few_ms:.1f}x | {ms / beside:.1f}x ({_ms(beside)}) "
            f"| {_ms(first[(page.name, FEW_USES)][0])} / {_ms(first_ms)} "
            f"| {few_queries} / {queries} ({first_queries}) | {page.target or 'reported'} "
            f"| {'—' if met is None else 'yes' if met else '**no**'} |"
        )
        if requests < REQUESTS:
            fewer.append(f"{page.name} ({requests})")
    lines.append(
        f"| {FLOOR} (the floor) | {_ms(floor[FEW_USES])} | {_ms(floor[USES])} | {floor[USES] / floor[FEW_USES]:.1f}x "
        f"| 1.0x | — | {floor_queries[FEW_USES]} / {floor_queries[USES]} | — | — |"
    )
    rows.append(
        Row(f"Floor ({FLOOR}): median latency, {USES:,} uses", floor[USES], floor[FEW_USES], "ms", f"{FEW_USES:,} uses")
    )
    return rows, "\n".join(lines), fewer


def _ms(value):
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.1f} ms"
