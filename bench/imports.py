"""4. Import: a 10,000-row CSV through the import service, against a bare bulk_create of the same rows.

Ours is what a producer's upload goes through (productions/imports/): read the CSV, suggest the mapping,
plan it (the preview: every cell parsed and validated), then commit (planned again inside one transaction,
written in bulk with one audited history entry per use). The baseline inserts the same uses, already
parsed, with one `AIUse.objects.bulk_create`: no parsing, no validation, no history.
"""

import csv
import io

from bench import data
from bench.measure import SMOKE, Row, log, median_seconds, timed
from productions.models import AIUse
from productions.vocabularies import ImportSource, Role
from tests.factories import MembershipFactory, ProductionFactory, UserFactory

ROWS = 300 if SMOKE else 10_000
RUNS = 1 if SMOKE else 3
TARGET = 3
BATCH = 500  # the import service's batch size

try:
    from productions import imports
except ImportError:  # the import service is not there yet
    imports = None
SKIPPED = "productions.imports is not in this tree"


def _csv(uses):
    """Our template's columns, one row per use, as a producer's spreadsheet would give them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(imports.TEMPLATE_COLUMNS)
    for use in uses:
        cells = []
        for name in imports.TEMPLATE_COLUMNS:
            value = getattr(use, name) if name != "id" else None
            if name == "tool":
                value = use.tool_id
            if isinstance(value, bool):
                value = "yes" if value else "no"
            if isinstance(value, list):
                value = "; ".join(value)
            cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return buffer.getvalue().encode()


def _empty_production():
    production = ProductionFactory(title="Bench import target")
    producer = MembershipFactory(production=production, user=UserFactory(), role=Role.PRODUCER).user
    return production, producer


def run():
    if imports is None:
        log(SKIPPED)
        return None
    template, _producer = data.make_production(final=0, title="Bench import source")
    uses = [data.make_use(template, index) for index in range(ROWS)]
    content = _csv(uses)

    def service(production, producer):
        phases = {}
        seconds, table = timed(lambda: imports.read_table(content, "shots.csv"))
        mapping = imports.initial_mapping(table.headers, ImportSource.REELPROOF)
        phases["read and map"] = seconds
        seconds, plan = timed(lambda: imports.plan_import(production=production, table=table, mapping=mapping))
        assert plan.is_valid, plan.problems[:3]
        phases["plan (the preview)"] = seconds
        seconds, committed = timed(
            lambda: imports.commit_import(actor=producer, production=production, table=table, mapping=mapping)
        )
        assert committed.created == ROWS
        phases["commit"] = seconds
        return phases

    targets = [_empty_production()[0] for _ in range(RUNS + 1)]

    def bare():
        production = targets.pop()
        copies = [
            AIUse(**{field.attname: getattr(use, field.attname) for field in AIUse._meta.concrete_fields})
            for use in uses
        ]
        for copy in copies:
            copy.pk, copy.production = None, production
        AIUse.objects.bulk_create(copies, batch_size=BATCH)

    runs = [service(*_empty_production()) for _ in range(RUNS)]
    runs.sort(key=lambda phases: sum(phases.values()))
    phases = runs[len(runs) // 2]
    ours = sum(phases.values())
    baseline = median_seconds(bare, runs=RUNS, warmup=0)
    log(f"import of {ROWS} rows: {ours:.2f} s, bare bulk_create {baseline:.2f} s")
    row = Row(
        f"Import of a {ROWS:,}-row CSV (read, map, preview, commit)",
        ours,
        baseline,
        "s",
        "bare bulk_create",
        target=f"<= {TARGET}x",
        met=ours <= TARGET * baseline,
    )
    split = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())
    return [row], [f"Import: a {len(content) / 1e6:.1f} MB CSV of our template's columns, all new uses; {split}."]
