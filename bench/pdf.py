"""1. PDF rendering: the transparency statement against a naive table of the same uses, in the same run.

Ours is what the worker does for a requested document (`disclosure.documents.building.render`): build the statement
from the database, render the templates, the QR code and the embedded JSON, and write a PDF/A-3u. The
baseline gets the statement already built and only renders one plain <table> of the same rows and fields
(title, tracker id, phase, department, tool, vendor, generated or modified, description, what the humans
did, consent status, audience disclosure) with WeasyPrint's defaults.
"""

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from django.template import Context, Template
from django.utils import translation
from pypdf import PdfReader
from weasyprint import HTML

from bench import data, environment
from bench.measure import SMOKE, Row, log, timed
from disclosure.documents import building, requests
from disclosure.models import DocumentKind
from disclosure.statement import build_statement

ON = datetime.date(2026, 9, 1)
SIZES = (20, 80, 160) if SMOKE else (500, 2000, 4000)
# Best of this many renders: the longest are repeated less, so that `make bench` stays under ten minutes.
OURS_REPEATS = {20: 1, 80: 1, 160: 1, 500: 3, 2000: 3, 4000: 2}
BASELINE_REPEATS = {20: 1, 80: 1, 160: 1, 500: 3, 2000: 3, 4000: 1}
BASELINE_TEMPLATE = Template((Path(__file__).parent / "baseline_table.html").read_text())


def _baseline_rows(statement):
    consent = {work.use_id: work.consent_status_label for work in statement.performers}
    return [
        {"phase": group.label, "use": use, "consent": consent.get(use.id, "Not needed")}
        for group in statement.phases
        for use in group.uses
    ]


def render_baseline(statement):
    html = BASELINE_TEMPLATE.render(Context({"title": statement.title, "rows": _baseline_rows(statement)}))
    return HTML(string=html).write_pdf()


def _pages(pdf_bytes):
    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)


def _peak_memory(document):
    """Peak RSS of a fresh process rendering the document, and its growth over the process before the render."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(environment.workdir()), str(document.id)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
        env=os.environ.copy(),
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run():
    rows, notes = [], []
    ours, baseline = {}, {}
    for size in SIZES:
        production, _producer = data.make_production(final=size, temporary=size // 10)
        document, _created = requests.request_document(
            production=production, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
        )
        with translation.override("en"):
            statement = build_statement(production, on=ON)
        ours_times, baseline_times = [], []
        for attempt in range(max(OURS_REPEATS[size], BASELINE_REPEATS[size])):
            if attempt < OURS_REPEATS[size]:
                seconds, rendered = timed(lambda document=document: building.render(document))
                ours_times.append(seconds)
                log(f"PDF {size} uses, ours, render {attempt + 1}: {seconds:.2f} s")
            if attempt < BASELINE_REPEATS[size]:
                seconds, baseline_pdf = timed(lambda statement=statement: render_baseline(statement))
                baseline_times.append(seconds)
                log(f"PDF {size} uses, baseline, render {attempt + 1}: {seconds:.2f} s")
        ours[size], baseline[size] = min(ours_times), min(baseline_times)
        notes.append(
            f"{size:,} uses: ours {_pages(rendered.pdf)} pages, {len(rendered.pdf) / 1e6:.1f} MB; "
            f"baseline {_pages(baseline_pdf)} pages, {len(baseline_pdf) / 1e6:.1f} MB"
        )
        ratio_target = size == SIZES[1]
        rows.append(
            Row(
                f"PDF statement, {size:,} final uses",
                ours[size],
                baseline[size],
                "s",
                "plain table",
                target="<= 0.6x" if ratio_target else "",
                met=ours[size] / baseline[size] <= 0.6 if ratio_target else None,
            )
        )
        if size == SIZES[-1]:
            memory = _peak_memory(document)
    middle, largest = SIZES[1], SIZES[-1]
    scaling = ours[largest] / ours[middle]
    rows.append(
        Row(
            f"PDF scaling, t({largest:,}) / t({middle:,})",
            ours[largest],
            ours[middle],
            "s",
            f"{middle:,} uses",
            target="<= 2.1x",
            met=scaling <= 2.1,
        )
    )
    rows.append(
        Row(
            f"PDF peak memory, {largest:,} uses (RSS)",
            memory["peak_mb"],
            memory["before_mb"],
            "MB",
            "process before the render",
        )
    )
    notes.append(
        f"Peak memory of the {largest:,}-use render: {memory['peak_mb']:.0f} MB peak RSS (VmHWM) of a fresh "
        f"process, {memory['peak_mb'] - memory['before_mb']:.0f} MB over its {memory['before_mb']:.0f} MB before "
        "the render."
    )
    return rows, notes
