"""3. Checklist and statement assembly: queries and time for a production's thousands of uses.

The baseline of each is the bare load of the records it reads (the same querysets, no rule and no
dataclass): how much of the time is ours rather than the database's.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bench import data
from bench.measure import SMOKE, Row, log, median_seconds
from disclosure.checklist import assess
from disclosure.statement import build_statement
from productions.consent_status import with_consent_data
from productions.models import AIUse

USES = 300 if SMOKE else 5000
FEW_USES = USES // 10
RUNS = 3 if SMOKE else 7
ON = datetime.date(2026, 9, 1)


def _checklist(production):
    return assess(production, on=ON).as_data()


def _statement(production):
    return build_statement(production, on=ON).as_data()


def _load_checklist_records(production):
    return list(with_consent_data(AIUse.objects.filter(production=production).select_related("tool")))


def _load_statement_records(production):
    final_uses = AIUse.objects.filter(production=production, is_final=True)
    return list(final_uses.select_related("tool").prefetch_related("people", "consents"))


def _queries(function, production):
    with CaptureQueriesContext(connection) as queries:
        function(production)
    return len(queries)


def run():
    few, _ = data.shared_production(FEW_USES)
    many, _ = data.shared_production(USES)
    rows = []
    work = [
        ("Checklist (assess + as_data)", _checklist, _load_checklist_records),
        ("Statement (build_statement + as_data)", _statement, _load_statement_records),
    ]
    with translation.override("en"):
        for name, function, load in work:
            queries, few_queries = _queries(function, many), _queries(function, few)
            rows.append(
                Row(
                    f"{name}: queries, {USES:,} uses",
                    queries,
                    few_queries,
                    "queries",
                    f"{FEW_USES:,} uses",
                    target="not growing",
                    met=queries <= few_queries,
                )
            )
            seconds = median_seconds(lambda function=function: function(many), runs=RUNS)
            loading = median_seconds(lambda load=load: load(many), runs=RUNS)
            log(f"{name}: {queries} queries, {seconds * 1000:.0f} ms (loading {loading * 1000:.0f} ms)")
            rows.append(
                Row(f"{name}: time, {USES:,} uses", seconds * 1000, loading * 1000, "ms", "plain load of its records")
            )
    return rows, []
