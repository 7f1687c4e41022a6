"""4. Import: a shot list of 10,000 and of 50,000 rows (a long series) through the import service, against a bare
bulk_create of the same rows, with the peak memory of each.

Ours is what a producer's upload goes through (productions/imports/): read the CSV, suggest the mapping,
plan it (the preview: every cell parsed and validated), then commit (planned again inside one transaction,
written in bulk with one audited history entry per use, recorded as an import batch with an item per use). The
baseline inserts the same uses, already parsed, with one `AIUse.objects.bulk_create`: no parsing, no validation,
no history, no batch.

Peak memory is the peak of what Python allocates during one more import (read, map, plan, commit), traced with
tracemalloc in a run of its own, untimed: tracing slows every allocation down. It leaves out what the process held
before (here the source uses and the CSV) and the database's own memory.
"""

import csv
import io
import tracemalloc

from bench import data
from bench.measure import SMOKE, Row, log, median_seconds, timed
from productions.models import AIUse
from productions.vocabularies import ImportSource, Role
from tests.factories import MembershipFactory, ProductionFactory, UserFactory

# Every size the section measures, smallest first.
SIZES = (300,) if SMOKE else (10_000, 50_000)
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


def peak_mb(function):
    """The peak of the memory Python allocated while `function` ran, in MB."""
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


def _service(content, rows):
    """One import as a producer's upload goes through it: {phase: seconds}."""
    production, producer = _empty_production()
    phases = {}
    phases["read and map"], table = timed(lambda: imports.read_table(content, "shots.csv"))
    mapping = imports.initial_mapping(table.headers, ImportSource.REELPROOF)
    phases["plan (the preview)"], plan = timed(
        lambda: imports.plan_import(production=production, table=table, mapping=mapping)
    )
    assert plan.is_valid, plan.problems[:3]
    del plan  # the preview and the commit are two requests: the preview's plan is gone when the commit runs
    phases["commit"], committed = timed(
        lambda: imports.commit_import(actor=producer, production=production, table=table, mapping=mapping)
    )
    assert committed.created == rows
    return phases


def _measure(rows):
    template, _producer = data.make_production(final=0, title=f"Bench import source of {rows}")
    uses = [data.make_use(template, index) for index in range(rows)]
    content = _csv(uses)
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

    # A first small import loads what the first commit of a process loads: the notification e-mail's modules and
    # URLs (its uses include some blocked for want of consent).
    _service(_csv(uses[:300]), min(rows, 300))
    runs = [_service(content, rows) for _ in range(RUNS)]
    runs.sort(key=lambda phases: sum(phases.values()))
    phases = runs[len(runs) // 2]
    ours = sum(phases.values())
    baseline = median_seconds(bare, runs=RUNS, warmup=0)
    peak = peak_mb(lambda: _service(content, rows))
    log(f"import of {rows} rows: {ours:.2f} s, bare bulk_create {baseline:.2f} s; peak {peak:.0f} MB")
    row = Row(
        f"Import of a {rows:,}-row CSV (read, map, preview, commit)",
        ours,
        baseline,
        "s",
        "bare bulk_create",
        target=f"<= {TARGET}x",
        met=ours <= TARGET * baseline,
    )
    split = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())
    note = (
        f"Import of {rows:,} rows: a {len(content) / 1e6:.1f} MB CSV of our template's columns, all new uses; "
        f"{split}; peak memory of the import {peak:.0f} MB (tracemalloc)."
    )
    return row, note


def run():
    if imports is None:
        log(SKIPPED)
        return None
    measured = [_measure(rows) for rows in SIZES]
    return [row for row, _note in measured], [note for _row, note in measured]
