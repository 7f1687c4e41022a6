"""A long run of entries laid out by Typst instead of WeasyPrint: the statement's annex of uses.

WeasyPrint's time follows the text it lays out and draws, and the annex of uses is most of a statement's text:
at 2,000 uses it took 14 of a statement's 20 layout seconds, where Typst lays out the same annex in about one
(bench/README.md). The template still writes the annex in HTML, as for the preview, and marks it with
`data-pdf-typst`; its headings, paragraphs and entries (`data-pdf-item`) are read from the parsed HTML as
plain text, line by line, and passed to templates/pdf/entries.typ as JSON data, never as markup: a recorded
text prints as typed. The pages join the document's in `pdf_parts`, which draws their margins (header,
footer, page numbers) with the rest and rebuilds the outline from their bookmarks.

Typst runs in child processes (this file run as a script), CHUNK_BLOCKS blocks each: it keeps what it laid
out in caches of its own for as long as its process lives, about 150 MB for 2,000 entries and growing with
them, which a worker would otherwise carry through every later part of the document and every later document.
"""

import io
import json
import logging
import re
import subprocess
import sys
import time
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "pdf" / "entries.typ"
# Typst lays out 2,000 entries in about a second; a render stuck far beyond that is not waited for.
TIMEOUT_SECONDS = 120
# Blocks laid out by one child process: about 170 MB at its peak (bench/README.md).
CHUNK_BLOCKS = 2000

logger = logging.getLogger(__name__)
# Collapsible white space, as HTML collapses it; not the no-break space French puts before a colon.
_SPACE = re.compile(r"[ \t\n\r\f]+")
# An entry of more printed lines than this (a third of a page of small type) may be cut by a page break, as
# CSS's `break-inside: avoid` gives way to an entry longer than a page; shorter ones are kept whole. A line of the
# entries' type holds about 110 characters: counted at 90, a line is never underestimated.
LONG_ENTRY_LINES = 20
LINE_CHARACTERS = 90


class TypstError(RuntimeError):
    """Typst could not lay out the entries; the message says why."""


def _lines(element):
    """The text of an element as printed, one string per line (a <br> starts a line)."""
    lines, line = [], [element.text or ""]
    for child in element:
        if child.tag == "br":
            lines.append("".join(line))
            line = []
        else:
            line.append("".join(child.itertext()))
        line.append(child.tail or "")
    lines.append("".join(line))
    return [_SPACE.sub(" ", text).strip() for text in lines]


def _text(element):
    return " ".join(_lines(element))


def _entry(element):
    title, *paragraphs = [child for child in element if isinstance(child.tag, str)]
    paragraphs = [
        # The facts of a use print in the muted colour of .use-facts-print, its description in the text's.
        {"lines": _lines(paragraph), "muted": "use-facts-print" in (paragraph.get("class") or "").split()}
        for paragraph in paragraphs
    ]
    lines = sum(1 + len(line) // LINE_CHARACTERS for paragraph in paragraphs for line in paragraph["lines"])
    return {"kind": "entry", "title": _text(title), "paragraphs": paragraphs, "long": lines > LONG_ENTRY_LINES}


def blocks(section):
    """What a marked section prints, in order: its headings, paragraphs and entries, as data."""
    found = []
    for element in section:
        if not isinstance(element.tag, str):
            continue
        if element.get("data-pdf-item") is not None:
            found.append(_entry(element))
        elif re.fullmatch(r"h[1-6]", element.tag):
            found.append({"kind": "heading", "level": int(element.tag[1]), "text": _text(element)})
        elif element.tag == "p":
            found.append({"kind": "paragraph", "lines": _lines(element)})
    return found


def render(section, *, language, mark=""):
    """The pages of a marked section, with `mark` (the draft mark) on each, in chunks of about CHUNK_BLOCKS
    blocks: (PDF, pages to keep or None for all, HTML levels of the headings on those pages, whose bookmarks
    they are) each.

    Each chunk is laid out by a child process of its own, so that Typst's memory is that of one chunk. A
    chunk starts with the first block of the last page of the chunk before, whose last page it does not keep:
    pages break where one layout of the whole would break them. A chunk that completes no page is laid out
    again with twice the entries. PDF/A-3u like the document they join; untagged, like WeasyPrint's pages.
    """
    # Imported here, not at the top: the child (this file run as a script) never reads a PDF, and importing pypdf
    # would cost each child more CPU than laying out a short annex.
    from pypdf import PdfReader

    laid_out = blocks(section)
    start, size = 0, CHUNK_BLOCKS
    while start < len(laid_out):
        stop = start + size
        pdf, entries = _compile_in_child(laid_out[start:stop], language=language, mark=mark, offset=start)
        if stop >= len(laid_out):
            yield pdf, None, _heading_levels(laid_out[start:])
            return
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        following = _first_block_of_page(laid_out, entries, pages)
        if pages < 2 or following is None or following <= start:
            size *= 2
            continue
        yield pdf, pages - 1, _heading_levels(laid_out[start:following])
        start, size = following, CHUNK_BLOCKS


def _heading_levels(laid_out):
    return [block["level"] for block in laid_out if block["kind"] == "heading"]


def _first_block_of_page(laid_out, entries, page):
    """The block a page starts with: its first entry, or the headings just before it, which Typst keeps with
    what follows them; None if no entry starts on it."""
    on_page = [index for index, entry_page in entries if entry_page == page]
    if not on_page:
        return None
    index = min(on_page)
    while index > 0 and laid_out[index - 1]["kind"] == "heading":
        index -= 1
    return index


def _compile_in_child(chunk, *, language, mark, offset):
    """The PDF of a chunk of blocks and the (block index, page) of each of its entries, from a child process."""
    inputs = {
        "blocks": json.dumps(chunk, ensure_ascii=False),
        "offset": str(offset),
        "lang": language or "en",
        "mark": mark,
    }
    started = time.perf_counter()
    try:
        child = subprocess.run(
            [sys.executable, __file__, str(TEMPLATE)],
            input=json.dumps(inputs).encode(),
            capture_output=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as error:
        raise TypstError(f"Typst took more than {TIMEOUT_SECONDS} s") from error
    report = _report(child.stderr)
    if child.returncode != 0:
        raise TypstError(report.get("error") or child.stderr.decode(errors="replace")[-2000:] or "Typst failed")
    logger.info(
        "Typst laid out %d blocks in %.2f s, %.0f MB peak",
        len(chunk),
        time.perf_counter() - started,
        report["peak_mb"],
        extra={"typst_peak_mb": report["peak_mb"]},
    )
    return child.stdout, [tuple(entry) for entry in report["entries"]]


def _report(stderr):
    """The child's last line on stderr: its peak memory, or the error it met."""
    lines = stderr.decode(errors="replace").strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        return {}


def _peak_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return 0.0


def _compile(template):
    """In the child: the inputs from stdin, the PDF to stdout, a report line to stderr."""
    import typst

    compiler = typst.Compiler(template, sys_inputs=json.load(sys.stdin.buffer))
    try:
        pdf = compiler.compile(format="pdf", pdf_standards="a-3u", pdf_tags=False)
        # (block index, page) of each entry, which each entry records (entries.typ).
        entries = json.loads(compiler.query("<entry>", field="value"))
    except typst.TypstError as error:
        sys.stderr.write(json.dumps({"error": f"{error.message}: {error.diagnostic}"}) + "\n")
        return 1
    sys.stdout.buffer.write(pdf)
    sys.stderr.write(json.dumps({"peak_mb": _peak_mb(), "entries": entries}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_compile(sys.argv[1]))
