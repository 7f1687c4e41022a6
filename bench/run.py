"""`make bench`: every benchmark in one run, one table on stdout, the same table in bench/RESULTS.md.

`BENCH_SMOKE=1 make bench` runs the same code on small numbers in well under a minute (CI runs it so the
benchmarks cannot rot); its figures mean nothing and it leaves RESULTS.md alone. `python -m bench pages
imports` runs only those sections, prints their rows and also leaves RESULTS.md alone.
"""

import datetime
import importlib
import sys
import time
from pathlib import Path

from bench import environment
from bench.measure import SMOKE, log, machine, markdown_table

RESULTS = Path(__file__).with_name("RESULTS.md")
# In this order: the import benchmark is skipped, and says so, while productions.imports is not there yet.
SECTIONS = ["bench.pdf", "bench.pages", "bench.assembly", "bench.imports", "bench.export"]

HOW_MEASURED = """\
## How measured

Everything runs in one process (`python -m bench`) on a throwaway database, migrated on start and dropped at
the end: a new PostgreSQL database when the server at 127.0.0.1:5432 answers, else SQLite in a temp dir
(`BENCH_DATABASE=postgres|sqlite` chooses; the machine line above names the one used), with private media
in a temp dir and Celery tasks in-process; the data comes from `tests/factories.py` with a fixed seed
(bulk-inserted uses, people, consents in every review state).
Each figure is compared with a baseline measured in the same run on the same machine, because absolute
times on a shared machine are noise.

1. **PDF**: ours is `disclosure.documents.building.render` (what the worker does: build the statement from the
   database, templates, QR code, embedded JSON, PDF/A-3u, laid out in parts of `DISCLOSURE_PDF_PART_ITEMS`
   entries and joined, signed). The baseline gets the statement already built and renders one plain HTML
   `<table>` of the same rows and fields (title, tracker id, phase, department, tool, vendor, generated or
   modified, description, what the humans did, consent status, audience disclosure) with WeasyPrint's
   defaults, in the statement's font, size and page. Every render runs in a fresh process
   (`bench/memory.py`) that reports the CPU time of the render (a busy machine inflates it far less than
   the wall time, also reported) and its peak RSS (VmHWM in /proc/self/status), next to its RSS before the
   render (Django and WeasyPrint loaded). At 2,000 final uses, ours and the baseline rendered in
   turn (ours, the baseline, ours, the baseline), the best of 2 of each; at 4,000, 8,000 and 16,000, one render
   of ours.
2. **Pages and API**: issue 16's set-up, one production of 50,000 uses (70% final) and 50 others of 1,000
   beside it, and one of 5,000 to compare with. The Django test client, signed in as the producer, through the
   whole middleware stack. The floor is a plain 50-row page behind the same middleware (the membership
   check, 50 uses with their tool, in `base.html`), on the same production, timed in turn with each page,
   request by request (the machine drifts: each page is compared with the floor timed beside it). The first
   request of each page is timed on its own (what a cache keyed on the records revision
   and the date does not help), after one request on another production so that it does not pay for
   loading templates; queries are counted on a warm request at 5,000 and at 50,000 uses (the count must not
   grow); latency is the median of 30 requests after warm-up, or of at least 5 once they have taken 20 s.
3. **Checklist and statement assembly**: median of 7 calls, against a plain load of the records each reads
   (all the uses with `select_related` and `prefetch_related`, no rule and no dataclass).
4. **Import**: the import service of `productions/imports/` (read, map, plan, commit) on a 10,000-row
   CSV, against a bare `bulk_create` of the same rows; median of 3.
5. **Export request**: median of 15 POSTs to the document-request view, each for a new assessment date
   so that each records and queues a new document; the worker side (`disclosure.documents.jobs.render`)
   is replaced by a recorder that only notes the job, so nothing is rendered and Celery is never contacted.
"""


def _sections(names):
    """The sections named on the command line (`pages`, `bench.pages`), or all of them."""
    if not names:
        return SECTIONS
    chosen = [name if name.startswith("bench.") else f"bench.{name}" for name in names]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        sys.exit(f"No benchmark section {', '.join(unknown)}; there are {', '.join(SECTIONS)}.")
    return [name for name in SECTIONS if name in chosen]


def main(argv=None):
    sections = _sections(sys.argv[1:] if argv is None else argv)
    partial = sections != SECTIONS
    started = time.perf_counter()
    log(f"{'smoke run' if SMOKE else 'full run'}: setting up a throwaway database")
    rows, notes, tables, skipped = [], [], [], []
    try:
        environment.setup()
        from bench import data

        database = environment.database()
        log(f"measuring on {database}")
        data.seed()
        for name in sections:
            module = importlib.import_module(name)
            log(f"running {name}")
            outcome = module.run()
            if outcome is None:
                skipped.append(f"{name}: {module.SKIPPED}")
                continue
            # (rows, notes), or (rows, notes, tables): tables are (title, markdown) shown after the main table.
            section_rows, section_notes, *section_tables = outcome
            rows += section_rows
            notes += section_notes
            tables += section_tables[0] if section_tables else []
    finally:
        environment.teardown()
    elapsed = time.perf_counter() - started
    table = markdown_table(rows)
    summary = [
        f"Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"Machine: {machine(database)}",
        f"Run time: {elapsed / 60:.1f} min" + (" (smoke run: small numbers, figures not comparable)" if SMOKE else ""),
    ]
    unmet = [row.name for row in rows if row.met is False]
    print("\n".join(summary))
    print()
    print(table)
    print()
    details = "".join(f"### {title}\n\n{markdown}\n\n" for title, markdown in tables)
    if details:
        print(details, end="")
    for line in notes + [f"Skipped {line}" for line in skipped]:
        print(f"- {line}")
    print(f"\nTargets not met: {len(unmet)}" + ("".join(f"\n- {name}" for name in unmet) if unmet else ""))
    if SMOKE or partial:
        log(f"{'smoke run' if SMOKE else 'some sections only'}: bench/RESULTS.md left as it is")
        return
    RESULTS.write_text(
        "# Benchmark results\n\n"
        + "".join(f"{line}  \n" for line in summary)
        + "\n"
        + table
        + "\n\n"
        + details
        + "".join(f"- {line}\n" for line in notes + [f"Skipped {line}" for line in skipped])
        + (
            f"\nTargets not met: {len(unmet)}. Why, with the profiles, and what would fix them: bench/README.md.\n\n"
            if unmet
            else "\nTargets not met: none. What is reported beside them: bench/README.md.\n\n"
        )
        + HOW_MEASURED
    )
    log(f"written {RESULTS}")


if __name__ == "__main__":
    main()
