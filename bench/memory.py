"""One PDF render in a fresh process: `python -m bench.memory <workdir> <document id> [kind]`.

Prints {"seconds", "cpu_seconds", "pages", "mb", "before_mb", "peak_mb", "typst_peak_mb"}: the wall and CPU time
of the render, its pages and size, the resident set before the render (Django and WeasyPrint loaded) and the peak
resident set of the process after it (VmHWM), both in MB. Not getrusage's ru_maxrss: on Linux a child started
from a large parent reports the parent's size there, counted before exec. The CPU time counts the child process
that lays out the annex of uses with Typst (disclosure/pdf_typst.py); its own peak resident set, which it
reports, is `typst_peak_mb` (0 when the render starts none). With `baseline`, the render is the naive table of
the same statement (bench/pdf.py), built before the clock starts; with `annex-weasyprint` or `annex-typst`, the
statement's annex of uses alone, by one engine or the other (bench/pdf.py compares them).
"""

import io
import json
import logging
import os
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


class _TypstPeak(logging.Handler):
    """The peak memory the Typst child process reports through the log."""

    def __init__(self):
        super().__init__()
        self.peak_mb = 0.0

    def emit(self, record):
        self.peak_mb = max(self.peak_mb, getattr(record, "typst_peak_mb", 0.0))


def _cpu_seconds():
    """CPU time of this process and of the children it waited for (the Typst child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _joined(pieces):
    """One PDF of the pages Typst's chunks keep, joined as `pdf_parts` joins them."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf, kept, _headings in pieces:
        for page in PdfReader(io.BytesIO(pdf)).pages[:kept]:
            writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _annex(document, engine):
    """The annex of uses of the document's statement alone, laid out by `engine` (weasyprint or typst): the
    section the statement marks for Typst, in the PDF's HTML and stylesheet, built here: only the render is timed.
    """
    import copy
    from xml.etree import ElementTree

    from disclosure import pdf, pdf_parts, pdf_typst
    from disclosure.documents import building

    captured = {}

    def capture(html, **_options):
        captured["html"] = html
        raise StopIteration

    html_to_pdf, pdf.html_to_pdf = pdf.html_to_pdf, capture
    try:
        building.render(document)
    except StopIteration:
        pass
    finally:
        pdf.html_to_pdf = html_to_pdf
    parted = pdf_parts.Parted(pdf.neutralise_bidi(captured["html"]))
    ((_slot, section),) = parted.inserts
    if engine == "typst":
        return lambda: _joined(pdf_typst.render(section, language=parted.language))
    body = ElementTree.Element("body")
    body.append(copy.copy(section))
    html = parted._html(pdf_parts.WITHOUT_MARGINS, [body])
    return lambda: pdf._document(html).write_pdf()


def main(workdir, document_id, kind="ours"):
    from bench import environment

    environment.connect(workdir)
    import weasyprint  # noqa: F401  loaded before the baseline is read, as in a worker

    from disclosure.documents import building
    from disclosure.models import DisclosureDocument

    document = DisclosureDocument.objects.select_related("production").get(id=document_id)
    if kind == "baseline":
        render = _baseline(document)
    elif kind.startswith("annex-"):
        render = _annex(document, kind.removeprefix("annex-"))
    else:
        render = lambda: building.render(document).pdf  # noqa: E731
    typst_peak = _TypstPeak()
    typst_logger = logging.getLogger("disclosure.pdf_typst")
    typst_logger.addHandler(typst_peak)
    typst_logger.setLevel(logging.INFO)
    before = _status_mb("VmRSS")
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    pdf = render()
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
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
                "typst_peak_mb": typst_peak.peak_mb,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
