"""One PDF render in a fresh process: `python -m bench.memory <workdir> <document id> [baseline]`.

Prints {"seconds", "cpu_seconds", "pages", "mb", "before_mb", "peak_mb"}: the wall and CPU time of the render,
its pages and size, the resident set before the render (Django and WeasyPrint loaded) and the peak resident set
of the process after it (VmHWM), both in MB. Not getrusage's ru_maxrss: on Linux a child started from a large
parent reports the parent's size there, counted before exec. With `baseline`, the render is the naive table of
the same statement (bench/pdf.py), built before the clock starts.
"""

import io
import json
import sys
import time


def _status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"No {field} in /proc/self/status: the memory benchmark needs Linux.")


def _baseline(document):
    """The naive table's render of the document's statement, built here: only the render is timed."""
    from django.utils import translation

    from bench.pdf import render_baseline
    from disclosure.statement import build_statement

    with translation.override(document.language):
        statement = build_statement(document.production, on=document.assessment_date)
    return lambda: render_baseline(statement)


def main(workdir, document_id, kind="ours"):
    from bench import environment

    environment.connect(workdir)
    import weasyprint  # noqa: F401  loaded before the baseline is read, as in a worker

    from disclosure.documents import building
    from disclosure.models import DisclosureDocument

    document = DisclosureDocument.objects.select_related("production").get(id=document_id)
    render = _baseline(document) if kind == "baseline" else lambda: building.render(document).pdf
    before = _status_mb("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time()
    pdf = render()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak = _status_mb("VmHWM")
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "pages": pages,
                "mb": len(pdf) / 1e6,
                "before_mb": before,
                "peak_mb": peak,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
