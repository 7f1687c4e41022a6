"""A long PDF rendered in parts, so that its memory does not grow with its length.

WeasyPrint keeps every laid-out page of a document until the PDF is written: about a megabyte a page, 2.7 GB
for a statement of 16,000 uses (bench/README.md). A template marks the entries a long document repeats
(`data-pdf-item`: a use, a performer's work, a tool); a document of more entries than
DISCLOSURE_PDF_PART_ITEMS is laid out a part at a time, each part written to PDF and its layout dropped
before the next, and the parts are joined into one PDF with pypdf:

- A part is cut between entries. Each part is laid out from the entry after the last whole page of the part
  before, so pages break where one layout of the whole document would break them, not where a part ends. A
  part's last page may end where the part does, not where the page would: it is never kept. A part keeps no
  page when none before its last ends between two entries (a few entries on the page it starts, an entry
  longer than a page); it is then laid out again with twice the entries, until it keeps one or reaches the
  end of the document. Parts of any size, down to one entry, give the pages of one layout.
- The page margins (running header, footer, "Page X of Y") are left out of the parts and drawn over the joined
  pages from one more, cheap render of margins alone, once the number of pages is known.
- The first part carries the document's metadata, language, PDF/A identification, output intent and
  attachments; the outline (bookmarks) is rebuilt over all the parts.
- Elements marked `data-pdf-every-part` (the draft mark) are in every part.
- An element marked `data-pdf-typst` (the annex of uses) is laid out by another engine, on pages of its own
  (`render_insert`): the document is laid out in parts up to it, its pages follow, and the parts go on after it.
"""

import copy
import gc
import io
from dataclasses import dataclass
from xml.etree import ElementTree

import tinyhtml5
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, Fit, NameObject

ITEM = "data-pdf-item"
EVERY_PART = "data-pdf-every-part"
# A section another engine lays out (disclosure/pdf_typst.py); its pages go where it stands.
INSERT = "data-pdf-typst"
# Set on the content between entries (a heading, a paragraph), to tell on which pages it was laid out.
SLOT = "data-pdf-slot"
# The elements a part starts with, which one layout of the whole document would start a page with.
CONTINUED = "data-pdf-continued"

MARGIN_BOXES = [
    f"{side}-{place}"
    for side, places in (
        ("top", "left-corner left center right right-corner"),
        ("bottom", "left-corner left center right right-corner"),
        ("left", "top middle bottom"),
        ("right", "top middle bottom"),
    )
    for place in places.split()
]
WITHOUT_MARGINS = "@page { " + " ".join(f"@{box} {{ content: none; }}" for box in MARGIN_BOXES) + " }"
# A page that starts after a break the layout chose starts without the top margins adjoining it (CSS
# Fragmentation): WeasyPrint does not truncate them on a document's first page, so a part does it itself.
CONTINUED_STYLE = f"[{CONTINUED}] {{ margin-top: 0 !important; }}"
# One empty page per page of the document: WeasyPrint draws the margins over it.
MARGINS_ONLY = "body > div { break-before: page; }"


class Parted:
    """A document's HTML, parsed once, whose entries are numbered in document order.

    Content is assigned to a slot: the content of entry i and the content between entry i - 1 and entry i
    (a heading before it) are in slot i; the content after the last entry is in the last slot.
    """

    def __init__(self, html):
        self.root = tinyhtml5.parse(html, namespace_html_elements=False)
        # (first slot, last slot) of each element's content, and of an entry the slot after it.
        self._span, self._end = {}, {}
        # (slot, element) of each section laid out by another engine, in document order.
        self.inserts = []
        self.entries = self._number(self.root, 0)
        self._mark_between(self.root)

    @property
    def language(self):
        return self.root.get("lang") or ""

    @property
    def every_part_text(self):
        """The text of what every part repeats (the draft mark), for the pages another engine lays out."""
        return " ".join(
            " ".join("".join(element.itertext()).split())
            for element in self.root.iter()
            if element.get(EVERY_PART) is not None
        )

    def _number(self, element, slot):
        if element.get(INSERT) is not None:
            # In a slot of its own, after the slot of the content before it: no part holds it.
            self._span[element], self._end[element] = (slot + 1, slot + 1), slot + 2
            self.inserts.append((slot + 1, element))
            return slot + 2
        if element.get(ITEM) is not None:
            element.set(ITEM, str(slot))
            self._span[element], self._end[element] = (slot, slot), slot + 1
            return slot + 1
        first = slot
        for child in element:
            slot = self._number(child, slot)
        self._span[element] = (first, slot)
        self._end[element] = slot
        return slot

    def _mark_between(self, element):
        first, last = self._span[element]
        if first == last or element.get(ITEM) is not None:
            return
        for child in element:
            child_first, child_last = self._span[child]
            if child.get(ITEM) is None and child_first == child_last and _laid_out(child):
                child.set(SLOT, str(child_first))
            self._mark_between(child)

    def part(self, start, stop):
        """The HTML of slots start to stop - 1 (stop None: to the end), without the page margins."""
        body = [child for child in self._copy(self.root, start, stop) if child.tag != "head"]
        if start == 0:
            return self._html(WITHOUT_MARGINS, body)
        _mark_continued(body[0])
        return self._html(WITHOUT_MARGINS + CONTINUED_STYLE, body)

    def margins(self, pages):
        """The HTML of `pages` empty pages that show only the page margins, numbered."""
        body = ElementTree.Element("body")
        body.extend(ElementTree.Element("div") for _ in range(pages))
        return self._html(MARGINS_ONLY, [body])

    def _html(self, style, body):
        """The document with its head, one more style, and `body` (the elements after the head)."""
        head = copy.copy(self.root.find("head"))
        ElementTree.SubElement(head, "style").text = style
        root = ElementTree.Element(self.root.tag, self.root.attrib)
        root.append(head)
        root.extend(body)
        return "<!doctype html>" + ElementTree.tostring(root, encoding="unicode", method="html")

    def _inside(self, slot, start, stop):
        return start <= slot and (stop is None or slot < stop)

    def _copy(self, element, start, stop):
        """`element` with only what lies in the slots start to stop - 1; itself where all of it does."""
        if element.tag == "head" or element.get(EVERY_PART) is not None:
            return element
        first, last = self._span[element]
        if self._inside(first, start, stop) and self._inside(last, start, stop):
            return element
        if last < start or (stop is not None and first >= stop):
            return None
        part = ElementTree.Element(element.tag, element.attrib)
        part.text = element.text if self._inside(first, start, stop) else None
        for child in element:
            kept = self._copy(child, start, stop)
            tail = child.tail if self._inside(self._end[child], start, stop) else None
            if kept is None:
                # Only children before the part can be left out with their tail in it: nothing precedes it.
                part.text = (part.text or "") + (tail or "")
                continue
            if kept.tail != tail:
                kept = copy.copy(kept)  # the document's own element is shared with the other parts
                kept.tail = tail
            part.append(kept)
        return part


def _mark_continued(element):
    """Mark the first laid-out element inside `element`, and its own first, down to the first content."""
    for index, child in enumerate(element):
        if _laid_out(child):
            child = copy.copy(child)
            child.set(CONTINUED, "")
            element[index] = child
            if child.get(ITEM) is None and child.get(SLOT) is None:
                _mark_continued(child)
            return


def _laid_out(element):
    """Whether an element is laid out once, where it stands: not the head, nor what every part repeats."""
    return (
        isinstance(element.tag, str)
        and element.tag not in ("head", "script", "style", "template")
        and element.get(EVERY_PART) is None
    )


def _slots_of(page):
    """The slots of the entries and in-between content laid out on a page, in order."""
    slots = []
    for box in page._page_box.descendants():
        element = box.element
        value = None if element is None else element.get(ITEM) or element.get(SLOT)
        if value is not None and (not slots or slots[-1] != int(value)):
            slots.append(int(value))
    return slots


def _clean_break(pages, start):
    """(pages to keep, slot to start the next part at): before the last page where no slot spans the break."""
    following = _slots_of(pages[-1])
    for index in range(len(pages) - 1, 0, -1):
        preceding = _slots_of(pages[index - 1])
        if following and preceding and following[0] > preceding[-1] and following[0] > start:
            return index, following[0]
        following = preceding
    return None


@dataclass
class _Bookmark:
    level: int
    label: str
    page: int
    x: float
    y: float
    is_open: bool


def _bookmarks(pages, offset):
    """The bookmarks of laid-out pages, in PDF points from the bottom left of each page."""
    for number, page in enumerate(pages, start=offset):
        for level, label, (x, y), state in page.bookmarks:
            yield _Bookmark(level, label, number, x * 0.75, (page.height - y) * 0.75, state == "open")


def _write_outline(writer, bookmarks):
    """The outline of the whole document: each bookmark under the last one of a higher level before it."""
    parents = []
    for bookmark in bookmarks:
        while parents and parents[-1][0] >= bookmark.level:
            parents.pop()
        item = writer.add_outline_item(
            title=bookmark.label,
            page_number=bookmark.page,
            parent=parents[-1][1] if parents else None,
            fit=Fit.xyz(bookmark.x, bookmark.y),
            is_open=bookmark.is_open,
        )
        parents.append((bookmark.level, item))


def _insert_bookmarks(insert, reader, headings, offset):
    """The bookmarks of another engine's pages: where its outline puts them, at the levels of their headings, for
    as many headings as are given."""
    entries = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries.append(item)

    walk(reader.outline)
    # The headings on the pages kept come first; those on a page not kept are in the next piece.
    if len(entries) < len(headings):
        raise RuntimeError(f"{len(entries)} bookmarks for {len(headings)} headings in {insert.get(INSERT)}")
    for entry, level in zip(entries, headings, strict=False):
        yield _Bookmark(
            level, entry.title, offset + reader.get_destination_page_number(entry), entry.left, entry.top, True
        )


def render(parted, *, items_per_part, make_html, options, attachments, render_insert=None):
    """The PDF of a parted document, laid out `items_per_part` entries at a time, or more for a part to
    complete a page.

    `make_html(string)` gives the WeasyPrint document of a string (with the base URL and URL fetcher);
    `options` are WeasyPrint's rendering options. `render_insert(element)` gives the pages of a section marked
    `data-pdf-typst` in pieces: (PDF, pages of it to keep, levels of the bookmarks on those pages, in order) each;
    such a section never comes first or last.
    """
    state = {"writer": None, "bookmarks": []}
    start = 0
    for slot, element in [*parted.inserts, (parted.entries, None)]:
        # The content after the last entry is in the last slot, laid out with the last part.
        if start < slot or element is None:
            _render_segment(parted, state, start, slot, items_per_part, make_html, options, attachments)
        if element is None:
            break
        if state["writer"] is None:
            raise RuntimeError("A document cannot start with a section another engine lays out.")
        writer = state["writer"]
        for inserted, kept, headings in render_insert(element):
            reader = PdfReader(io.BytesIO(inserted))
            state["bookmarks"].extend(_insert_bookmarks(element, reader, headings, len(writer.pages)))
            for page in reader.pages[:kept]:
                writer.add_page(page)
            del reader, inserted
        start = slot + 1
    writer, bookmarks = state["writer"], state["bookmarks"]
    _draw_margins(writer, make_html(parted.margins(len(writer.pages))).write_pdf(**options))
    _write_outline(writer, bookmarks)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _render_segment(parted, state, start, end, items_per_part, make_html, options, attachments):
    """Slots start to end - 1 laid out in parts, their pages added to the writer (the first part makes it)."""
    items = items_per_part
    while True:
        stop = start + items
        last = stop >= end
        document = make_html(parted.part(start, None if last and end == parted.entries else min(stop, end))).render(
            **options
        )
        kept = len(document.pages)
        if not last:
            found = _clean_break(document.pages, start)
            if found is None:
                # The part completes no page: keeping its pages would end one early, where the part ends, not
                # where one layout would. Laid out again with twice the entries, until it completes a page.
                del document
                gc.collect()
                items *= 2
                continue
            kept, start = found
            items = items_per_part
        pages = document.pages[:kept]
        writer = state["writer"]
        written = document.copy(pages).write_pdf(**options, attachments=list(attachments) if writer is None else None)
        state["bookmarks"].extend(_bookmarks(pages, len(writer.pages) if writer else 0))
        if writer is None:
            writer = state["writer"] = PdfWriter(clone_from=PdfReader(io.BytesIO(written)))
            # Rebuilt over all the parts at the end.
            writer.root_object.pop("/Outlines", None)
        else:
            for page in PdfReader(io.BytesIO(written)).pages:
                writer.add_page(page)
        del document, pages, written
        # Boxes hold cycles: a part's layout is freed here, not at the end of the whole document.
        gc.collect()
        if last:
            break


def _draw_margins(writer, margins_pdf):
    """Each page's margins (header, footer, page number), drawn over the page as a form of its own.

    The page's own content is left as it is, compressed: it is framed by a saved and restored graphics
    state, then the form is drawn in the page's default coordinates.
    """
    margins = PdfReader(io.BytesIO(margins_pdf)).pages
    if len(margins) != len(writer.pages):
        raise RuntimeError(f"{len(margins)} pages of margins for {len(writer.pages)} pages")
    # pypdf's writer has no public way to add an object that is not a page; streams must be indirect objects.
    save = writer._add_object(_stream(b"q\n"))
    restore_and_draw = writer._add_object(_stream(b"Q\nq /ReelproofMargins Do Q\n"))
    for page, margin in zip(writer.pages, margins, strict=True):
        form = _stream(margin.get_contents().get_data())
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(margin.mediabox),
                NameObject("/Resources"): margin["/Resources"].get_object().clone(writer),
            }
        )
        resources = DictionaryObject(page["/Resources"].get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject("/ReelproofMargins")] = writer._add_object(form)
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page["/Contents"]
        own = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *own, restore_and_draw])


def _stream(data):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream.flate_encode()
