"""HTML to PDF with WeasyPrint, behind a URL fetcher that denies everything by default.

A PDF may load our own static files (its stylesheet) and data: URIs (the QR code), nothing
else: no file://, no network, no redirects. Recorded text such as an AI use's description is
autoescaped by the templates, so it can never become a tag that fetches something, and its
bidirectional embedding, override and isolate characters are dropped (`neutralise_bidi`), so it
can never print in an order other than the one recorded.
"""

import gc
import mimetypes
import re
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe
from weasyprint import HTML, Attachment
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from disclosure import pdf_parts, pdf_typst

# Relative URLs in PDF templates resolve against this origin. The .invalid top-level domain is
# reserved (RFC 2606) and never resolves: the fetcher maps its static path to files on disk and
# nothing under it ever reaches the network.
PDF_BASE_URL = "https://pdf.reelproof.invalid/"


class RefusedURL(ValueError):
    """A PDF template or its content asked for something other than our static files or a data: URI."""


class PDFError(RuntimeError):
    """The PDF could not be made; the message says why."""


def _static_base():
    return urljoin(PDF_BASE_URL, settings.STATIC_URL)


def static_file_for(url):
    """The file on disk for a URL under STATIC_URL, found by the staticfiles finders, or None."""
    base = _static_base()
    if not url.startswith(base):
        return None
    relative = unquote(urlsplit(url[len(base) :]).path)
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts or "\\" in relative:
        return None
    found = finders.find(relative)
    return Path(found) if found else None


class StaticOnlyURLFetcher(URLFetcher):
    """Serves our static files and data: URIs to WeasyPrint; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True, timeout=1)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file_for(url)
        if path is None:
            raise RefusedURL(f"Refused to fetch {url!r}: a PDF may only use the app's static files and data: URIs.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


# The explicit bidirectional formatting characters: LRE, RLE, PDF, LRO, RLO (U+202A..U+202E) and LRI,
# RLI, FSI, PDI (U+2066..U+2069). The marks LRM and RLM (U+200E, U+200F) stay: they reorder nothing
# around them, they only give a neutral character such as a full stop the direction it lacks.
BIDI_CONTROLS = "".join(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_BIDI_CONTROL = re.compile(
    "[" + BIDI_CONTROLS + "]"
    # The same characters written as character references, which a template could let through.
    r"|&#(?:[xX]0*(?:202[a-eA-E]|206[6-9])|0*(?:823[4-8]|829[4-7]));"
)


def neutralise_bidi(text: str) -> str:
    """`text` without bidirectional embedding, override and isolate characters, which are removed.

    An override makes what a PDF shows differ from what it contains: U+202E (right-to-left override)
    before "2026-12-31" prints "13-21-6202", and before a figure of 120 prints 021, while the text,
    the embedded data and a search still say 2026-12-31 and 120. A reader must see what the records
    say, so these characters are dropped rather than shown: every character keeps its own direction,
    and right-to-left scripts (Arabic, Hebrew) still print right to left, by the Unicode bidirectional
    algorithm, without them. Dropping them cannot change a letter or a digit; a visible stand-in
    (such as "[RLO]") would put in the document text that no one recorded.
    """
    return _BIDI_CONTROL.sub("", text)


def qr_code_data_uri(url):
    """A QR code for `url` as an SVG data: URI, drawn at whatever size the stylesheet gives it."""
    return segno.make(url, error="m").svg_data_uri(scale=1, border=2, dark="#1b1f24", light="#ffffff")


def css_string(text):
    """Text as a CSS string literal, safe inside a <style> element."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\a ")
        # CSS ends a string at these line breaks too; a recorded title may hold them.
        .replace("\r", "\\d ")
        .replace("\f", "\\c ")
        .replace("<", "\\3c ")
    )
    return f'"{escaped}"'


def css_text(text):
    """A CSS `content` value that prints `text` as it is."""
    return mark_safe(css_string(text))  # noqa: S308  escaped as a CSS string


_COUNTERS = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}


def css_content(template):
    """A CSS `content` value for a margin box, from a translated text that may hold %(page)s and %(pages)s.

    The placeholders become page counters wherever the language puts them ("Page 2 of 5", "2 / 5").
    """
    tokens = re.split(r"(%\(pages?\)s)", str(template))
    # Only our own catalogue strings come here, each escaped as a CSS string.
    return mark_safe(" ".join(_COUNTERS.get(token) or css_string(token) for token in tokens if token))  # noqa: S308


def json_attachment(content: bytes, *, name, description):
    """A file embedded in the PDF (PDF/A-3 associated file), fetched through nothing."""
    return Attachment(
        string=content,
        name=name,
        description=description,
        relationship="Data",
        url_fetcher=StaticOnlyURLFetcher(),
    )


@contextmanager
def _without_cyclic_gc():
    """Pause the cyclic garbage collector, then restore it as it was; what the process held before the render is
    left out of the collections made during it.

    WeasyPrint allocates millions of long-lived boxes for a long document, and every full collection
    walks them all: about a fifth of a statement's render time, for little memory back (bench/README.md).
    The parts (pdf_parts) still collect after each part, to free its layout: frozen (gc.freeze), the objects the
    worker held before (Django, the app, its libraries: some 250,000 in a test process) are not walked each time,
    a third of a short statement's render. Left as they are when someone else froze them (a server may, after
    forking), since unfreezing is all or nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    freezing = gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    try:
        yield
    finally:
        if freezing:
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def _document(html):
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyURLFetcher())


def html_to_pdf(html: str, *, attachments=()) -> bytes:
    """Render HTML (a template's output) to PDF bytes in the configured PDF variant.

    Bidirectional override characters are dropped first (`neutralise_bidi`), whatever the document. A document
    of more entries than DISCLOSURE_PDF_PART_ITEMS is laid out in parts (`pdf_parts`), in bounded memory, and so
    is one with a section marked for Typst (`pdf_typst`), whose pages join the others'.
    """
    html = neutralise_bidi(html)
    options = {"pdf_variant": settings.DISCLOSURE_PDF_VARIANT or None}
    try:
        with _without_cyclic_gc():
            parted = pdf_parts.Parted(html)
            if parted.entries <= settings.DISCLOSURE_PDF_PART_ITEMS and not parted.inserts:
                return _document(html).write_pdf(**options, attachments=list(attachments))
            return pdf_parts.render(
                parted,
                items_per_part=settings.DISCLOSURE_PDF_PART_ITEMS,
                make_html=_document,
                options=options,
                attachments=attachments,
                render_insert=lambda section: pdf_typst.render(
                    section, language=parted.language, mark=parted.every_part_text
                ),
            )
    except FatalURLFetchingError as error:
        # WeasyPrint raises it as a BaseException; a document that cannot load what it needs is not issued.
        raise PDFError(f"{error}: {error.__cause__}") from error
    except pdf_typst.TypstError as error:
        raise PDFError(str(error)) from error
